import type { TextEncodingName } from "./decode";
import { type ColumnMap, type FieldDef, matchHeaders } from "./headers";
import type { ByteSource } from "./source";
import { type OpenedTable, openTable } from "./table-stream";
import type { OpenedWorkbook, WorkbookOptions } from "./xlsx/read-workbook";
import { type FileFormat, FileFormatError, LEGACY_XLS_MESSAGE, sniffFormat, WorkbookUnsupportedError } from "./xlsx/sniff";

/** Reads .xlsx workbooks; given by runtimes that can (Node), absent on Cloudflare Workers. */
export type WorkbookOpener = (source: ByteSource, fields: readonly FieldDef[], options: WorkbookOptions) => Promise<OpenedWorkbook>;

export type OpenedFile = OpenedTable & { format: "csv" | "xlsx"; sheet: string | null };

export type OpenFileOptions = {
  encoding?: TextEncodingName;
  sheet?: string;
  /** Columns mapped by hand: field → header. */
  manual?: ColumnMap;
  onBytes?: (n: number) => void;
  readWorkbook?: WorkbookOpener;
};

/** The format of a source from its first bytes. */
export async function sourceFormat(source: ByteSource): Promise<FileFormat> {
  for await (const chunk of source.open()) {
    if (chunk.length >= 4) return sniffFormat(chunk);
    if (chunk.length > 0) return "csv";
  }
  return "csv";
}

/**
 * Opens any file an import takes, CSV or .xlsx, found from its bytes (not its name or media type,
 * which users get wrong), as one stream of records under a recognised header. Columns mapped by
 * hand count as known headers when the header row is looked for, and win over aliases.
 */
export async function openImportFile(source: ByteSource, fields: readonly FieldDef[], options: OpenFileOptions = {}): Promise<OpenedFile> {
  const manual = options.manual ?? new Map<string, string>();
  const withManual = manual.size ? fields.map((f) => (manual.has(f.field) ? { ...f, aliases: [manual.get(f.field)!, ...f.aliases] } : f)) : fields;
  const format = await sourceFormat(source);
  if (format === "xls") throw new FileFormatError(LEGACY_XLS_MESSAGE);
  if (format === "xlsx") {
    if (!options.readWorkbook) throw new WorkbookUnsupportedError();
    const book = await options.readWorkbook(source, withManual, {
      sheet: options.sheet,
      onBytes: options.onBytes,
      match: (headers) => matchHeaders(headers, fields, manual),
    });
    return { ...book, format: "xlsx" };
  }
  const table = await openTable(source, withManual, { encoding: options.encoding, onBytes: options.onBytes });
  if (table.header && manual.size) table.header.match = matchHeaders(table.header.headers, fields, manual);
  return { ...table, format: "csv", sheet: null };
}
