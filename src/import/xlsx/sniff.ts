import { DecodeError } from "../decode";

/** A file the import cannot read as it is (a legacy .xls, a broken workbook): reported as the file's error. */
export class FileFormatError extends DecodeError {}

/** An .xlsx the import could not read (cut short, damaged, no sheet with the columns): the file's error, and the report says it was a workbook. */
export class WorkbookError extends FileFormatError {}

/** An .xlsx where this runtime cannot read workbooks (Cloudflare Workers): the caller answers 415. */
export class WorkbookUnsupportedError extends DecodeError {
  constructor() {
    super(
      "the file is an Excel workbook (.xlsx), which this server cannot read (on Cloudflare Workers a workbook reader does not fit the request limits); " +
        "import it with the CLI (`npm run import -- prices file.xlsx`) against the same database, or save the sheet as CSV UTF-8 and upload that",
    );
  }
}

/** What a file is, from its first bytes: an .xlsx is a zip, a legacy .xls an OLE2 compound file. */
export type FileFormat = "xlsx" | "xls" | "csv";

export function sniffFormat(head: Uint8Array): FileFormat {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return "xlsx";
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return "xls";
  return "csv";
}

export const LEGACY_XLS_MESSAGE =
  "this is a legacy Excel 97-2003 workbook (.xls), which the import does not read; open it in Excel or WPS and save it as " +
  "an Excel workbook (.xlsx) or as CSV (File → Save As), or convert it with `libreoffice --headless --convert-to xlsx file.xls`";

export const XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
