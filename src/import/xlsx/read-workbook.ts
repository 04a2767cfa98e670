import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import type { CsvRecord } from "../csv-records";
import { DecodeError } from "../decode";
import { type FieldDef, matchHeaders } from "../headers";
import { HEADER_SEARCH_ROWS, locateHeader } from "../read-csv";
import type { RowIssue } from "../row-reader";
import { type ByteSource, countBytes } from "../source";
import type { OpenedTable } from "../table-stream";
import { cellText } from "./cell-text";
import { FileFormatError } from "./sniff";
import { type MergedRange, readWorkbookStructure, type SheetInfo } from "./structure";

export class WorkbookError extends FileFormatError {}

export type OpenedWorkbook = OpenedTable & { sheet: string | null };

export type WorkbookOptions = {
  /** A sheet's name, or its position among the tabs (1 = the first). */
  sheet?: string;
  onBytes?: (n: number) => void;
  /** Turns the header row's cells into field matches (manual mapping); matchHeaders otherwise. */
  match?: (headers: string[]) => ReturnType<typeof matchHeaders>;
};

const ROWS_PER_CHUNK = 500;

/**
 * Opens one worksheet of an .xlsx workbook as the same stream of records a CSV gives, reading rows
 * as they are inflated (exceljs's streaming reader: memory stays bounded by the shared strings,
 * whatever the number of rows). The sheet is the one asked for, else the first whose header
 * names the kind's required columns. Title rows above the header are skipped as in a CSV; merged
 * cells repeat their value in every cell they cover; formulas give their cached values.
 */
