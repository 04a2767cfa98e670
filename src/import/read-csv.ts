import Papa from "papaparse";
import { firstLineBreak } from "./csv-records";
import { headerDelimiter } from "./delimiter";
import { type FieldDef, type HeaderMatch, headerScore, matchHeaders } from "./headers";
import type { RowIssue } from "./row-reader";

export type CsvTable = {
  /** 1-based spreadsheet row number of the header row. */
  headerRow: number;
  headers: string[];
  match: HeaderMatch;
  /** Data records with their spreadsheet row numbers (a quoted newline stays inside one row). */
  records: Array<{ row: number; cells: string[] }>;
};

export const HEADER_SEARCH_ROWS = 30;

/**
 * Parses CSV text and finds the header row of one kind, which published tables often put under
 * a title row or two. Problems of the file as a whole come back as issues with row numbers.
 */
export function readCsv(text: string, fields: readonly FieldDef[]): { table: CsvTable | null; issues: RowIssue[] } {
  const newline = firstLineBreak(text) ?? "\n";
  const delimiter = headerDelimiter(text.slice(0, 64 * 1024), newline, fields, HEADER_SEARCH_ROWS);
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false, delimiter, newline });
  const issues: RowIssue[] = parsed.errors.map((e) => ({ row: (e.row ?? 0) + 1, column: null, message: `CSV syntax: ${e.message}` }));
  const rows = parsed.data;
  // Blank rows (any number, above the header too) are skipped; row numbers stay the file's own.
  const filled: number[] = [];
  rows.forEach((r, i) => {
    if (!r.every((c) => c.trim() === "")) filled.push(i);
  });
  if (filled.length === 0) {
    return { table: null, issues: [{ row: 1, column: null, message: "the file is empty" }] };
  }
  const found = locateHeader(
    filled.slice(0, HEADER_SEARCH_ROWS).map((i) => rows[i]!),
    fields,
  );
  if (typeof found !== "number") return { table: null, issues: [found] };
  const best = filled[found]!;
  const headers = (rows[best] ?? []).map((h) => h.trim());
  const match = matchHeaders(headers, fields);
  const records: CsvTable["records"] = [];
  for (let i = best + 1; i < rows.length; i++) {
    const cells = rows[i] ?? [];
    if (cells.every((c) => c.trim() === "")) continue;
    records.push({ row: i + 1, cells });
  }
  return { table: { headerRow: best + 1, headers, match, records }, issues };
}

/**
 * Index of the header row among the first rows of a file: the first row naming two known columns
 * (title rows above it are skipped), else for a one-column file the row naming the most. Returns
 * the issue to report when none does.
 */
export function locateHeader(rows: readonly (readonly string[])[], fields: readonly FieldDef[]): number | RowIssue {
  const scores = rows.slice(0, HEADER_SEARCH_ROWS).map((r) => headerScore(r, fields));
  let best = scores.findIndex((s) => s >= 2);
  if (best < 0) best = scores.indexOf(Math.max(1, ...scores));
  if (best >= 0) return best;
  const groups = new Set<string>();
  const expected = fields
    .filter((f) => f.required || (f.requiredGroup && !groups.has(f.requiredGroup) && groups.add(f.requiredGroup)))
    .map((f) => [f.field, ...f.aliases.slice(0, 2)].join("/"));
  return { row: 1, column: null, message: `no header row found in the first ${HEADER_SEARCH_ROWS} rows; expected columns such as ${expected.join(", ")}` };
}
