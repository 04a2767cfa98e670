/// <reference path="./unzipper.d.ts" />
import { Readable, type Transform } from "node:stream";
import type { Entry } from "unzipper";

/** The zip ends before its last entry: the file was cut short (an upload or a copy that stopped). */
export class ZipEndsEarlyError extends Error {
  constructor(options?: ErrorOptions) {
    super("the zip ends before its last entry", options);
  }
}

/** A zip that inflates far beyond what any spreadsheet does: built to exhaust memory, not to be read. */
export class ZipTooInflatedError extends Error {
  constructor() {
    super(`the workbook inflates to more than ${MAX_INFLATE_RATIO} times its size, which no workbook saved by Excel or WPS does; it is refused`);
  }
}

/**
 * Apache POI's limit for the same check (ZipSecureFile, minimum compression 0.01): a sheet of
 * spreadsheet XML compresses 5 to 30 times, a crafted file a thousand. Checked once the parts read
 * so far pass FREE_INFLATED_BYTES, so that a small file of blank cells is not refused.
 */
const MAX_INFLATE_RATIO = 100;
const FREE_INFLATED_BYTES = 64 * 1024 * 1024;

/**
 * The entries of a zip, in the order it stores them, each read (or skipped) by the caller before
 * the next is parsed. Entries read with Node's iteration of the stream, which yields every entry
 * the parser pushed, even those still waiting when unzipper announces its end.
 *
 * Whatever stops the zip fails the entry being read: unzipper reports a file that ends inside an
 * entry (a truncated upload) or a corrupt one only as an error of the zip stream, which no reader
 * of the entry hears, so the entry waited for bytes that never came and the import never ended
 * (and kept the import lock). The bytes failing (an upload aborted) fail the zip in turn. A zip that
 * inflates more than MAX_INFLATE_RATIO times the bytes read so far fails too: 1.5 MB of shared
 * strings inflating to 1.5 GB took the process past its heap before a row was read.
 */
export async function* zipEntries(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<Entry> {
  let compressed = 0;
  let inflated = 0;
  const input = Readable.from(
    (async function* () {
      for await (const piece of bytes) {
        compressed += piece.byteLength;
        yield piece;
      }
    })(),
  );
  // Loaded on the first workbook (see openWorkbookTable): a server that never reads one never pays for it.
  const { Parse } = await import("unzipper");
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
      countInflated(entry, (n) => {
        inflated += n;
        if (inflated <= FREE_INFLATED_BYTES || inflated <= MAX_INFLATE_RATIO * compressed) return null;
        const err = new ZipTooInflatedError();
        stop(err);
        return err;
      });
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

/**
 * Counts the bytes the entry's inflater hands it (an entry is a PassThrough the inflater writes
 * into), and fails the entry when `onBytes` answers an error.
 */
function countInflated(entry: Entry, onBytes: (n: number) => Error | null): void {
  // as unknown as: unzipper's entry is a PassThrough (a Transform); its typings declare a Readable.
  const through = entry as unknown as Transform;
  const pass = through._transform.bind(through);
  through._transform = (chunk: Buffer, encoding, done) => {
    const err = onBytes(chunk.length);
    if (err) done(err);
    else pass(chunk, encoding, done);
  };
}
