import { Readable } from "node:stream";
import type ExcelJS from "exceljs";
import type { CsvRecord } from "../csv-records";
import { DecodeError } from "../decode";
import { type FieldDef, matchHeaders } from "../headers";
import { HEADER_SEARCH_ROWS, locateHeader } from "../read-csv";
import type { RowIssue } from "../row-reader";
import { type ByteSource, countBytes } from "../source";
import type { OpenedTable } from "../table-stream";
import { cellText } from "./cell-text";
import { WorkbookError } from "./sniff";
import { type MergedRange, type PartReader, readWorkbookStructure, type SheetInfo } from "./structure";
import { ZipEndsEarlyError, ZipTooInflatedError, zipEntries } from "./zip-entries";

export { WorkbookError };

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
  // Loaded on a thread's first workbook, not at its start: exceljs and unzipper take ~30 MB of each thread's memory.
  const cells = new WorkbookCells((await import("exceljs")).default);
  let structure: SheetInfo[];
  try {
    structure = await readWorkbookStructure(source.open(), cells);
  } catch (err) {
    throw zipFailure(err) ?? new WorkbookError(`the file is not a readable .xlsx workbook (${reason(err)}); save it again from Excel or WPS`, { cause: err });
  }
  if (structure.length === 0) throw new WorkbookError("the workbook has no worksheets");
  const wanted = options.sheet === undefined ? null : resolveSheet(structure, options.sheet);
  const sheets = worksheetEntries(countBytes(source.open(), options.onBytes ?? (() => {})), structure);
  const close = async () => {
    await sheets.return(undefined);
  };
  const looked: string[] = [];
  const match = options.match ?? ((headers: string[]) => matchHeaders(headers, fields));
  try {
    for (;;) {
      const next = await sheets.next();
      if (next.done) break;
      const { info, content } = next.value;
      // Another sheet than the one asked for is skipped unparsed (worksheetEntries drains it).
      if (wanted && info !== wanted) continue;
      const rows = sheetRecords(cells.worksheet(content, info), info.merges)[Symbol.asyncIterator]();
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
    throw unreadable(err);
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
 * The sheets' zip entries, in the order the zip stores them (as exceljs's reader gave them), each
 * with what the structure pass learned of it; other entries are skipped. Ended early (return()),
 * the zip and the bytes are let go.
 *
 * exceljs 4.4's own reader (WorkbookReader.parse) is not used for the zip: Excel and exceljs store
 * the shared strings (and exceljs workbook.xml) after the sheets, so it copies every sheet to a
 * temporary file, and loops over the zip's entries with its iterateStream, which stops at the
 * zip's 'end' event. unzipper emits 'end' as soon as it has parsed the last byte, while entries it
 * parsed may still wait in its buffer for a reader busy writing a sheet to disk: the last entries
 * (shared strings, styles, workbook.xml) were then never read, and the first sheet failed with
 * "Cannot read properties of undefined (reading 'sheets')". The zip's parser outran the temporary
 * file whenever the disk was slower than inflating the rest of the file: always for a workbook
 * saved without compression, now and then on a busy machine (the import page's test, once in a
 * run of the whole suite). Its temporary files of the last sheet read also stayed until the
 * process ended. Here the structure pass has read those parts already (WorkbookCells), so each
 * sheet streams from the zip straight into exceljs's cell parser, nothing goes to disk, and the
 * entries are read with zipEntries.
 */
async function* worksheetEntries(
  bytes: AsyncIterable<Uint8Array>,
  structure: readonly SheetInfo[],
): AsyncGenerator<{ info: SheetInfo; content: AsyncIterable<Buffer | string> }> {
  for await (const entry of zipEntries(bytes)) {
    const info = structure.find((s) => s.path === entry.path);
    // Read to its end by the caller, or else skipped by zipEntries.
    if (info) yield { info, content: entry };
  }
}

/**
 * exceljs's streaming cell parser, fed by hand: the structure pass hands it the parts cells refer
 * to (shared strings, styles for telling dates from numbers, workbook.xml for the 1904 date
 * system), then each sheet's entry becomes one of its WorksheetReaders.
 *
 * exceljs 4.4 decodes each inflated piece of XML on its own, so a Chinese character split between
 * two pieces comes out as two U+FFFD (浙江 → 浙��: about one cell in a few hundred of a real
 * workbook). The shared strings and every sheet are decoded here as one UTF-8 stream instead;
 * exceljs takes text pieces as they are.
 */
class WorkbookCells implements PartReader {
  readonly paths: ReadonlySet<string> = new Set(["xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml"]);
  private readonly reader: ExcelJsReaderInternals;

  constructor(excel: typeof ExcelJS) {
    // as unknown as: exceljs's typings declare none of the reader's methods used here (ExcelJsReaderInternals).
    this.reader = new excel.stream.xlsx.WorkbookReader(Readable.from([]), {
      worksheets: "emit",
      sharedStrings: "cache",
      styles: "cache",
      hyperlinks: "ignore",
      entries: "ignore",
    }) as unknown as ExcelJsReaderInternals;
  }

  async read(path: string, content: Readable): Promise<void> {
    if (path === "xl/workbook.xml") await this.reader._parseWorkbook(content);
    else if (path === "xl/styles.xml") await this.reader._parseStyles(content);
    else if (path === "xl/sharedStrings.xml") {
      content.setEncoding("utf8");
      // Cached on the reader ("cache"): the generator yields nothing.
      for await (const _ of this.reader._parseSharedStrings(content));
    }
  }

  worksheet(content: AsyncIterable<Buffer | string>, info: SheetInfo): ExcelJS.stream.xlsx.WorksheetReader {
    const emitted = this.reader._parseWorksheet(decodeUtf8(content), String(info.position)).next();
    if (emitted.done) throw new Error("exceljs emitted no worksheet reader");
    return emitted.value.value;
  }
}

/** The methods of exceljs 4.4's WorkbookReader used by WorkbookCells, which its typings do not declare. */
type ExcelJsReaderInternals = {
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Generator<{ eventType: "worksheet"; value: ExcelJS.stream.xlsx.WorksheetReader }>;
};

/** A failure of exceljs or of the zip while reading cells, as the file's error naming what failed. */
function unreadable(err: unknown): Error {
  if (err instanceof DecodeError) return err;
  return zipFailure(err) ?? new WorkbookError(`the workbook could not be read (${reason(err)}); save it again from Excel or WPS`, { cause: err });
}

/** The zip's own failures (cut short, inflating beyond reason) as the file's error, in either pass; null for any other. */
function zipFailure(err: unknown): WorkbookError | null {
  if (err instanceof ZipEndsEarlyError)
    return new WorkbookError("the workbook is cut short: the file ends before its last part; upload or copy the whole file again", { cause: err });
  if (err instanceof ZipTooInflatedError) return new WorkbookError(err.message, { cause: err });
  return null;
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

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
      let next: IteratorResult<CsvRecord>;
      try {
        next = await rest.next();
      } catch (err) {
        throw unreadable(err);
      }
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
