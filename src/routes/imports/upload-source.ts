import { type ByteSource, bytesSource } from "../../import/source";

/**
 * An uploaded file as an import source that gives the event loop a turn before each slice. Read
 * from memory, the whole import (decoding, parsing, validation) otherwise runs on promises alone
 * until its final write: for the seconds a large file takes, no timer fires, no signal is handled
 * and no other request is answered, so a server being stopped could not cancel it.
 */
export function uploadSource(bytes: Uint8Array, sliceBytes = 256 * 1024): ByteSource {
  const slices = bytesSource(bytes, sliceBytes);
  return {
    size: slices.size,
    async *open() {
      for await (const slice of slices.open()) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        yield slice;
      }
    },
  };
}
