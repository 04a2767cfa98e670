import type { E4 } from "../domain";
import { parseMoneyRounding } from "./numbers";
import { CellError } from "./values";

export type RowIssue = { row: number; column: string | null; message: string };

/** Cells whose amount had more than 4 decimals and was rounded: counted, the first rows named. */
export type RoundedCells = { count: number; rows: number[] };

/** Cells that mean "nothing here" in published tables (中标前中位价 `-`). */
const EMPTY_MARKS = new Set(["-", "—", "–", "/", "无", "--"]);

/**
 * Reads one data row by canonical field, collecting every problem of the row (with the column as
 * the file names it) instead of stopping at the first, so a user fixes a file in one pass.
 */
export class RowReader {
  readonly issues: RowIssue[] = [];
  /** Why the row is left out on purpose (not an error), when it is. */
  skipped: string | null = null;

  constructor(
    readonly row: number,
    private readonly cells: ReadonlyMap<string, string>,
    private readonly headerOf: ReadonlyMap<string, string>,
    private readonly rounded: RoundedCells = { count: 0, rows: [] },
  ) {}

  /**
   * An amount of money: more than 4 decimals are rounded half-up (spreadsheets keep 70/3 at full
   * precision) and counted for the report; `-` and the like mean empty. Returns the amount and the
   * decimals the cell was written with.
   */
  money(field: string, { required = false } = {}): { value: E4; decimals: number; raw: string } | null {
    const raw = unescapeFormula((this.cells.get(field) ?? "").trim());
    if (EMPTY_MARKS.has(raw.normalize("NFKC"))) {
      if (required) this.fail(field, `is required but says "${raw}"`);
      return null;
    }
    const parsed = this.parse(field, parseMoneyRounding, { required });
    if (parsed === null) return null;
    if (parsed.rounded) {
      this.rounded.count++;
      if (this.rounded.rows.at(-1) !== this.row && this.rounded.rows.length < 10) this.rounded.rows.push(this.row);
    }
    return { value: parsed.value, decimals: parsed.decimals, raw };
  }

  /** The raw cell text, untrimmed of meaning: for cells whose words matter (流标). */
  raw(field: string): string {
    return unescapeFormula((this.cells.get(field) ?? "").normalize("NFKC").trim());
  }

  column(field: string): string {
    return this.headerOf.get(field) ?? field;
  }

  /** The cell exactly as the file has it, for keying a cache of what the row's cells resolved to. */
  cell(field: string): string {
    return this.cells.get(field) ?? "";
  }

  /** The file has a column for this field (empty or not in this row). */
  hasColumn(field: string): boolean {
    return this.headerOf.has(field);
  }

  skip(why: string): void {
    this.skipped = why;
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
    const raw = unescapeFormula((this.cells.get(field) ?? "").trim());
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
