import { sql } from "drizzle-orm";
import { dataChanged } from "./data-version";
import type { Db } from "../db/client";
import type { ImportKind } from "../db/schema";
import { CsvTooLongError } from "../import/csv-records";
import { DecodeError, NotUtf8Error, type TextEncodingName } from "../import/decode";
import { KINDS } from "../import/kinds";
import type { ImportOptions } from "../import/kinds/types";
import type { RowIssue } from "../import/row-reader";
import { bytesSource, type ByteSource, type ImportProgress } from "../import/source";
import { openTable, type OpenedTable } from "../import/table-stream";
import { ImportTally, MAX_REPORTED_ERRORS, Rejected, validatedStatements } from "../import/validate-rows";
import { defaultAtomicWrite, type AtomicWrite } from "../import/writer";
import { refreshBatchStats } from "./batches";
import { auditUnlessLocked, dryRunReport } from "./dry-run-audit";

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
  onProgress?: (progress: ImportProgress) => void;
} & ImportOptions;

export type ImportReport = {
  importId: number;
  kind: ImportKind;
  dryRun: boolean;
  encoding: string | null;
  rowsTotal: number;
  rowsImported: number;
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
    outcome = await attempt(db, req, source, undefined);
    // The first 64 KB looked like UTF-8 but later bytes are not: Excel's GB18030 with an ASCII start.
    if (outcome.retryAsGb18030) outcome = await attempt(db, req, source, "gb18030");
  } catch (err) {
    dataChanged(db);
    // Best effort: the failure may be the database itself (busy, full); the caller still gets the error.
    await writeAudit(db, req, { startedAt, dryRun, status: "failed", encoding: null, tally: new ImportTally(), message: String(err) }).catch(() => 0);
    throw err;
  }
  const { tally, encoding } = outcome;
  // Cached answers are keyed by the data version the import bumped: they must see the new one now.
  dataChanged(db);
  const status = tally.errorCount ? "rejected" : "succeeded";
  const audit = () => writeAudit(db, req, { startedAt, dryRun, status, encoding, tally });
  if (dryRun) return dryRunReport(await auditUnlessLocked(audit), reportOf(req.kind, dryRun, encoding, tally));
  const importId = await audit();
  return { importId, ...reportOf(req.kind, dryRun, encoding, tally) };
}

type Attempt = { tally: ImportTally; encoding: TextEncodingName | null; retryAsGb18030: boolean };

async function attempt(db: Db, req: ImportRequest, source: ByteSource, forced: TextEncodingName | undefined): Promise<Attempt> {
  const spec = KINDS[req.kind];
  const tally = new ImportTally();
  let bytesRead = 0;
  const progress = (rows: number, done = false) =>
    req.onProgress?.({ rows, bytesRead, totalBytes: source.size, done });
  let table: OpenedTable;
  try {
    table = await openTable(source, spec.fields, { encoding: forced, onBytes: (n) => (bytesRead += n) });
  } catch (err) {
    if (err instanceof NotUtf8Error && !forced) return { tally, encoding: null, retryAsGb18030: true };
    if (!(err instanceof DecodeError)) throw err;
    tally.error({ row: 0, column: null, message: err.message });
    return { tally, encoding: null, retryAsGb18030: false };
  }
  try {
    await readAndWrite(db, req, table, tally, (rows) => progress(rows));
  } catch (err) {
    if (err instanceof NotUtf8Error && !forced) return { tally, encoding: null, retryAsGb18030: true };
    if (err instanceof DecodeError || err instanceof CsvTooLongError) tally.error({ row: 0, column: null, message: err.message });
    else if (!(err instanceof Rejected)) throw err;
  }
  progress(tally.rowsTotal, true);
  return { tally, encoding: table.encoding, retryAsGb18030: false };
}

