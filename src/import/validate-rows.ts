import type { SQL } from "drizzle-orm";
import { bumpDataVersion } from "../db/data-version-sql";
import type { CsvRecord } from "./csv-records";
import { DuplicateKeys } from "./duplicate-keys";
import type { KindSpec } from "./kinds/types";
import { type RoundedCells, type RowIssue, RowReader } from "./row-reader";
import type { TableHeader } from "./table-stream";

/** Caps what one report carries, so a file that is wrong on every row still answers quickly. */
export const MAX_REPORTED_ERRORS = 1000;
/** Rows per chunk of statements handed to the writer. */
export const CHUNK_ROWS = 500;

/** Everything an import learns about a file while reading it once. */
export class ImportTally {
  readonly errors: RowIssue[] = [];
  errorCount = 0;
  readonly rejectedRows = new Set<number>();
  rowsTotal = 0;
  rowsValid = 0;
  readonly warnings: string[] = [];
  readonly touchedBatches = new Set<string>();
  readonly rounded: RoundedCells = { count: 0, rows: [] };
  /** Rows the write added or changed (the rest were stored already); null when not counted. */
  changed: number | null = null;
  /** The header's columns and the field each was read as. */
  columns: Array<{ header: string; field: string | null }> = [];
  /** Rows left out on purpose (a note row, a spec listed without an award), with why. */
  readonly skipped: Array<{ row: number; why: string }> = [];

  error(issue: RowIssue): void {
    this.errorCount++;
    if (issue.row > 0) this.rejectedRows.add(issue.row);
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(issue);
  }
}

/** Thrown at the end of the statements when any row was invalid, so the writer rolls back. */
export class Rejected extends Error {
  constructor() {
    super("the file has invalid rows; nothing was written");
  }
}

/**
 * Validates every data row of one kind and yields the SQL that writes the valid ones, a chunk at a
 * time. Once any row is invalid it keeps validating (so the report lists every problem) but yields
 * nothing more, and at the end throws `Rejected`: the writer undoes whatever it had written.
 */
export async function* validatedStatements<Ctx, Rec>(opts: {
  spec: KindSpec<Ctx, Rec>;
  ctx: Ctx;
  header: TableHeader;
  records: AsyncIterable<CsvRecord[]>;
  tally: ImportTally;
  /** false for a dry run: validate only. */
  emit: boolean;
  /** The writer accepts multi-row statements with thousands of parameters. */
  bulk?: boolean;
  /** Rows per chunk (the writer's choice); CHUNK_ROWS when not given. */
  chunkRows?: number;
  /** The writer holds one connection: stage rows in TEMP tables and apply them this many at a time. */
  stagedRows?: number;
  onRows?: (rowsSoFar: number) => void;
}): AsyncGenerator<SQL[]> {
  const { spec, ctx, header, tally, emit } = opts;
  const chunkRows = opts.chunkRows ?? CHUNK_ROWS;
  const headerOf = new Map<string, string>();
  for (const [index, field] of header.match.columns) headerOf.set(field, header.headers[index] ?? field);
  const columns = [...header.match.columns];
  const width = header.headers.length;
  const firstRowOfKey = new DuplicateKeys();
  const kept: Array<{ row: number; rec: Rec }> = [];
  let pending: Rec[] = [];
  const staging = opts.stagedRows && spec.staging ? spec.staging : null;
  let staged: { rows: number } | null = null;
  const flush = (final: boolean): SQL[] => {
    const recs = pending;
    pending = [];
    for (const id of spec.touchedBatches?.(recs) ?? []) tally.touchedBatches.add(id);
    if (!staging) return spec.chunkStatements && opts.bulk ? spec.chunkStatements(recs, ctx) : recs.flatMap((r) => spec.statements(r, ctx));
    if (!staged && recs.length === 0) return [];
    const out: SQL[] = [];
    if (!staged) {
      out.push(...staging.begin(ctx));
      staged = { rows: 0 };
    }
    out.push(...staging.stage(recs, ctx));
    staged.rows += recs.length;
    if (final || staged.rows >= opts.stagedRows!) {
      out.push(...staging.apply(ctx));
      staged.rows = 0;
    }
    if (final) out.push(...staging.end(ctx));
    return out;
  };
  for await (const chunk of opts.records) {
    for (const { row, cells } of chunk) {
      tally.rowsTotal++;
      const rec = readRecord(spec, ctx, row, cells, width, columns, headerOf, tally);
      if (rec === null) continue;
      const key = spec.key(rec);
      const first = firstRowOfKey.firstRow(key, row);
      if (first !== undefined) {
        tally.error({ row, column: null, message: `duplicates row ${first} (the same ${spec.kind === "prices" ? "product in the same batch" : "key"})` });
        continue;
      }
      tally.rowsValid++;
      if (spec.checkAll) kept.push({ row, rec });
      if (emit && tally.errorCount === 0) pending.push(rec);
    }
    opts.onRows?.(tally.rowsTotal);
    if (pending.length >= chunkRows) yield flush(false);
  }
  // Free the keys (~40 MB at a million volume rows) before the writer reads the batch statistics back.
  firstRowOfKey.clear();
  if (spec.checkAll) {
    for (const issue of spec.checkAll(kept, ctx)) {
      tally.error({ ...issue, column: issue.column === null ? null : (headerOf.get(issue.column) ?? issue.column) });
    }
  }
  if (tally.rowsTotal === 0) tally.error({ row: header.row, column: null, message: "the file has a header but no data rows" });
  if (tally.skipped.length) tally.warnings.push(skippedWarning(tally.skipped));
  if (tally.rounded.count) {
    const { count, rows } = tally.rounded;
    tally.warnings.push(`${count} amount cell(s) had more than 4 decimals and were rounded half-up to 4 (first rows: ${rows.join(", ")})`);
  }
  tally.warnings.push(...(spec.finish?.(ctx) ?? []));
  if (tally.errorCount > 0) throw new Rejected();
  if (!emit) return;
  const last = flush(true);
  last.push(bumpDataVersion());
  yield last;
}

