/**
 * A workbook described without any spreadsheet library, so services and routes stay
 * runtime-agnostic: the Node entry supplies a writer (src/export/xlsx-writer.ts, exceljs);
 * Workers have none and answer 501 (exceljs needs Node's streams, which the Worker does not load).
 */

/** How a column's cells are stored and shown: numbers stay numbers, with the format a reader expects. */
export type CellKind =
  | "text"
  /** whole numbers, thousands separated */
  | "integer"
  /** CNY per package or unit, 4 decimals (0.0946 元/片) */
  | "price"
  /** CNY totals, 2 decimals */
  | "money"
  /** a percent given as percent points (97.7), stored as a fraction (0.977) shown 97.70% */
  | "percent";

export type SheetColumn = { header: string; kind: CellKind };
export type SheetCell = string | number | null;

export type Sheet = {
  name: string;
  columns: readonly SheetColumn[];
  /** Rows in column order; read one page at a time, never all at once. */
  rows: AsyncIterable<SheetCell[]>;
};

/** A sheet's rows from a list in hand, one row made as the writer asks for it. */
export async function* sheetRows<T>(items: readonly T[], row: (item: T) => SheetCell[]): AsyncGenerator<SheetCell[]> {
  for (const item of items) yield row(item);
}

/** Streams the sheets as an .xlsx file. */
export type SpreadsheetWriter = (sheets: Sheet[]) => ReadableStream<Uint8Array>;

/** Why a runtime without a writer (Workers) answers 501 for a workbook. */
export const XLSX_UNAVAILABLE = "this runtime writes no .xlsx (Cloudflare Workers): use the JSON or CSV answer, or a Node server";

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Widths in Excel's character units: a Chinese character takes two. */
export function displayWidth(value: SheetCell): number {
  if (value === null) return 0;
  const text = typeof value === "number" ? value.toFixed(4) : value;
  let width = 0;
  for (const ch of text) width += /[\u1100-\uffff]/.test(ch) ? 2 : 1;
  return width;
}
