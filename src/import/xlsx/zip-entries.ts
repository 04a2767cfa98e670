/// <reference path="./unzipper.d.ts" />
import { Readable } from "node:stream";
import { type Entry, Parse } from "unzipper";

/** The zip ends before its last entry: the file was cut short (an upload or a copy that stopped). */
export class ZipEndsEarlyError extends Error {
  constructor(options?: ErrorOptions) {
    super("the zip ends before its last entry", options);
  }
}

/**
 * The entries of a zip, in the order it stores them, each read (or skipped) by the caller before
 * the next is parsed. Entries read with Node's iteration of the stream, which yields every entry
 * the parser pushed, even those still waiting when unzipper announces its end.
 *
 * Whatever stops the zip fails the entry being read: unzipper reports a file that ends inside an
 * entry (a truncated upload) or a corrupt one only as an error of the zip stream, which no reader
 * of the entry hears, so the entry waited for bytes that never came and the import never ended
 * (and kept the import lock). The bytes failing (an upload aborted) fail the zip in turn.
 */
export async function* zipEntries(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<Entry> {
  const input = Readable.from(bytes);
  const zip = input.pipe(Parse({ forceStream: true }));
  let current: Entry | null = null;
  let failure: Error | null = null;
  let fail: (err: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {});
  const stop = (err: Error) => {
    if (failure) return;
    failure = err.message === "FILE_ENDED" ? new ZipEndsEarlyError({ cause: err }) : err;
    fail(failure);
    current?.destroy(failure);
  };
  zip.on("error", stop);
  input.on("error", (err) => zip.destroy(err));
  try {
    for await (const entry of zip) {
      // Entries parsed before the failure still come out of the stream's buffer: the file is
      // broken all the same, and the last of them would wait for its bytes.
      if (failure) throw failure;
      // Its readers learn of the failure by their iteration; unheard, the error would crash the process.
      entry.on("error", () => {});
      current = entry;
      yield entry;
      // Read to its end by the caller, or else skipped here: the zip goes on only past a read entry.
      if (!entry.readableEnded) await Promise.race([entry.autodrain().promise(), failed]);
      current = null;
    }
  } catch (err) {
    throw failure ?? err;
  } finally {
    (current as Entry | null)?.destroy();
    zip.destroy();
    input.destroy();
  }
  if (failure) throw failure;
}