function readRecord<Ctx, Rec>(
  spec: KindSpec<Ctx, Rec>,
  ctx: Ctx,
  row: number,
  cells: string[],
  width: number,
  columns: Array<[number, string]>,
  headerOf: ReadonlyMap<string, string>,
  tally: ImportTally,
): Rec | null {
  if (isNoteRow(cells)) {
    tally.skipped.push({ row, why: "are notes (注：…)" });
    return null;
  }
  // Trailing empty cells (Excel pads rows) are harmless; missing or extra content is not.
  const ragged = cells.length < width || (cells.length > width && cells.slice(width).some((c) => c.trim() !== ""));
  if (ragged) {
    tally.error({ row, column: null, message: `the row has ${cells.length} cells but the header has ${width}` });
    return null;
  }
  const byField = new Map<string, string>();
  for (const [index, field] of columns) byField.set(field, cells[index] ?? "");
  const reader = new RowReader(row, byField, headerOf, tally.rounded);
  const rec = spec.readRow(reader, ctx);
  if (reader.skipped !== null && !reader.issues.length) {
    tally.skipped.push({ row, why: reader.skipped });
    return null;
  }
  if (reader.issues.length || rec === null) {
    for (const issue of reader.issues) tally.error(issue);
    if (!reader.issues.length) tally.error({ row, column: null, message: "the row is invalid" });
    return null;
  }
  return rec;
}

/** Skipped rows grouped by why, the first rows of each named. */
function skippedWarning(skipped: ReadonlyArray<{ row: number; why: string }>): string {
  const byWhy = new Map<string, number[]>();
  for (const s of skipped) byWhy.set(s.why, [...(byWhy.get(s.why) ?? []), s.row]);
  const parts = [...byWhy].map(([why, rows]) => `${rows.length} row(s) ${why} (rows ${rows.slice(0, 20).join(", ")}${rows.length > 20 ? ", …" : ""})`);
  return `rows left out: ${parts.join("; ")}`;
}

/**
 * A note under or among the rows (注：碳酸氢钠流标): one text, alone in its row or repeated across
 * the cells it is merged over, that starts like a note.
 */
export function isNoteRow(cells: readonly string[]): boolean {
  let text: string | null = null;
  for (const c of cells) {
    const t = c.trim();
    if (t === "") continue;
    if (text !== null && t !== text) return false;
    text = t;
  }
  return text !== null && /^(注|备注|说明|注释|数据来源|资料来源|来源)\s*[:：]/.test(text.normalize("NFKC"));
}
