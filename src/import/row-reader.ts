import { CellError } from "./values";

export type RowIssue = { row: number; column: string | null; message: string };

/**
 * Reads one data row by canonical field, collecting every problem of the row (with the column as
 * the file names it) instead of stopping at the first, so a user fixes a file in one pass.
 */
export class RowReader {
  readonly issues: RowIssue[] = [];

  constructor(
    readonly row: number,
    private readonly cells: ReadonlyMap<string, string>,
    private readonly headerOf: ReadonlyMap<string, string>,
  ) {}

  column(field: string): string {
    return this.headerOf.get(field) ?? field;
  }

  has(field: string): boolean {
    return (this.cells.get(field) ?? "").trim() !== "";
  }

  text(field: string, opts: { required: true; max?: number }): string;
  text(field: string, opts?: { required?: boolean; max?: number }): string | null;
  text(field: string, { required = false, max = 500 }: { required?: boolean; max?: number } = {}): string | null {
    const value = unescapeFormula((this.cells.get(field) ?? "").normalize("NFC").trim());
    if (value === "") {
      if (required) this.fail(field, "is required but empty");
      return null;
    }
    if (value.length > max) {
      this.fail(field, `is ${value.length} characters long; at most ${max} are allowed`);
      return null;
    }
    return value;
  }

  /** Parses a cell with `parse`; an empty cell is null (or an issue when required). */
  parse<T>(field: string, parse: (raw: string) => T, { required = false } = {}): T | null {
    const raw = this.cells.get(field) ?? "";
    if (raw.trim() === "") {
      if (required) this.fail(field, "is required but empty");
      return null;
    }
    try {
      return parse(raw);
    } catch (e) {
      if (e instanceof CellError) {
        this.fail(field, e.message);
        return null;
      }
      throw e;
    }
  }

  oneOf<T extends string>(field: string, map: Readonly<Record<string, T>>, { required = false } = {}): T | null {
    const raw = this.text(field, { required });
    if (raw === null) return null;
    const value = map[raw.normalize("NFKC").toLowerCase()];
    if (value === undefined) {
      this.fail(field, `"${raw}" is not one of ${[...new Set(Object.values(map))].join(", ")}`);
      return null;
    }
    return value;
  }

  fail(field: string | null, message: string): void {
    this.issues.push({ row: this.row, column: field === null ? null : this.column(field), message });
  }
}

/** Undoes the export's guard against formula injection ('=… → =…), so exported text imports back unchanged. */
function unescapeFormula(value: string): string {
  return value.length > 1 && value[0] === "'" && "=+-@\t\r".includes(value[1]!) ? value.slice(1) : value;
}
