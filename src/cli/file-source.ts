import { createHash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import type { ByteSource } from "../import/source";

/**
 * A file on disk as a stream (memory stays flat for any size), hashed while it is read. The hash
 * is finished by reading the rest when the import stopped early (e.g. a missing column).
 */
export function fileSource(path: string): ByteSource & { sha256: () => Promise<string> } {
  let hash = createHash("sha256");
  let complete = false;
  return {
    size: statSync(path).size,
    async *open() {
      hash = createHash("sha256");
      complete = false;
      for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
        hash.update(chunk as Buffer);
        yield chunk as Buffer;
      }
      complete = true;
    },
    async sha256() {
      if (complete) return hash.copy().digest("hex");
      const whole = createHash("sha256");
      for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) whole.update(chunk as Buffer);
      return whole.digest("hex");
    },
  };
}
