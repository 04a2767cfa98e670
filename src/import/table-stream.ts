import { csvRecords, type CsvRecord } from "./csv-records";
import { decodeChunks, detectEncoding, SNIFF_BYTES, type TextEncodingName } from "./decode";
import { matchHeaders, type FieldDef, type HeaderMatch } from "./headers";
import { HEADER_SEARCH_ROWS, locateHeader } from "./read-csv";
import type { RowIssue } from "./row-reader";
import { countBytes, peekBytes, type ByteSource } from "./source";

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
  const chunks = csvRecords(decodeChunks(all, detected))[Symbol.asyncIterator]();
  const issues: RowIssue[] = [];
  const leading: CsvRecord[] = [];
  let ended = false;
  while (leading.length < HEADER_SEARCH_ROWS) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    leading.push(...next.value.records);
    issues.push(...next.value.issues);
  }
  const empty = (table: Omit<OpenedTable, "records">): OpenedTable => ({ ...table, records: drain(leading, chunks, issues, ended) });
  if (ended && leading.every((r) => isBlank(r.cells))) {
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
    issues.push(...next.value.issues);
    const records = next.value.records.filter((r) => !isBlank(r.cells));
    if (records.length) yield records;
  }
}
