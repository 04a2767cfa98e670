import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import type { ImportKind } from "../db/schema";
import { DecodeError, decodeCsvBytes } from "../import/decode";
import { KINDS } from "../import/kinds";
import type { ImportOptions } from "../import/kinds/types";
import { readCsv } from "../import/read-csv";
import { RowReader, type RowIssue } from "../import/row-reader";
import { refreshBatchStats } from "./batches";

export type ImportRequest = {
  kind: ImportKind;
  bytes: Uint8Array;
  fileName?: string | null;
  dryRun?: boolean;
  actor?: string | null;
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

/** Caps what one report carries, so a file that is wrong on every row still answers quickly. */
const MAX_REPORTED_ERRORS = 1000;

/**
 * Imports one CSV file of one kind, all or nothing: every row is validated before anything is
 * written, and the writes go in one atomic batch. Every attempt leaves an audit row.
 */
export async function runImport(db: Db, req: ImportRequest): Promise<ImportReport> {
  const startedAt = new Date().toISOString();
  const spec = KINDS[req.kind];
  const dryRun = req.dryRun ?? false;
  const sha256 = await sha256Hex(req.bytes);
  const warnings: string[] = [];
  const errors: RowIssue[] = [];
  let encoding: string | null = null;
  let rowsTotal = 0;
  let rowsImported = 0;
  const rejectedRows = new Set<number>();

  const finish = async (status: "succeeded" | "rejected"): Promise<ImportReport> => {
    const report = {
      kind: req.kind,
      dryRun,
      encoding,
      rowsTotal,
      rowsImported,
      rowsRejected: status === "rejected" ? Math.max(rejectedRows.size, errors.length ? 1 : 0) : 0,
      warnings,
      errors: errors.slice(0, MAX_REPORTED_ERRORS),
    };
    if (errors.length > MAX_REPORTED_ERRORS) {
      report.warnings = [...warnings, `${errors.length - MAX_REPORTED_ERRORS} more errors are not listed`];
    }
    const importId = await writeAudit(db, { ...report, status, fileName: req.fileName ?? null, sha256, actor: req.actor ?? null, startedAt });
    return { importId, ...report };
  };

  let text: string;
  try {
    const decoded = decodeCsvBytes(req.bytes);
    text = decoded.text;
    encoding = decoded.encoding;
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    errors.push({ row: 0, column: null, message: e.message });
    return finish("rejected");
  }

  const { table, issues } = readCsv(text, spec.fields);
  errors.push(...issues);
  if (!table) return finish("rejected");
  rowsTotal = table.records.length;
  const { match, headers, headerRow } = table;
  if (match.unknown.length) warnings.push(`columns ignored (not part of a ${req.kind} file): ${match.unknown.join(", ")}`);
  for (const d of match.duplicated) errors.push({ row: headerRow, column: d, message: "this column appears twice" });
  for (const m of match.missing) {
    const def = spec.fields.find((f) => f.field === m);
    errors.push({ row: headerRow, column: m, message: `required column is missing (accepted headers: ${[m, ...(def?.aliases ?? [])].join(", ")})` });
  }
  const hasBatchField = spec.fields.some((f) => f.field === "batch");
  if (hasBatchField && !req.batch && ![...match.columns.values()].includes("batch")) {
    errors.push({ row: headerRow, column: "batch", message: "there is no batch column; add one (批次) or give the batch for the whole file (?batch= or --batch)" });
  }
  if (rowsTotal === 0) errors.push({ row: headerRow, column: null, message: "the file has a header but no data rows" });
  if (errors.length) return finish("rejected");

  const headerOf = new Map<string, string>();
  for (const [index, field] of match.columns) headerOf.set(field, headers[index] ?? field);
  const ctx = await spec.prepare(db, { batch: req.batch });
  const records: Array<{ row: number; rec: unknown }> = [];
  const firstRowOfKey = new Map<string, number>();
  for (const { row, cells } of table.records) {
    if (cells.length !== headers.length && cells.slice(headers.length).some((c) => c.trim() !== "")) {
      errors.push({ row, column: null, message: `the row has ${cells.length} cells but the header has ${headers.length}` });
      rejectedRows.add(row);
      continue;
    }
    if (cells.length < headers.length) {
      errors.push({ row, column: null, message: `the row has ${cells.length} cells but the header has ${headers.length}` });
      rejectedRows.add(row);
      continue;
    }
    const byField = new Map<string, string>();
    for (const [index, field] of match.columns) byField.set(field, cells[index] ?? "");
    const reader = new RowReader(row, byField, headerOf);
    const rec = spec.readRow(reader, ctx);
    if (reader.issues.length || rec === null) {
      errors.push(...reader.issues);
      rejectedRows.add(row);
      continue;
    }
    const key = spec.key(rec);
    const first = firstRowOfKey.get(key);
    if (first !== undefined) {
      errors.push({ row, column: null, message: `duplicates row ${first} (the same ${req.kind === "prices" ? "product in the same batch" : "key"})` });
      rejectedRows.add(row);
      continue;
    }
    firstRowOfKey.set(key, row);
    records.push({ row, rec });
  }
  if (spec.checkAll) {
    for (const issue of spec.checkAll(records, ctx)) {
      errors.push({ ...issue, column: issue.column === null ? null : headerOf.get(issue.column) ?? issue.column });
      rejectedRows.add(issue.row);
    }
  }
  const ctxWarnings = (ctx as { warnings?: string[] } | null)?.warnings;
  if (ctxWarnings) warnings.push(...ctxWarnings);
  if (errors.length) return finish("rejected");

  rowsImported = records.length;
  if (dryRun) return finish("succeeded");

  const statements: SQL[] = records.flatMap(({ rec }) => spec.statements(rec, ctx));
  statements.push(sql`INSERT INTO app_meta (key, value) VALUES ('data_version', '1')
    ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`);
  await db.batch(statements.map((s) => db.run(s)) as unknown as [ReturnType<Db["run"]>]);
  if (spec.touchedBatches) await refreshBatchStats(db, spec.touchedBatches(records.map((r) => r.rec)));
  return finish("succeeded");
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function writeAudit(
  db: Db,
  a: Omit<ImportReport, "importId"> & { status: string; fileName: string | null; sha256: string; actor: string | null; startedAt: string },
): Promise<number> {
  const rows = await db.all<{ id: number }>(sql`INSERT INTO imports (kind, file_name, sha256, encoding, dry_run, status,
      rows_total, rows_imported, rows_rejected, errors, warnings, actor, started_at, finished_at)
    VALUES (${a.kind}, ${a.fileName}, ${a.sha256}, ${a.encoding}, ${a.dryRun ? 1 : 0}, ${a.status}, ${a.rowsTotal},
      ${a.status === "succeeded" && !a.dryRun ? a.rowsImported : 0}, ${a.rowsRejected},
      ${JSON.stringify(a.errors.slice(0, 200))}, ${JSON.stringify(a.warnings)}, ${a.actor}, ${a.startedAt},
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
