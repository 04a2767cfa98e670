import { type CsvRecord, csvRecords } from "./csv-records";
import { decodeChunks, detectEncoding, SNIFF_BYTES, type TextEncodingName } from "./decode";
import { headerDelimiter } from "./delimiter";
import { type FieldDef, type HeaderMatch, matchHeaders } from "./headers";
import { HEADER_SEARCH_ROWS, locateHeader } from "./read-csv";
import type { RowIssue } from "./row-reader";
import { type ByteSource, countBytes, peekBytes } from "./source";

export type TableHeader = { row: number; headers: string[]; match: HeaderMatch };

export type OpenedTable = {
  encoding: TextEncodingName;
  header: TableHeader | null;
  /** Problems of the file as a whole; CSV syntax problems are added while `records` is read. */
  issues: RowIssue[];
  /** Non-blank data rows after the header, a chunk at a time. */
  records: AsyncIterable<CsvRecord[]>;
};

const isBlank = (cells: readonly string[]) => cells.every((c) => c.trim() === "");

/**
 * Opens a CSV file of one kind as a stream of records: encoding guessed from the first bytes (or
 * forced), text decoded and parsed piece by piece, and the header row found among the first rows
 * even when title rows sit above it. Memory stays bounded by one piece, whatever the file size.
 */
export async function openTable(
  source: ByteSource,
  fields: readonly FieldDef[],
  { encoding, onBytes = () => {} }: { encoding?: TextEncodingName; onBytes?: (n: number) => void } = {},
): Promise<OpenedTable> {
  const { head, all } = await peekBytes(countBytes(source.open(), onBytes), SNIFF_BYTES);
  const detected = encoding ? { encoding, bom: false } : detectEncoding(head);
  const delimiter = (sample: string, newline: string) => headerDelimiter(sample, newline, fields, HEADER_SEARCH_ROWS);
  const chunks = csvRecords(decodeChunks(all, detected), { delimiter })[Symbol.asyncIterator]();
  const issues: RowIssue[] = [];
  // The first non-blank rows, where the header is looked for. Blank rows are dropped as they come
  // (a sheet may start with any number of them), and nothing is spread into a call: a chunk may
  // hold hundreds of thousands of records, more than a call's arguments fit on the stack.
  const leading: CsvRecord[] = [];
  let ended = false;
  while (leading.length < HEADER_SEARCH_ROWS) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    for (const record of next.value.records) if (!isBlank(record.cells)) leading.push(record);
    for (const issue of next.value.issues) issues.push(issue);
  }
  const empty = (table: Omit<OpenedTable, "records">): OpenedTable => ({ ...table, records: drain(leading, chunks, issues, ended) });
  if (ended && leading.length === 0) {
    return empty({ encoding: detected.encoding, header: null, issues: [{ row: 1, column: null, message: "the file is empty" }] });
  }
  const best = locateHeader(
    leading.map((r) => r.cells),
    fields,
  );
  if (typeof best !== "number") return empty({ encoding: detected.encoding, header: null, issues: [...issues, best] });
  const headers = leading[best]!.cells.map((h) => h.trim());
  const header = { row: leading[best]!.row, headers, match: matchHeaders(headers, fields) };
  return { encoding: detected.encoding, header, issues, records: drain(leading.slice(best + 1), chunks, issues, ended) };
}

async function* drain(first: CsvRecord[], rest: AsyncIterator<{ records: CsvRecord[]; issues: RowIssue[] }>, issues: RowIssue[], ended: boolean) {
  const kept = first.filter((r) => !isBlank(r.cells));
  if (kept.length) yield kept;
  if (ended) return;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    for (const issue of next.value.issues) issues.push(issue);
    const records = next.value.records.filter((r) => !isBlank(r.cells));
    if (records.length) yield records;
  }
}
