import { type SQL, type SQLChunk, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { BATCH_FIELD_KEYS, PRICE_DERIVED_KEYS, PRICE_WRITTEN_KEYS, REGION_WRITTEN_KEYS } from "../db/rows";
import { runBatch } from "../db/run-batch";
import { batches, type ImportKind, prices, products, regions } from "../db/schema";
import { renderedAlias } from "../db/trusted-sql";
import { basisPointsToPercent, storedE4ToYuan } from "../domain";
import { type ImportReport, type ImportRequest, runImport } from "./imports";

/** Sample rows shown per class (added, updated, unchanged). */
export const PREVIEW_SAMPLES = 5;

/** Updated rows compared column by column with what they were, at most (a preview's file holds at most 20,000 prices). */
export const PREVIEW_COMPARED = 20_000;

/** How a compared value reads: money in yuan, a percent, a list of region codes, a flag or text as stored. */
export type PreviewValueKind = "money" | "percent" | "regions" | "flag" | "text";
export type PreviewValue = string | number | boolean | null;

/** One column of an updated row: what it holds now and what the import would write. */
export type PreviewChange = { field: string; kind: PreviewValueKind; from: PreviewValue; to: PreviewValue };

/**
 * One row of a preview, in the words of the table it lands in (a price: batch, name, strength, firm,
 * price); an updated row also says which of its columns change, from what to what.
 */
export type PreviewRow = { label: string; detail: string; chosenPrice: number | null; changes?: PreviewChange[] };

export type ImportPreview = {
  added: number;
  updated: number;
  unchanged: number;
  samples: { added: PreviewRow[]; updated: PreviewRow[]; unchanged: PreviewRow[] };
  /** Per column, how many of the updated rows (the first `compared` of them) it changes in; most first. */
  changedColumns: Array<{ field: string; rows: number }>;
  compared: number;
};

/** A compared column: its field name (the API's), how its value reads, and its stored SQL. */
type Compared = { field: string; kind: PreviewValueKind; sql: SQL };

/**
 * The written table aliased `x` (`from`), its timestamps, its sample rows' order (`key`, then
 * `x.rowid`), columns, its rows' identity (`id`) and the columns an update is compared on.
 */
type SampleSql = { from: SQL; createdAt: SQL; updatedAt: SQL; select: SQL; key: SQL; id: SQL; compared: Compared[] };

const px = renderedAlias(prices, "x");
const pr = renderedAlias(products, "pr");
const b = renderedAlias(batches, "b");
const bx = renderedAlias(batches, "x");
const rx = renderedAlias(regions, "x");

/**
 * The columns an import writes, as a preview compares them: named as the API names them (a stored
 * `…E4` in yuan without the suffix, a `…Bp` as `…Pct`), figures first (what a reader checks first),
 * then the rest, each group in the kind's own order; `leftOut` are keys or copies a change shows elsewhere.
 */
function comparedColumns<K extends string>(alias: Record<K, SQLChunk>, keys: readonly K[], leftOut: readonly K[]): Compared[] {
  const columns = keys.filter((k) => !leftOut.includes(k)).map((k): Compared => ({ ...display(k), sql: sql`${alias[k]}` }));
  const figure = (c: Compared) => c.kind === "money" || c.kind === "percent";
  return [...columns.filter(figure), ...columns.filter((c) => !figure(c))];
}

function display(key: string): { field: string; kind: PreviewValueKind } {
  if (key.endsWith("E4")) return { field: key.slice(0, -2), kind: "money" };
  if (key.endsWith("Bp")) return { field: `${key.slice(0, -2)}Pct`, kind: "percent" };
  if (key === "supplyRegions") return { field: key, kind: "regions" };
  if (key === "synthetic") return { field: key, kind: "flag" };
  return { field: key, kind: "text" };
}

/** What each kind writes, and how a row of it reads in a preview. */
const SAMPLES: Partial<Record<ImportKind, SampleSql>> = {
  prices: {
    from: sql`${prices} ${px}`,
    createdAt: sql`${px.createdAt}`,
    updatedAt: sql`${px.updatedAt}`,
    key: sql`${px.batchId}`,
    select: sql`SELECT ${px.id} AS rowKey, ${b.name} AS label, trim(${pr.genericName} || ' ' || COALESCE(${pr.spec}, '') || ' ' || COALESCE(${pr.manufacturer}, '')) AS detail,
      ${px.chosenPriceE4} AS priceE4 FROM ${prices} ${px} JOIN ${products} ${pr} ON ${pr.id} = ${px.productId} JOIN ${batches} ${b} ON ${b.id} = ${px.batchId}`,
    id: sql`${px.id}`,
    // Every column an import writes to a price, so each updated row shows why, but the primary
    // baseline's copies, which follow from these.
    compared: comparedColumns(px, PRICE_WRITTEN_KEYS, PRICE_DERIVED_KEYS),
  },
  batches: {
    from: sql`${batches} ${bx}`,
    createdAt: sql`${bx.createdAt}`,
    updatedAt: sql`${bx.updatedAt}`,
    key: sql`${bx.id}`,
    select: sql`SELECT ${bx.id} AS rowKey, ${bx.id} AS label, ${bx.name} AS detail, NULL AS priceE4 FROM ${batches} ${bx}`,
    id: sql`${bx.id}`,
    compared: comparedColumns(bx, BATCH_FIELD_KEYS, ["id"]),
  },
  regions: {
    from: sql`${regions} ${rx}`,
    createdAt: sql`${rx.createdAt}`,
    updatedAt: sql`${rx.updatedAt}`,
    key: sql`${rx.code}`,
    select: sql`SELECT ${rx.code} AS rowKey, ${rx.code} AS label, ${rx.name} AS detail, NULL AS priceE4 FROM ${regions} ${rx}`,
    id: sql`${rx.code}`,
    compared: comparedColumns(rx, REGION_WRITTEN_KEYS, []),
  },
};

/** Per kind with a preview, the fields its updated rows are compared on (what the page must name). */
export const PREVIEWED_FIELDS: Partial<Record<ImportKind, string[]>> = Object.fromEntries(
  Object.entries(SAMPLES).map(([kind, s]) => [kind, s.compared.map((c) => c.field)]),
);

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
  type Seen = { added: number; updated: number; rows: Record<"added" | "updated", PreviewRow[]>; changes: Map<string, PreviewChange[]> };
  const box: { seen: Seen | null } = { seen: null };
  const preview = async (tx: Db, chunks: AsyncIterable<SQL[]>) => {
    const statements: SQL[] = [];
    for await (const chunk of chunks) statements.push(...chunk);
    const [{ now } = { now: "" }] = await tx.all<{ now: string }>(sql`SELECT strftime('%Y-%m-%dT%H:%M:%fZ','now') AS now`);
    const added = sql`${samples.createdAt} >= ${now}`;
    const updated = sql`${samples.updatedAt} >= ${now} AND ${samples.createdAt} < ${now}`;
    const count = (cond: SQL) => sql`SELECT count(*) AS n FROM ${samples.from} WHERE ${cond}`;
    // rowid is SQLite's own: the order rows were written in, after the key.
    const rows = (cond: SQL) => sql`${samples.select} WHERE ${cond} ORDER BY ${samples.key}, x.rowid LIMIT ${PREVIEW_SAMPLES}`;
    const values = sql`json_array(${sql.join(
      samples.compared.map((c) => c.sql),
      sql`, `,
    )})`;
    try {
      const results = await runBatch(tx, [
        sql`SAVEPOINT import_preview`,
        ...statements,
        count(added),
        count(updated),
        rows(added),
        rows(updated),
        sql`SELECT ${samples.id} AS rowKey, ${values} AS v FROM ${samples.from} WHERE ${updated} ORDER BY ${samples.key}, x.rowid LIMIT ${PREVIEW_COMPARED}`,
        sql`ROLLBACK TO import_preview`,
        sql`RELEASE import_preview`,
      ]);
      const at = (i: number) => results[statements.length + 1 + i] ?? [];
      // The updated rows as they are now, read after the rollback: what the import would change.
      const after = at(4);
      const before = after.length
        ? await tx.all<{ rowKey: unknown; v: string }>(
            sql`SELECT ${samples.id} AS rowKey, ${values} AS v FROM ${samples.from}
              WHERE ${samples.id} IN (SELECT value FROM json_each(${JSON.stringify(after.map((r) => r.rowKey))}))`,
          )
        : [];
      const was = new Map(before.map((r) => [String(r.rowKey), JSON.parse(r.v) as unknown[]]));
      const changes = new Map<string, PreviewChange[]>();
      for (const r of after) {
        const key = String(r.rowKey);
        changes.set(key, changedColumns(samples.compared, was.get(key) ?? [], JSON.parse(String(r.v)) as unknown[]));
      }
      box.seen = {
        added: Number(at(0)[0]?.n ?? 0),
        updated: Number(at(1)[0]?.n ?? 0),
        rows: { added: at(2).map((r) => previewRow(r)), updated: at(3).map((r) => previewRow(r, changes)) },
        changes,
      };
    } catch {
      box.seen = null; // a database that refuses the savepoint batch: the plain dry run still answers
    }
  };
  const report = await runImport(db, { ...req, dryRun: true, preview });
  const result = box.seen;
  if (!result || report.errors.length) return { report, preview: null };
  const unchanged = Math.max(0, report.rowsValid - result.added - result.updated);
  const perColumn = new Map<string, number>();
  for (const list of result.changes.values()) for (const c of list) perColumn.set(c.field, (perColumn.get(c.field) ?? 0) + 1);
  return {
    report,
    preview: {
      added: result.added,
      updated: result.updated,
      unchanged,
      samples: { ...result.rows, unchanged: [] },
      changedColumns: [...perColumn].map(([field, rows]) => ({ field, rows })).sort((a, b) => b.rows - a.rows),
      compared: result.changes.size,
    },
  };
}

