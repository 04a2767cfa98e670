import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { runBatch } from "../db/run-batch";
import { batches, type ImportKind, prices, products, regions } from "../db/schema";
import { renderedAlias } from "../db/trusted-sql";
import { storedE4ToYuan } from "../domain";
import { type ImportReport, type ImportRequest, runImport } from "./imports";

/** Sample rows shown per class (added, updated, unchanged). */
export const PREVIEW_SAMPLES = 5;

/** One row of a preview, in the words of the table it lands in (a price: batch, name, strength, firm, price). */
export type PreviewRow = { label: string; detail: string; chosenPrice: number | null };

export type ImportPreview = {
  added: number;
  updated: number;
  unchanged: number;
  samples: { added: PreviewRow[]; updated: PreviewRow[]; unchanged: PreviewRow[] };
};

/** The written table aliased `x` (`from`), its timestamps, its sample rows' order (`key`, then `x.rowid`) and columns. */
type SampleSql = { from: SQL; createdAt: SQL; updatedAt: SQL; select: SQL; key: SQL };

const px = renderedAlias(prices, "x");
const pr = renderedAlias(products, "pr");
const b = renderedAlias(batches, "b");
const bx = renderedAlias(batches, "x");
const rx = renderedAlias(regions, "x");

/** What each kind writes, and how a row of it reads in a preview. */
const SAMPLES: Partial<Record<ImportKind, SampleSql>> = {
  prices: {
    from: sql`${prices} ${px}`,
    createdAt: sql`${px.createdAt}`,
    updatedAt: sql`${px.updatedAt}`,
    key: sql`${px.batchId}`,
    select: sql`SELECT ${b.name} AS label, trim(${pr.genericName} || ' ' || COALESCE(${pr.spec}, '') || ' ' || COALESCE(${pr.manufacturer}, '')) AS detail,
      ${px.chosenPriceE4} AS priceE4 FROM ${prices} ${px} JOIN ${products} ${pr} ON ${pr.id} = ${px.productId} JOIN ${batches} ${b} ON ${b.id} = ${px.batchId}`,
  },
  batches: {
    from: sql`${batches} ${bx}`,
    createdAt: sql`${bx.createdAt}`,
    updatedAt: sql`${bx.updatedAt}`,
    key: sql`${bx.id}`,
    select: sql`SELECT ${bx.id} AS label, ${bx.name} AS detail, NULL AS priceE4 FROM ${batches} ${bx}`,
  },
  regions: {
    from: sql`${regions} ${rx}`,
    createdAt: sql`${rx.createdAt}`,
    updatedAt: sql`${rx.updatedAt}`,
    key: sql`${rx.code}`,
    select: sql`SELECT ${rx.code} AS label, ${rx.name} AS detail, NULL AS priceE4 FROM ${regions} ${rx}`,
  },
};

/**
 * A dry run that also says what the import would do: the file's statements are run inside one
 * batch between SAVEPOINT and ROLLBACK TO, and the rows they added (created now) and updated
 * (changed now, created before) are counted and sampled before the rollback; valid rows neither
 * added nor updated are unchanged. Nothing is kept: the batch ends with the savepoint rolled back,
 * and the audit row is the dry run's. Where the database cannot (a batch refusing savepoints) or the
 * kind has no preview, the plain dry run's report comes back with a null preview.
 */
export async function previewImport(db: Db, req: ImportRequest): Promise<{ report: ImportReport; preview: ImportPreview | null }> {
  const samples = SAMPLES[req.kind];
  if (!samples) return { report: await runImport(db, { ...req, dryRun: true }), preview: null };
  // Filled by the writer below while runImport runs it.
  const box: { seen: { added: number; updated: number; rows: Record<"added" | "updated", PreviewRow[]> } | null } = { seen: null };
  const preview = async (tx: Db, chunks: AsyncIterable<SQL[]>) => {
    const statements: SQL[] = [];
    for await (const chunk of chunks) statements.push(...chunk);
    const [{ now } = { now: "" }] = await tx.all<{ now: string }>(sql`SELECT strftime('%Y-%m-%dT%H:%M:%fZ','now') AS now`);
    const added = sql`${samples.createdAt} >= ${now}`;
    const updated = sql`${samples.updatedAt} >= ${now} AND ${samples.createdAt} < ${now}`;
    const count = (cond: SQL) => sql`SELECT count(*) AS n FROM ${samples.from} WHERE ${cond}`;
    // rowid is SQLite's own: the order rows were written in, after the key.
    const rows = (cond: SQL) => sql`${samples.select} WHERE ${cond} ORDER BY ${samples.key}, x.rowid LIMIT ${PREVIEW_SAMPLES}`;
    try {
      const results = await runBatch(tx, [
        sql`SAVEPOINT import_preview`,
        ...statements,
        count(added),
        count(updated),
        rows(added),
        rows(updated),
        sql`ROLLBACK TO import_preview`,
        sql`RELEASE import_preview`,
      ]);
      const at = (i: number) => results[statements.length + 1 + i] ?? [];
      box.seen = {
        added: Number(at(0)[0]?.n ?? 0),
        updated: Number(at(1)[0]?.n ?? 0),
        rows: { added: at(2).map(previewRow), updated: at(3).map(previewRow) },
      };
    } catch {
      box.seen = null; // a database that refuses the savepoint batch: the plain dry run still answers
    }
  };
  const report = await runImport(db, { ...req, dryRun: true, preview });
  const result = box.seen;
  if (!result || report.errors.length) return { report, preview: null };
  const unchanged = Math.max(0, report.rowsValid - result.added - result.updated);
  return { report, preview: { added: result.added, updated: result.updated, unchanged, samples: { ...result.rows, unchanged: [] } } };
}

function previewRow(r: Record<string, unknown>): PreviewRow {
  const e4 = r.priceE4;
  return { label: String(r.label ?? ""), detail: String(r.detail ?? ""), chosenPrice: e4 === null || e4 === undefined ? null : storedE4ToYuan(Number(e4)) };
}