export async function openWorkbookTable(source: ByteSource, fields: readonly FieldDef[], options: WorkbookOptions = {}): Promise<OpenedWorkbook> {
  let structure: SheetInfo[];
  try {
    structure = await readWorkbookStructure(source.open());
  } catch (err) {
    throw new WorkbookError(`the file is not a readable .xlsx workbook (${err instanceof Error ? err.message : String(err)}); save it again from Excel or WPS`);
  }
  if (structure.length === 0) throw new WorkbookError("the workbook has no worksheets");
  const wanted = options.sheet === undefined ? null : resolveSheet(structure, options.sheet);
  const input = Readable.from(countBytes(source.open(), options.onBytes ?? (() => {})));
  const reader: ExcelJS.stream.xlsx.WorkbookReader = new Utf8SafeWorkbookReader(input, {
    worksheets: "emit",
    sharedStrings: "cache",
    // Styles tell dates from numbers.
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  const sheets = reader[Symbol.asyncIterator]() as AsyncIterator<ExcelJS.stream.xlsx.WorksheetReader>;
  const close = async () => {
    await sheets.return?.();
    input.destroy();
  };
  const looked: string[] = [];
  const match = options.match ?? ((headers: string[]) => matchHeaders(headers, fields));
  try {
    for (let index = 0; ; index++) {
      const next = await sheets.next();
      if (next.done) break;
      const ws = next.value;
      // as unknown as: exceljs's typings omit `name` on a streamed worksheet, which it sets at run time.
      const info = structure.find((s) => s.name === (ws as unknown as { name: string }).name) ?? structure[index];
      if (!info) continue;
      const rows = sheetRecords(ws, info.merges)[Symbol.asyncIterator]();
      if (wanted && info !== wanted) {
        await drain(rows);
        continue;
      }
      const leading: CsvRecord[] = [];
      let ended = false;
      while (leading.length < HEADER_SEARCH_ROWS) {
        const r = await rows.next();
        if (r.done) {
          ended = true;
          break;
        }
        leading.push(r.value);
      }
      const best = leading.length
        ? locateHeader(
            leading.map((r) => r.cells),
            fields,
          )
        : ({ row: 1, column: null, message: "the sheet is empty" } as RowIssue);
      const found = typeof best === "number" ? best : null;
      const headerCells = found === null ? [] : leading[found]!.cells.map((h) => h.trim());
      const headerMatch = found === null ? null : match(headerCells);
      if (!wanted && (headerMatch === null || headerMatch.missing.length > 0)) {
        looked.push(info.name);
        if (!ended) await drain(rows);
        continue;
      }
      if (found === null || headerMatch === null) {
        await close();
        const issue = best as RowIssue;
        return {
          encoding: "utf-8",
          sheet: info.name,
          header: null,
          issues: [{ ...issue, message: `sheet "${info.name}": ${issue.message}` }],
          records: empty(),
        };
      }
      const width = headerCells.length;
      const header = { row: leading[found]!.row, headers: headerCells, match: headerMatch };
      return { encoding: "utf-8", sheet: info.name, header, issues: [], records: chunked(leading.slice(found + 1), ended ? null : rows, width, close) };
    }
  } catch (err) {
    await close().catch(() => {});
    if (err instanceof DecodeError) throw err;
    throw new WorkbookError(`the workbook could not be read (${err instanceof Error ? err.message : String(err)}); save it again from Excel or WPS`);
  }
  await close();
  const names = structure.map((s) => `"${s.name}"`).join(", ");
  const required = fields
    .filter((f) => f.required || f.requiredGroup)
    .map((f) => [f.field, ...f.aliases.slice(0, 2)].join("/"))
    .join(", ");
  throw new WorkbookError(
    `no sheet has a header row with the required columns (${required}) in its first ${HEADER_SEARCH_ROWS} rows; sheets: ${names}. ` +
      `Choose one with --sheet / sheet= (name or position), or map columns by hand (--map / map=)`,
  );
}

/**
 * exceljs 4.4's streaming reader decodes each inflated piece of XML on its own, so a Chinese
 * character split between two pieces comes out as two U+FFFD (浙江 → 浙��: about one cell in a
 * few hundred of a real workbook). The shared strings and every sheet are decoded here as one
 * UTF-8 stream instead; exceljs takes text pieces as they are.
 */
// as unknown as (at the end): the subclass of the untyped base is typed back as exceljs's WorkbookReader, whose API it keeps.
// biome-ignore lint/suspicious/noExplicitAny: exceljs declares no types for the methods overridden here.
const Utf8SafeWorkbookReader = class extends (ExcelJS.stream.xlsx.WorkbookReader as any) {
  _parseSharedStrings(entry: NodeJS.ReadableStream) {
    entry.setEncoding("utf8");
    return super._parseSharedStrings(entry);
  }
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string) {
    return super._parseWorksheet(decodeUtf8(iterator), sheetNo);
  }
} as unknown as typeof ExcelJS.stream.xlsx.WorkbookReader;

async function* decodeUtf8(pieces: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  for await (const piece of pieces) {
    const text = typeof piece === "string" ? piece : decoder.decode(piece, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

function resolveSheet(structure: SheetInfo[], wanted: string): SheetInfo {
  const byName = structure.find((s) => s.name === wanted) ?? structure.find((s) => s.name.trim().normalize("NFKC") === wanted.trim().normalize("NFKC"));
  if (byName) return byName;
  if (/^\d+$/.test(wanted.trim())) {
    const byPosition = structure[Number(wanted.trim()) - 1];
    if (byPosition) return byPosition;
  }
  throw new WorkbookError(`the workbook has no sheet "${wanted}"; its sheets are ${structure.map((s) => `${s.position}: "${s.name}"`).join(", ")}`);
}

/** Rows of one sheet with their sheet row numbers, merged cells filled from their top-left cell. */
async function* sheetRecords(ws: ExcelJS.stream.xlsx.WorksheetReader, merges: MergedRange[]): AsyncGenerator<CsvRecord> {
  const starting = new Map<number, MergedRange[]>();
  for (const m of merges) {
    if (m.top === m.bottom && m.left === m.right) continue;
    const list = starting.get(m.top) ?? [];
    list.push(m);
    starting.set(m.top, list);
  }
  let active: Array<{ range: MergedRange; value: string }> = [];
  for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
    const values = row.values as unknown[];
    const cells: string[] = [];
    for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
    const r = row.number;
    if (starting.size || active.length) {
      active = active.filter((a) => a.range.bottom >= r);
      for (const range of starting.get(r) ?? []) active.push({ range, value: cells[range.left - 1] ?? "" });
      starting.delete(r);
      for (const { range, value } of active) {
        if (range.top > r) continue;
        for (let c = range.left; c <= range.right; c++) {
          if (r === range.top && c === range.left) continue;
          while (cells.length < c) cells.push("");
          cells[c - 1] = value;
        }
      }
    }
    yield { row: r, cells };
  }
}

async function* chunked(first: CsvRecord[], rest: AsyncIterator<CsvRecord> | null, width: number, close: () => Promise<void>): AsyncGenerator<CsvRecord[]> {
  const pad = (r: CsvRecord) => {
    while (r.cells.length < width) r.cells.push("");
    return r;
  };
  try {
    const firstKept = first.filter((r) => !isBlank(r.cells)).map(pad);
    if (firstKept.length) yield firstKept;
    if (!rest) return;
    let chunk: CsvRecord[] = [];
    for (;;) {
      const next = await rest.next();
      if (next.done) break;
      if (isBlank(next.value.cells)) continue;
      chunk.push(pad(next.value));
      if (chunk.length >= ROWS_PER_CHUNK) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length) yield chunk;
  } finally {
    await close();
  }
}

async function drain(rows: AsyncIterator<unknown>) {
  for (;;) if ((await rows.next()).done) return;
}

async function* empty(): AsyncGenerator<CsvRecord[]> {}

const isBlank = (cells: readonly string[]) => cells.every((c) => c.trim() === "");