/** The compared columns whose value differs, each as it reads (yuan, percent) before and after. */
function changedColumns(compared: Compared[], before: unknown[], after: unknown[]): PreviewChange[] {
  const out: PreviewChange[] = [];
  compared.forEach((c, i) => {
    const from = before[i] ?? null;
    const to = after[i] ?? null;
    if (from === to) return;
    out.push({ field: c.field, kind: c.kind, from: readable(c.kind, from), to: readable(c.kind, to) });
  });
  return out;
}

function readable(kind: PreviewValueKind, v: unknown): PreviewValue {
  if (v === null) return null;
  if (kind === "money") return storedE4ToYuan(Number(v));
  if (kind === "percent") return basisPointsToPercent(Number(v));
  if (kind === "flag") return Boolean(v);
  return typeof v === "number" ? v : String(v);
}

function previewRow(r: Record<string, unknown>, changes?: Map<string, PreviewChange[]>): PreviewRow {
  const e4 = r.priceE4;
  const row: PreviewRow = {
    label: String(r.label ?? ""),
    detail: String(r.detail ?? ""),
    chosenPrice: e4 === null || e4 === undefined ? null : storedE4ToYuan(Number(e4)),
  };
  if (changes) row.changes = changes.get(String(r.rowKey)) ?? [];
  return row;
}