async function readAndWrite(db: Db, req: ImportRequest, table: OpenedTable, tally: ImportTally, onRows: (rows: number) => void) {
  const spec = KINDS[req.kind];
  const { header } = table;
  const headerProblems = [...table.issues];
  if (header) {
    const { match } = header;
    if (match.unknown.length) tally.warnings.push(`columns ignored (not part of a ${req.kind} file): ${match.unknown.join(", ")}`);
    for (const d of match.duplicated) headerProblems.push({ row: header.row, column: d, message: "this column appears twice" });
    for (const m of match.missing) {
      const def = spec.fields.find((f) => f.field === m);
      headerProblems.push({ row: header.row, column: m, message: `required column is missing (accepted headers: ${[m, ...(def?.aliases ?? [])].join(", ")})` });
    }
    const hasBatchField = spec.fields.some((f) => f.field === "batch");
    if (hasBatchField && !req.batch && ![...match.columns.values()].includes("batch")) {
      headerProblems.push({ row: header.row, column: "batch", message: "there is no batch column; add one (批次) or give the batch for the whole file (?batch= or --batch)" });
    }
  }
  if (!header || headerProblems.length) {
    // Still count the rows, so the report says how big the rejected file was.
    for await (const chunk of table.records) tally.rowsTotal += chunk.length;
    for (const p of headerProblems) tally.error(p);
    throw new Rejected();
  }
  const ctx = await spec.prepare(db, { batch: req.batch });
  const records = foldIssues(table.records, table.issues, tally);
  const write = req.write ?? defaultAtomicWrite(db);
  const statements = validatedStatements({
    spec, ctx, header, records, tally, emit: !req.dryRun, onRows,
    bulk: write.bulkStatements, chunkRows: write.chunkRows, stagedRows: write.stagedRows,
  });
  if (req.dryRun) {
    for await (const _ of statements) void _;
  } else {
    let statsWritten = false;
    await write(db, statements, async (tx) => {
      if (tally.touchedBatches.size) await refreshBatchStats(tx, [...tally.touchedBatches]);
      statsWritten = true;
    });
    // A writer that cannot run work before its commit (e.g. a staged D1 writer) gets the stats after.
    if (!statsWritten && tally.touchedBatches.size) await refreshBatchStats(db, [...tally.touchedBatches]);
  }
}

/** CSV syntax issues surface while records are read; count them before the rows they came with. */
async function* foldIssues<T>(records: AsyncIterable<T>, issues: RowIssue[], tally: ImportTally): AsyncGenerator<T> {
  for await (const chunk of records) {
    for (const issue of issues.splice(0)) tally.error(issue);
    yield chunk;
  }
  for (const issue of issues.splice(0)) tally.error(issue);
}

function reportOf(kind: ImportKind, dryRun: boolean, encoding: string | null, tally: ImportTally): Omit<ImportReport, "importId"> {
  const rejected = tally.errorCount > 0;
  const warnings = [...tally.warnings];
  if (tally.errorCount > MAX_REPORTED_ERRORS) warnings.push(`${tally.errorCount - MAX_REPORTED_ERRORS} more errors are not listed`);
  const errors = [...tally.errors].sort((a, b) => a.row - b.row);
  return {
    kind,
    dryRun,
    encoding,
    rowsTotal: tally.rowsTotal,
    rowsImported: rejected ? 0 : tally.rowsValid,
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
  a: { startedAt: string; dryRun: boolean; status: "succeeded" | "rejected" | "failed"; encoding: string | null; tally: ImportTally; message?: string },
): Promise<number> {
  const r = reportOf(req.kind, a.dryRun, a.encoding, a.tally);
  const errors = a.message ? [{ row: 0, column: null, message: `the import failed: ${a.message}` }] : r.errors;
  const rows = await db.all<{ id: number }>(sql`INSERT INTO imports (kind, file_name, sha256, encoding, dry_run, status,
      rows_total, rows_imported, rows_rejected, errors, warnings, actor, started_at, finished_at)
    VALUES (${req.kind}, ${req.fileName ?? null}, ${await sha256Of(req)}, ${a.encoding}, ${a.dryRun ? 1 : 0}, ${a.status}, ${r.rowsTotal},
      ${a.status === "succeeded" && !a.dryRun ? r.rowsImported : 0}, ${r.rowsRejected},
      ${JSON.stringify(errors.slice(0, 200))}, ${JSON.stringify(r.warnings.slice(0, 50))}, ${req.actor ?? null}, ${a.startedAt},
      ${new Date().toISOString()})
    RETURNING id`);
  return rows[0]?.id ?? 0;
}

/** The audit log, newest first. */
export async function listImports(db: Db, limit = 100) {
  const rows = await db.all<{
    id: number; kind: string; fileName: string | null; sha256: string; encoding: string | null; dryRun: number;
    status: string; rowsTotal: number; rowsImported: number; rowsRejected: number; errors: string; warnings: string;
    actor: string | null; startedAt: string; finishedAt: string | null;
  }>(sql`SELECT id, kind, file_name AS fileName, sha256, encoding, dry_run AS dryRun, status, rows_total AS rowsTotal,
      rows_imported AS rowsImported, rows_rejected AS rowsRejected, errors, warnings, actor, started_at AS startedAt,
      finished_at AS finishedAt FROM imports ORDER BY id DESC LIMIT ${limit}`);
  return rows.map((r) => ({ ...r, dryRun: Boolean(r.dryRun), errors: JSON.parse(r.errors) as RowIssue[], warnings: JSON.parse(r.warnings) as string[] }));
}
