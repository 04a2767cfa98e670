import { and, desc, eq, getTableName, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { agreedVolumes, type ImportKind, importJournals, imports, prices, volumes } from "../db/schema";
import { importPlannerGuard, refreshStatistics } from "../db/statistics";
import { CsvTooLongError } from "../import/csv-records";
import { DecodeError, NotUtf8Error, type TextEncodingName } from "../import/decode";
import { parseColumnMap } from "../import/headers";
import { journaled, openImportJournal } from "../import/journal";
import { KINDS } from "../import/kinds";
import type { ImportOptions } from "../import/kinds/types";
import { type OpenedFile, openImportFile, type WorkbookOpener } from "../import/open-file";
import type { RowIssue } from "../import/row-reader";
import { type ByteSource, bytesSource, type ImportProgress } from "../import/source";
import { ImportTally, MAX_REPORTED_ERRORS, Rejected, validatedStatements } from "../import/validate-rows";
import { type AtomicWrite, defaultAtomicWrite } from "../import/writer";
import { WorkbookError } from "../import/xlsx/sniff";
import { refreshBatchStats } from "./batches";
import { dataChanged } from "./data-version";
import { auditUnlessLocked, dryRunReport } from "./dry-run-audit";
import { loadImportProfile, PROFILE_NAME, saveImportProfile } from "./import-profiles";

export type ImportRequest = {
  kind: ImportKind;
  /** The whole file in memory (HTTP body, seeds) … */
  bytes?: Uint8Array;
  /** … or a source read as a stream (the CLI, for files of any size). */
  source?: ByteSource;
  /** SHA-256 of the file when the caller computed it while streaming; computed from `bytes` otherwise. */
  sha256?: string | (() => string | Promise<string>);
  fileName?: string | null;
  dryRun?: boolean;
  actor?: string | null;
  /** How statements reach the database all or nothing; defaults to what the driver supports. */
  write?: AtomicWrite;
  /**
   * For a dry run: a writer that runs the file's statements and undoes them (src/services/import-preview.ts),
   * to see what the import would add, update and leave unchanged. The report and audit stay a dry run's.
   */
  preview?: (db: Db, chunks: AsyncIterable<SQL[]>) => Promise<void>;
  onProgress?: (progress: ImportProgress) => void;
  /** A workbook's sheet by name or position; without it the first sheet with a recognised header. */
  sheet?: string;
  /** Columns mapped by hand, `field=header` each (several may be joined with `;`). */
  map?: readonly string[];
  /** Reads .xlsx (Node); without it a workbook is refused with WorkbookUnsupportedError. */
  readWorkbook?: WorkbookOpener;
  /** A saved mapping (and sheet) to read the file with; `map` and `sheet` given here win over it. */
  profile?: string;
  /** Saves this import's mapping and sheet under a name once the file is accepted. */
  saveProfile?: string;
} & ImportOptions;

export type ImportReport = {
  importId: number;
  kind: ImportKind;
  dryRun: boolean;
  /** csv or xlsx, from the file's bytes */
  format: "csv" | "xlsx" | null;
  /** The worksheet read, for a workbook. */
  sheet: string | null;
  encoding: string | null;
  rowsTotal: number;
  /** Rows that passed validation (for a dry run: the rows an import would write). */
  rowsValid: number;
  /** Rows new or changed (for a dry run: rowsValid). */
  rowsImported: number;
  /** Valid rows identical to what was stored already; null when not counted (see countChanged). */
  rowsUnchanged: number | null;
  /** Rows left out on purpose: notes, strengths listed without an award. */
  rowsSkipped: number;
  /** The file's columns and the field each was read as (null: ignored), for a column picker. */
  columns: Array<{ header: string; field: string | null }>;
  rowsRejected: number;
  warnings: string[];
  errors: RowIssue[];
};

/**
 * Imports one CSV file of one kind, all or nothing, reading it once: rows are validated as they
 * are read and valid rows are written inside one atomic write (a transaction on libSQL, one batch
 * on D1) that is undone when any row turns out invalid. Every attempt leaves an audit row.
 */
export async function runImport(db: Db, req: ImportRequest): Promise<ImportReport> {
  const startedAt = new Date().toISOString();
  const dryRun = req.dryRun ?? false;
  const source = req.source ?? bytesSource(req.bytes ?? new Uint8Array());
  let outcome: Attempt;
  try {
    const profileProblem = await applyProfile(db, req);
    if (profileProblem) {
      const tally = new ImportTally();
      tally.error({ row: 0, column: null, message: profileProblem });
      const importId = await writeAudit(db, req, { startedAt, dryRun, status: "rejected", encoding: null, tally });
      return { importId, ...reportOf(req.kind, dryRun, null, tally, null) };
    }
    outcome = await attempt(db, req, source, undefined);
    // The first 64 KB looked like UTF-8 but later bytes are not: Excel's GB18030 with an ASCII start.
    if (outcome.retryAsGb18030) outcome = await attempt(db, req, source, "gb18030");
  } catch (err) {
    dataChanged(db);
    // Best effort: the failure may be the database itself (busy, full); the caller still gets the error.
    await writeAudit(db, req, { startedAt, dryRun, status: "failed", encoding: null, tally: new ImportTally(), message: String(err) }).catch(() => 0);
    throw err;
  }
  const { tally, encoding, file, journalKey } = outcome;
  // Cached answers are keyed by the data version the import bumped: they must see the new one now.
  dataChanged(db);
  const status = tally.errorCount ? "rejected" : "succeeded";
  if (status === "succeeded" && req.saveProfile) {
    await saveImportProfile(db, req.saveProfile, { kind: req.kind, map: [...(req.map ?? [])], ...(file?.sheet ? { sheet: req.sheet ?? file.sheet } : {}) });
    tally.warnings.push(`saved the column mapping${file?.sheet ? " and sheet" : ""} as profile "${req.saveProfile}" (reuse it with --profile / profile=)`);
  }
  const audit = () => writeAudit(db, req, { startedAt, dryRun, status, encoding, tally, file, journalKey });
  if (dryRun) return dryRunReport(await auditUnlessLocked(db, audit), reportOf(req.kind, dryRun, encoding, tally, file));
  const importId = await audit();
  // The planner's statistics follow the data: without them a database built by imports plans
  // every query blind (issue 16). Bounded (analysis_limit) and after the commit, on the connection
  // that wrote, which is the one whose PRAGMA optimize knows which tables changed.
  if (status === "succeeded") await refreshStatistics(db);
  return { importId, ...reportOf(req.kind, dryRun, encoding, tally, file) };
}

/** Fills `map` and `sheet` from a saved profile; returns the problem when the profile is unusable. */
async function applyProfile(db: Db, req: ImportRequest): Promise<string | null> {
  if (req.saveProfile !== undefined && !PROFILE_NAME.test(req.saveProfile)) {
    return `profile name "${req.saveProfile}" may hold only letters, digits, '.', '_' and '-' (at most 64)`;
  }
  if (req.profile === undefined) return null;
  const profile = await loadImportProfile(db, req.profile);
  if (!profile) return `there is no saved import profile "${req.profile}"; save one with --save-profile / saveProfile= on an import that maps its columns`;
  if (profile.kind !== req.kind) return `import profile "${req.profile}" is for ${profile.kind} files, not ${req.kind}`;
  // Mappings given with the request come after the profile's, so they win for the same field.
  req.map = [...profile.map, ...(req.map ?? [])];
  req.sheet ??= profile.sheet;
  return null;
}

type FileFacts = { format: "csv" | "xlsx"; sheet: string | null } | null;
type Attempt = { tally: ImportTally; encoding: TextEncodingName | null; retryAsGb18030: boolean; file: FileFacts; journalKey?: string };

async function attempt(db: Db, req: ImportRequest, source: ByteSource, forced: TextEncodingName | undefined): Promise<Attempt> {
  const spec = KINDS[req.kind];
  const tally = new ImportTally();
  let bytesRead = 0;
  const progress = (rows: number, done = false) => req.onProgress?.({ rows, bytesRead, totalBytes: source.size, done });
  const mapping = parseColumnMap(req.map ?? [], spec.fields);
  if (mapping.errors.length) {
    for (const message of mapping.errors) tally.error({ row: 0, column: null, message: `column mapping: ${message}` });
    return { tally, encoding: null, retryAsGb18030: false, file: null };
  }
  let table: OpenedFile;
  try {
    table = await openImportFile(source, spec.fields, {
      encoding: forced,
      sheet: req.sheet,
      manual: mapping.map,
      onBytes: (n) => (bytesRead += n),
      readWorkbook: req.readWorkbook,
    });
  } catch (err) {
    if (err instanceof NotUtf8Error && !forced) return { tally, encoding: null, retryAsGb18030: true, file: null };
    if (!(err instanceof DecodeError)) throw err;
    tally.error({ row: 0, column: null, message: err.message });
    // A workbook that could not be read is still reported as one (format xlsx, no sheet read).
    return { tally, encoding: null, retryAsGb18030: false, file: err instanceof WorkbookError ? { format: "xlsx", sheet: null } : null };
  }
  const file = { format: table.format, sheet: table.sheet };
  const encoding = table.format === "csv" ? table.encoding : null;
  let journalKey: string | undefined;
  try {
    journalKey = await readAndWrite(db, req, table, tally, (rows) => progress(rows));
  } catch (err) {
    if (err instanceof NotUtf8Error && !forced) return { tally, encoding: null, retryAsGb18030: true, file };
    if (err instanceof DecodeError || err instanceof CsvTooLongError) tally.error({ row: 0, column: null, message: err.message });
    else if (!(err instanceof Rejected)) throw err;
  }
  progress(tally.rowsTotal, true);
  return { tally, encoding, retryAsGb18030: false, file, journalKey };
}

/** Validates and writes the file; returns the key of the journal written with it (none for a dry run). */
async function readAndWrite(db: Db, req: ImportRequest, table: OpenedFile, tally: ImportTally, onRows: (rows: number) => void): Promise<string | undefined> {
  const spec = KINDS[req.kind];
  const { header } = table;
  const headerProblems = [...table.issues];
  if (header) {
    const { match } = header;
    tally.columns = header.headers.map((h, i) => ({ header: h, field: match.columns.get(i) ?? null })).filter((c) => c.header !== "");
    if (table.sheet !== null) tally.warnings.push(`read sheet "${table.sheet}" (header in row ${header.row})`);
    if (match.unknown.length) {
      const named = match.unknown.map((u) => (match.suggestions.has(u) ? `${u} (did you mean ${match.suggestions.get(u)}?)` : u));
      tally.warnings.push(`columns ignored (not part of a ${req.kind} file): ${named.join(", ")}`);
    }
    for (const d of match.duplicated) headerProblems.push({ row: header.row, column: d, message: "this column appears twice" });
    for (const m of match.missing) {
      const def = spec.fields.find((f) => f.field === m);
      const accepted = def ? [m, ...def.aliases] : spec.fields.filter((f) => m.split(" or ").includes(f.field)).flatMap((f) => [f.field, ...f.aliases]);
      const near = match.unknown.filter((u) => accepted.includes(match.suggestions.get(u) ?? "")).map((u) => `; "${u}" looks like ${match.suggestions.get(u)}`);
      headerProblems.push({
        row: header.row,
        column: m,
        message: `required column is missing (accepted headers: ${accepted.join(", ")}${near.join("")}; or map a column by hand: --map / map= ${m.split(" or ")[0]}=<header>)`,
      });
    }
    const hasBatchField = spec.fields.some((f) => f.field === "batch");
    if (hasBatchField && !req.batch && ![...match.columns.values()].includes("batch")) {
      headerProblems.push({
        row: header.row,
        column: "batch",
        message: "there is no batch column; add one (批次) or give the batch for the whole file (?batch= or --batch)",
      });
    }
  }
  if (!header || headerProblems.length) {
    // Still count the rows, so the report says how big the rejected file was.
    for await (const chunk of table.records) tally.rowsTotal += chunk.length;
    for (const p of headerProblems) tally.error(p);
    throw new Rejected();
  }
  const sourceNote = req.sourceNote === undefined ? undefined : table.sheet === null ? req.sourceNote : `${req.sourceNote}, sheet ${table.sheet}`;
  const ctx = await spec.prepare(db, { batch: req.batch, strict: req.strict, sourceNote });
  const records = foldIssues(table.records, table.issues, tally);
  const write = req.write ?? defaultAtomicWrite(db);
  const growing = GROWING_TABLE[req.kind];
  const guard = growing && (!req.dryRun || req.preview) ? await importPlannerGuard(db, getTableName(growing)) : [];
  const statements = guarded(
    guard,
    validatedStatements({
      spec,
      ctx,
      header,
      records,
      tally,
      emit: !req.dryRun || Boolean(req.preview),
      onRows,
      bulk: write.bulkStatements,
      chunkRows: write.chunkRows,
      stagedRows: write.stagedRows,
    }),
  );
  try {
    return await writeStatements(db, req, { spec, ctx, tally, write }, statements);
  } finally {
    // This connection's planner reloads what sqlite_stat1 holds once the write is over: the
    // statistics restored by a rollback, or those refreshStatistics takes after a commit.
    if (guard.length) await db.run(sql`ANALYZE sqlite_schema`).catch(() => undefined);
  }
}

/** Runs the validated statements: a preview, a dry run's read-through, or the atomic write with its journal. */
async function writeStatements(
  db: Db,
  req: ImportRequest,
  { spec, ctx, tally, write }: { spec: (typeof KINDS)[ImportKind]; ctx: unknown; tally: ImportTally; write: AtomicWrite },
  statements: AsyncIterable<SQL[]>,
): Promise<string | undefined> {
  if (req.dryRun && req.preview) {
    await req.preview(db, statements);
    if (spec.checkWritten) tally.warnings.push(...(await spec.checkWritten(db, ctx, true)));
    return undefined;
  }
  if (req.dryRun) {
    for await (const _ of statements) void _;
    if (spec.checkWritten) tally.warnings.push(...(await spec.checkWritten(db, ctx, true)));
    return undefined;
  }
  const since = await databaseNow(db);
  let statsWritten = false;
  // What the rows replace is journaled in the same atomic write, so the import can be withdrawn.
  const journal = await openImportJournal(db);
  await write(
    db,
    journaled(statements, journal, () => tally.touchedBatches),
    async (tx) => {
      if (tally.touchedBatches.size) await refreshBatchStats(tx, [...tally.touchedBatches]);
      if (spec.countChanged && tally.rowsValid <= COUNT_CHANGED_MAX_ROWS) tally.changed = await spec.countChanged(tx, since, [...tally.touchedBatches]);
      if (spec.checkWritten) tally.warnings.push(...(await spec.checkWritten(tx, ctx, false)));
      statsWritten = true;
    },
  );
  // A writer that cannot run work before its commit (e.g. a staged D1 writer) gets the stats after.
  if (!statsWritten && tally.touchedBatches.size) await refreshBatchStats(db, [...tally.touchedBatches]);
  if (!statsWritten && spec.countChanged && tally.rowsValid <= COUNT_CHANGED_MAX_ROWS) {
    tally.changed = await spec.countChanged(db, since, [...tally.touchedBatches]);
  }
  if (!statsWritten && spec.checkWritten) tally.warnings.push(...(await spec.checkWritten(db, ctx, false)));
  return journal.key;
}

/**
 * Rows new or changed are counted from their updated_at, a scan of the touched rows: ~1 s per
 * million prices, which the import of a million rows does not spend. Larger files report no
 * unchanged count.
 */
const COUNT_CHANGED_MAX_ROWS = 200_000;

/** The database's own clock, which stamps updated_at: the JS clock may differ (a remote database). */
async function databaseNow(db: Db): Promise<string> {
  const rows = await db.all<{ now: string }>(sql`SELECT strftime('%Y-%m-%dT%H:%M:%fZ','now') AS now`);
  return rows[0]?.now ?? new Date().toISOString();
}

/** CSV syntax issues surface while records are read; count them before the rows they came with. */
async function* foldIssues<T>(records: AsyncIterable<T>, issues: RowIssue[], tally: ImportTally): AsyncGenerator<T> {
  for await (const chunk of records) {
    for (const issue of issues.splice(0)) tally.error(issue);
    yield chunk;
  }
  for (const issue of issues.splice(0)) tally.error(issue);
}

function reportOf(kind: ImportKind, dryRun: boolean, encoding: string | null, tally: ImportTally, file: FileFacts): Omit<ImportReport, "importId"> {
  const rejected = tally.errorCount > 0;
  const valid = rejected ? 0 : tally.rowsValid;
  const changed = dryRun || tally.changed === null ? null : Math.min(tally.changed, valid);
  const warnings = [...tally.warnings];
  if (tally.errorCount > MAX_REPORTED_ERRORS) warnings.push(`${tally.errorCount - MAX_REPORTED_ERRORS} more errors are not listed`);
  const errors = [...tally.errors].sort((a, b) => a.row - b.row);
  return {
    kind,
    dryRun,
    format: file?.format ?? null,
    sheet: file?.sheet ?? null,
    encoding,
    rowsTotal: tally.rowsTotal,
    rowsValid: valid,
    rowsImported: changed ?? valid,
    rowsUnchanged: changed === null ? null : valid - changed,
    rowsSkipped: tally.skipped.length,
    columns: tally.columns,
    rowsRejected: rejected ? Math.max(tally.rejectedRows.size, 1) : 0,
    warnings,
    errors,
  };
}

async function sha256Of(req: ImportRequest): Promise<string> {
  if (typeof req.sha256 === "function") return req.sha256();
  if (typeof req.sha256 === "string") return req.sha256;
  const digest = await crypto.subtle.digest("SHA-256", (req.bytes ?? new Uint8Array()) as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function writeAudit(
  db: Db,
  req: ImportRequest,
  a: {
    startedAt: string;
    dryRun: boolean;
    status: "succeeded" | "rejected" | "failed";
    encoding: string | null;
    tally: ImportTally;
    message?: string;
    file?: FileFacts;
    journalKey?: string;
  },
): Promise<number> {
  const r = reportOf(req.kind, a.dryRun, a.encoding, a.tally, a.file ?? null);
  const errors = a.message ? [{ row: 0, column: null, message: `the import failed: ${a.message}` }] : r.errors;
  // Looked up in the same statement: the audit row names the journal only when it finished.
  const journal = (key: string) =>
    db
      .select({ id: importJournals.id })
      .from(importJournals)
      .where(and(eq(importJournals.key, key), eq(importJournals.finished, 1)));
  const rows = await db
    .insert(imports)
    .values({
      kind: req.kind,
      fileName: req.fileName ?? null,
      sha256: await sha256Of(req),
      encoding: a.encoding,
      dryRun: a.dryRun,
      status: a.status,
      rowsTotal: r.rowsTotal,
      rowsImported: a.status === "succeeded" && !a.dryRun ? r.rowsImported : 0,
      rowsRejected: r.rowsRejected,
      errors: JSON.stringify(errors.slice(0, 200)),
      warnings: JSON.stringify(r.warnings.slice(0, 50)),
      actor: req.actor ?? null,
      startedAt: a.startedAt,
      finishedAt: new Date().toISOString(),
      journalId: a.journalKey === undefined ? null : sql`${journal(a.journalKey)}`,
    })
    .returning({ id: imports.id });
  return rows[0]?.id ?? 0;
}

/** The audit log, newest first. */
export async function listImports(db: Db, limit = 100) {
  const rows = await db
    .select({
      id: imports.id,
      kind: imports.kind,
      fileName: imports.fileName,
      sha256: imports.sha256,
      encoding: imports.encoding,
      dryRun: imports.dryRun,
      status: imports.status,
      rowsTotal: imports.rowsTotal,
      rowsImported: imports.rowsImported,
      rowsRejected: imports.rowsRejected,
      errors: imports.errors,
      warnings: imports.warnings,
      actor: imports.actor,
      startedAt: imports.startedAt,
      finishedAt: imports.finishedAt,
      withdrawnAt: imports.withdrawnAt,
      withdrawnBy: imports.withdrawnBy,
    })
    .from(imports)
    .orderBy(desc(imports.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, errors: JSON.parse(r.errors) as RowIssue[], warnings: JSON.parse(r.warnings) as string[] }));
}

/** The table each kind can grow by millions of rows, whose statistics importPlannerGuard checks. */
const GROWING_TABLE: Partial<Record<ImportKind, SQLiteTable>> = { prices, volumes, agreedVolumes };

/** `first` before the import's first statement (nothing when there is nothing to write). */
async function* guarded(first: SQL[], chunks: AsyncIterable<SQL[]>): AsyncIterable<SQL[]> {
  let pending = first.length > 0;
  for await (const chunk of chunks) {
    if (pending && chunk.length) {
      pending = false;
      yield first;
    }
    yield chunk;
  }
}
