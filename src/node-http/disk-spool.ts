import { createHash, type Hash } from "node:crypto";
import { createWriteStream, readdirSync, rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import Busboy from "busboy";
import { fileSource } from "../cli/file-source";
import type { SpooledUpload, UploadRefusals, UploadSpooler } from "../import/spool";

/** Temporary folders of uploads start with this, in UPLOAD_SPOOL_DIR (the system's temp folder by default). */
export const SPOOL_PREFIX = "vbp-upload-";

/**
 * Spools request bodies to a temporary file, so an import's memory does not grow with the file:
 * the bytes go to disk as they arrive (counted against the limit, hashed), then the import reads
 * the file as the CLI does. The file is removed by `dispose()`, and at once when the body fails
 * (too large, malformed, the client went away).
 *
 * On the Node server the socket's own stream is read (`nodeBody`): the web stream @hono/node-server
 * makes of it comes from Readable.toWeb, which on Node 20 counts its high-water mark in chunks, not
 * bytes, and so takes in the whole body ahead of a slower reader (measured: +75 MB of RSS for a
 * 49 MB upload). The socket's stream waits for the disk.
 */
export function diskSpooler(dir: string = tmpdir()): UploadSpooler {
  removeOrphans(dir);
  return async (request, { maxBytes, fileField, refusals, nodeBody }) => {
    // The server's pid in the name: a process killed mid-upload cannot remove its file, the next start does.
    const folder = await mkdtemp(join(dir, `${SPOOL_PREFIX}${process.pid}-`));
    const path = join(folder, "upload");
    const dispose = () => rm(folder, { recursive: true, force: true });
    try {
      // as unknown as: the DOM typings' ReadableStream and node:stream/web's are the same object at run time, two declarations in the types.
      const body =
        nodeBody instanceof Readable ? nodeBody : request.body ? Readable.fromWeb(request.body as unknown as NodeWebStream<Uint8Array>) : Readable.from([]);
      const limited = byteLimit(maxBytes, refusals);
      const hash = createHash("sha256");
      const type = request.headers.get("content-type") ?? "";
      let fileName: string | null;
      if (/^multipart\/form-data/i.test(type)) {
        fileName = await spoolPart(body, limited, type, fileField, hash, path, refusals);
      } else {
        await pipeline(body, limited.stream, hashing(hash), createWriteStream(path));
        fileName = request.headers.get("x-file-name");
      }
      const source = fileSource(path);
      const upload: SpooledUpload = { source, sha256: hash.digest("hex"), size: source.size ?? 0, fileName, path, dispose };
      return upload;
    } catch (err) {
      await dispose();
      throw err;
    }
  };
}

/** Removes the spool folders of server processes that are no longer running (killed during an upload). */
export function removeOrphans(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(new RegExp(`^${SPOOL_PREFIX}(\\d+)-`).exec(name)?.[1] ?? NaN);
    if (!Number.isSafeInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Passes bytes until more than `max` went by, then fails with the caller's 413. */
function byteLimit(max: number, refusals: UploadRefusals) {
  let seen = 0;
  const state: { error: Error | null } = { error: null };
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) {
        state.error = refusals.tooLarge();
        return done(state.error);
      }
      done(null, chunk);
    },
  });
  return { stream, error: () => state.error };
}

function hashing(hash: Hash): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

/**
 * Writes the multipart field `field` (the first of that name) to `path`; other fields are read and
 * dropped. Resolves with the part's file name once the whole form was read.
 */
function spoolPart(
  body: Readable,
  limited: ReturnType<typeof byteLimit>,
  contentType: string,
  field: string,
  hash: Hash,
  path: string,
  refusals: UploadRefusals,
): Promise<string | null> {
  const limitError = limited.error;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      body.destroy();
      reject(err);
    };
    let parser: Writable;
    try {
      parser = Busboy({ headers: { "content-type": contentType }, defParamCharset: "utf8" });
    } catch {
      return fail(refusals.malformed());
    }
    let saving: Promise<void> | null = null;
    let fileName: string | null = null;
    parser.on("file", (name: string, stream: Readable, info: { filename?: string }) => {
      if (name !== field || saving) {
        stream.resume();
        return;
      }
      fileName = info.filename || null;
      saving = pipeline(stream, hashing(hash), createWriteStream(path));
      // A truncated part fails here and on the parser: the parser's error says which it was.
      saving.catch(() => undefined);
    });
    // The limit's own error first; then the client's connection; anything else is the form's syntax.
    const bodyFailed = (err: Error & { code?: string }) => fail(limitError() ?? (err.code && !/^ERR_STREAM/.test(err.code) ? err : refusals.malformed()));
    parser.on("error", bodyFailed);
    parser.on("close", () => {
      if (settled) return;
      if (!saving) return fail(refusals.missingFile());
      saving.then(
        () => {
          settled = true;
          resolve(fileName);
        },
        (err: Error) => fail(limitError() ?? err),
      );
    });
    pipeline(body, limited.stream, parser).catch(bodyFailed);
  });
}
