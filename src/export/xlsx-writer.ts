import { PassThrough, Readable } from "node:stream";
import type ExcelJS from "exceljs";
import { type CellKind, displayWidth, type Sheet, type SheetCell, type SpreadsheetWriter } from "../services/spreadsheet";

const NUMBER_FORMATS: Record<CellKind, string | undefined> = {
  text: undefined,
  integer: "#,##0",
  price: "0.0000",
  money: "#,##0.00",
  percent: "0.00%",
};

/** Rows looked at to size the columns before the first row is written (a streamed sheet cannot be re-measured). */
const ROWS_MEASURED = 200;
const MIN_WIDTH = 6;
const MAX_WIDTH = 60;

/**
 * .xlsx through exceljs's streaming WorkbookWriter: rows are written and flushed as they come, so an
 * export of 100,000 prices never holds its workbook in memory. Each sheet gets a bold, frozen header
 * row, number formats by column kind and widths fitted to the header and the first rows.
 */
export const writeXlsx: SpreadsheetWriter = (sheets) => {
  const out = new PassThrough();
  (async () => {
    // Loaded on the first workbook written, not at the server's start: exceljs takes ~30 MB of each thread's memory.
    const excel = (await import("exceljs")).default;
    const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    for (const sheet of sheets) await writeSheet(workbook, sheet, out);
    await workbook.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  // as unknown as: node:stream/web's ReadableStream and the DOM typings' are the same object at run time, two declarations in the types.
  return Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>;
};

async function writeSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: Sheet, out: PassThrough): Promise<void> {
  const ws = workbook.addWorksheet(sheet.name, { views: [{ state: "frozen", ySplit: 1 }] });
  const rows = sheet.rows[Symbol.asyncIterator]();
  const first: SheetCell[][] = [];
  let next = await rows.next();
  while (!next.done && first.length < ROWS_MEASURED) {
    first.push(next.value);
    next = await rows.next();
  }
  ws.columns = sheet.columns.map((col, i) => {
    const widest = Math.max(displayWidth(col.header), ...first.map((r) => cellWidth(r[i] ?? null, col.kind)));
    return { width: Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widest + 2)) };
  });
  const header = ws.addRow(sheet.columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  const write = (values: SheetCell[]) => {
    const row = ws.addRow(values.map((v, i) => toCell(v, sheet.columns[i]!.kind)));
    sheet.columns.forEach((col, i) => {
      const format = NUMBER_FORMATS[col.kind];
      if (format && values[i] !== null && values[i] !== undefined) row.getCell(i + 1).numFmt = format;
    });
    row.commit();
  };
  for (const r of first) write(r);
  let written = 0;
  for (let r = next; !r.done; r = await rows.next()) {
    write(r.value);
    if (++written % 200 === 0) {
      // The rows come from the database through promises that settle at once (libSQL answers
      // synchronously), so without a turn of the event loop zlib never hands its output on and the
      // whole workbook piles up in memory (measured: first byte after 84 s, 464 MB, for 100,000 rows).
      await new Promise((resolve) => setImmediate(resolve));
      // exceljs writes without waiting for the reader: wait for a slow download here.
      if (out.writableNeedDrain) await new Promise((resolve) => out.once("drain", resolve));
    }
  }
  await ws.commit();
}

function toCell(value: SheetCell, kind: CellKind): SheetCell {
  if (value === null) return null;
  if (kind === "percent" && typeof value === "number") return Number((value / 100).toFixed(6));
  return value;
}

function cellWidth(value: SheetCell, kind: CellKind): number {
  if (typeof value !== "number") return displayWidth(value);
  const shown =
    kind === "percent"
      ? `${value.toFixed(2)}%`
      : kind === "price"
        ? value.toFixed(4)
        : kind === "money"
          ? value.toLocaleString("en", { minimumFractionDigits: 2 })
          : value.toLocaleString("en");
  return shown.length;
}
