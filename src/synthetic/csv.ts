import { once } from "node:events";
import type { Writable } from "node:stream";
import Papa from "papaparse";

export interface WriteCsvOptions {
  /** rows per `unparse` call; bounds memory together with the stream's own buffer */
  chunkSize?: number;
}

/**
 * Writes a header line and then `rows` as CSV (papaparse `unparse`, `\n` line ends, fields quoted
 * only when needed) to `out`, chunk by chunk, waiting for `drain` whenever the stream asks to.
 * Does not end `out`. Returns the number of data rows written.
 */
export async function writeCsv<Row extends object>(
  rows: Iterable<Row>,
  columns: readonly (keyof Row & string)[],
  out: Writable,
  { chunkSize = 5000 }: WriteCsvOptions = {},
): Promise<number> {
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  const fields = [...columns];
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, "drain");
  };
  await write(`${Papa.unparse([fields], { newline: "\n" })}\n`);
  let written = 0;
  let chunk: Row[] = [];
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    await write(`${Papa.unparse(chunk, { header: false, columns: fields, newline: "\n" })}\n`);
    written += chunk.length;
    chunk = [];
  };
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length >= chunkSize) await flush();
  }
  await flush();
  return written;
}
