/**
 * The bytes of one uploaded or local file. `open()` starts from the beginning each time it is
 * called: when the first 64 KB looked like UTF-8 but a later byte is not, the import reads the
 * file again as GB18030 instead of asking the user which encoding it is.
 */
export type ByteSource = {
  open(): AsyncIterable<Uint8Array>;
  /** Total size when known, for progress and ETA. */
  size: number | null;
};

/** A file already in memory (an HTTP body, a seed file), handed out in slices like a stream. */
export function bytesSource(bytes: Uint8Array, sliceSize = 1024 * 1024): ByteSource {
  return {
    size: bytes.length,
    async *open() {
      for (let i = 0; i < bytes.length; i += sliceSize) yield bytes.subarray(i, i + sliceSize);
    },
  };
}

/** What an import reports while it runs; the CLI turns it into a progress bar. */
export type ImportProgress = {
  /** data rows read so far */
  rows: number;
  bytesRead: number;
  totalBytes: number | null;
  done: boolean;
};

/** Reads the first `n` bytes (or the whole input when shorter) and gives back the full stream. */
export async function peekBytes(input: AsyncIterable<Uint8Array>, n: number): Promise<{ head: Uint8Array; all: AsyncIterable<Uint8Array> }> {
  const it = input[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  while (length < n) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    parts.push(next.value);
    length += next.value.length;
  }
  const head = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    head.set(p, at);
    at += p.length;
  }
  async function* all() {
    if (head.length) yield head;
    if (ended) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, all: all() };
}

/** Counts bytes as they pass, for progress. */
export async function* countBytes(input: AsyncIterable<Uint8Array>, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of input) {
    onBytes(chunk.length);
    yield chunk;
  }
}
