import { eq, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readPages, readRows } from "../db/read-rows";
import type { BatchFields, SqlRow } from "../db/rows";
import { batches, batchStats, priceSearch, prices, products, tombstones } from "../db/schema";
import { aliasedColumn, bareColumns, commaList, renderedAlias, trustedSql } from "../db/trusted-sql";
import { type BatchStatistics, BatchStatisticsBuilder, type BidLandscape, PUBLISHED_MEAN_BASELINES } from "../domain";
import { type PriceState, priceState } from "../domain/state";
import { notFound } from "../errors";
import { computeBidLandscape } from "./bids";
import { parseUpdatedSince, syncToken } from "./change-feed";
import { parsePriceFilter, readAsOf } from "./price-filter";
import { placeSql } from "./price-filter-sql";
import { newestWithdrawal, withdrawnIn } from "./tombstones";

/** A batch row as a plain read returns it (synthetic 0/1), with its stored statistics. */
type BatchSqlRow = SqlRow<BatchFields> & { stats: string | null };

/** A batch answer's fields: `batches b LEFT JOIN batch_stats s` through the schema, for the query builder and the SQL text below. */
const BATCH_ROW = {
  id: batches.id,
  name: batches.name,
  level: batches.level,
  category: batches.category,
  organizer: batches.organizer,
  announced: batches.announced,
  cycleStart: batches.cycleStart,
  cycleEnd: batches.cycleEnd,
  regionScope: batches.regionScope,
  publishedItems: batches.publishedItems,
  publishedProducts: batches.publishedProducts,
  publishedFirms: batches.publishedFirms,
  publishedAvgDiscountBp: batches.publishedAvgDiscountBp,
  publishedMaxDiscountBp: batches.publishedMaxDiscountBp,
  publishedSavings: batches.publishedSavings,
  source: batches.source,
  synthetic: batches.synthetic,
  stats: batchStats.stats,
} satisfies Record<keyof BatchSqlRow, unknown>;
/** BATCH_FROM's aliases and the tombstones' (t), through the schema; ps and p, pr for the statements below. */
const b = renderedAlias(batches, "b");
const s = renderedAlias(batchStats, "s");
const t = renderedAlias(tombstones, "t");
const ps = renderedAlias(priceSearch, "ps");
const p = renderedAlias(prices, "p");
const pr = renderedAlias(products, "pr");
/** The same fields with their columns under the aliases b and s, for the SQL text below (the change feed's union, a withdrawal's tombstone). */
const BATCH_FIELDS = Object.entries(BATCH_ROW).map(([field, column]) => [field, aliasedColumn(column.table === batchStats ? s : b, column)] as const);
const BATCH_FROM = sql`${batches} ${b} LEFT JOIN ${batchStats} ${s} ON ${s.batchId} = ${b.id}`;
const BATCH_COLUMNS = commaList(BATCH_FIELDS.map(([field, column]) => sql`${column} AS ${trustedSql(field)}`));
const BATCH_SELECT = sql`SELECT ${BATCH_COLUMNS} FROM ${BATCH_FROM}`;
const selectBatches = (db: Db) => db.select(BATCH_ROW).from(batches).leftJoin(batchStats, eq(batchStats.batchId, batches.id));

/** A field's name as an SQL string literal (`'cycleStart'`), for json_object (constants, never input). */
const fieldName = (field: string) => trustedSql(`'${field}'`);
/** A batch with its statistics, over BATCH_FROM, as the JSON a tombstone keeps (src/services/import-withdrawal.ts). */
export const BATCH_JSON = sql`json_object(${commaList(BATCH_FIELDS.map(([field, column]) => sql`${fieldName(field)}, ${column}`))})`;
export const BATCH_TOMBSTONE_FROM = BATCH_FROM;
/** A JSON path as SQL text: `'$.field'`, for one of the fields above (constants, never input). */
const fieldPath = (field: string) => trustedSql(`'$.${field}'`);
const batchFromJson = (json: SQLWrapper) =>
  sql.join(
    BATCH_FIELDS.map(([field]) => sql`json_extract(${json}, ${fieldPath(field)}) AS ${trustedSql(field)}`),
    sql`, `,
  );

export type BatchStatisticsView = BatchStatistics;

/** What batch_stats.stats holds: the statistics and the bid landscape. */
type StoredStats = BatchStatisticsView & { bidLandscape: BidLandscape };

/**
 * The stored statistics of a batch, or fresh ones when none are stored or they were stored by an
 * older version (without the per-baseline figures or the bid landscape): right until the next import rewrites them.
 */
async function statsOf(db: Db, row: Pick<BatchSqlRow, "id" | "stats">): Promise<{ statistics: BatchStatisticsView; bidLandscape: BidLandscape }> {
  const parsed = row.stats ? (JSON.parse(row.stats) as Partial<StoredStats>) : null;
  const current =
    parsed?.byBaseline && parsed.bidLandscape?.overCeiling !== undefined ? (parsed as StoredStats) : await computeStoredStats(db, row.id, STATS_PAGE_ROWS);
  const { bidLandscape, ...statistics } = current;
  return { statistics, bidLandscape };
}

function toBatchView(row: BatchSqlRow, computed: BatchStatisticsView) {
  return {
    id: row.id,
    name: row.name,
    level: row.level,
    category: row.category,
    organizer: row.organizer,
    announced: row.announced,
    cycleStart: row.cycleStart,
    cycleEnd: row.cycleEnd,
    regionScope: row.regionScope,
    source: row.source,
    synthetic: Boolean(row.synthetic),
    // Published figures stand beside the computed ones so a user sees when our data is incomplete.
    published: {
      items: row.publishedItems,
      products: row.publishedProducts,
      firms: row.publishedFirms,
      meanDiscountPct: row.publishedAvgDiscountBp === null ? null : row.publishedAvgDiscountBp / 100,
      maxDiscountPct: row.publishedMaxDiscountBp === null ? null : row.publishedMaxDiscountBp / 100,
      savings: row.publishedSavings,
      // What the published mean was measured against, when its source says (national batches: prices before procurement).
      meanDiscountBaseline: PUBLISHED_MEAN_BASELINES[row.id]?.baseline ?? null,
      meanDiscountBaselineStatedAs: PUBLISHED_MEAN_BASELINES[row.id]?.statedAs ?? null,
      meanDiscountBaselineSource: PUBLISHED_MEAN_BASELINES[row.id]?.source ?? null,
    },
    statistics: computed,
  };
}

export type BatchView = ReturnType<typeof toBatchView>;

/** When a batch last changed for a client: its own row or its statistics (which change with its prices). */
const BATCH_CHANGED_AT = sql`max(${b.updatedAt}, COALESCE(${s.updatedAt}, ''))`;

export type BatchChange = { kind: "added" | "changed" | "withdrawn"; at: string; tombstone: boolean };

/**
 * Batches, newest first; with `updatedSince`, those added, changed or withdrawn since, oldest change
 * first (a withdrawn batch, one a withdrawn import had added, as a tombstone: the batch as the feed
 * last showed it, `change.kind` withdrawn); with `state`, only batches whose cycle is in one of those
 * states on `asOf` (default today in China). `level`, `category`, `synthetic` and `state` apply to
 * tombstones as to batches; `province` asks about prices, which went with the batch, so every
 * withdrawn batch is listed whatever it says.
 */
export async function listBatches(
  db: Db,
  filter: {
    level?: string;
    category?: string;
    synthetic?: boolean;
    updatedSince?: string;
    state?: readonly PriceState[];
    asOf?: string;
    province?: string;
  } = {},
): Promise<(BatchView & { change?: BatchChange })[]> {
  const conditions = [];
  const gone: SQL[] = [];
  const copied = (field: keyof BatchSqlRow) => sql`json_extract(${t.last}, ${fieldPath(field)})`;
  if (filter.province !== undefined) conditions.push(await suppliedTo(db, filter.province));
  if (filter.level) {
    conditions.push(sql`${b.level} = ${filter.level}`);
    gone.push(sql`${copied("level")} = ${filter.level}`);
  }
  if (filter.category) {
    conditions.push(sql`${b.category} = ${filter.category}`);
    gone.push(sql`${copied("category")} = ${filter.category}`);
  }
  if (filter.synthetic !== undefined) {
    conditions.push(sql`${b.synthetic} = ${filter.synthetic ? 1 : 0}`);
    gone.push(sql`${copied("synthetic")} = ${filter.synthetic ? 1 : 0}`);
  }
  const since = filter.updatedSince === undefined ? null : parseUpdatedSince(filter.updatedSince);
  if (since) conditions.push(sql`${BATCH_CHANGED_AT} > ${since.updated}`);
  const where = conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  const asOf = readAsOf(filter.asOf);
  type Row = BatchSqlRow & { changedAt?: string; createdAt?: string; withdrawn?: number };
  // SQL text: the change feed unions live batches with tombstones' JSON, and both reads share the conditions over alias b.
  const rows = since
    ? await readRows<Row>(
        db,
        sql`SELECT * FROM (
        SELECT ${BATCH_COLUMNS}, ${BATCH_CHANGED_AT} AS changedAt, ${b.createdAt} AS createdAt, 0 AS withdrawn FROM ${BATCH_FROM} ${where}
        UNION ALL
        SELECT ${batchFromJson(t.last)}, ${t.withdrawnAt} AS changedAt, ${t.withdrawnAt} AS createdAt, 1 AS withdrawn
        FROM ${tombstones} ${t} WHERE ${sql.join([withdrawnIn("batches", since.updated), ...gone], sql` AND `)}
      ) ORDER BY changedAt ASC, id ASC`,
      )
    : await readRows<Row>(db, sql`${BATCH_SELECT} ${where} ORDER BY COALESCE(${b.announced}, '') DESC, ${b.id} ASC`);
  // Every batch fits one answer, so the state (the calendar's, never stored) is judged here by the domain's rule.
  const states = filter.state?.length ? new Set(filter.state) : null;
  const views: (BatchView & { change?: BatchChange })[] = [];
  for (const row of rows) {
    if (states && !states.has(priceState(row.cycleStart, row.cycleEnd, asOf))) continue;
    const view = toBatchView(row, (await statsOf(db, row)).statistics);
    if (!since || row.changedAt === undefined) {
      views.push(view);
      continue;
    }
    const kind: BatchChange["kind"] = row.withdrawn ? "withdrawn" : (row.createdAt ?? "") > since.updated ? "added" : "changed";
    views.push({ ...view, change: { kind, at: row.changedAt, tombstone: kind === "withdrawn" } });
  }
  return views;
}

/**
 * Batches with any price a province can buy, whatever its state: supplied to it, to one of its
 * cities or nationwide; a city means its province. The place is the prices list's (price-filter.ts).
 */
async function suppliedTo(db: Db, province: string): Promise<SQL> {
  const { places } = await parsePriceFilter(db, { province, include: "all" });
  return sql`${b.id} IN (SELECT ${ps.batchId} FROM ${priceSearch} ${ps} WHERE ${sql.join(places.map(placeSql), sql` AND `)})`;
}

/** Where the next batches sync starts: the newest change now, a withdrawal too (read before the list, so nothing falls between). */
export async function batchesSyncToken(db: Db): Promise<string> {
  const [point] = await readRows<{ updated: string | null }>(
    db,
    sql`SELECT max(u) AS updated FROM
    (SELECT max(${BATCH_CHANGED_AT}) AS u FROM ${BATCH_FROM} UNION ALL ${newestWithdrawal("batches")})`,
  );
  return syncToken({ updated: point?.updated || "1970-01-01T00:00:00.000Z", clock: new Date().toISOString() });
}

/** One batch with its statistics and its bid landscape (losing bids beside the chosen prices). */
export async function getBatch(db: Db, id: string): Promise<BatchView & { bidLandscape: BidLandscape }> {
  const [row] = await selectBatches(db).where(eq(batches.id, id));
  if (!row) throw notFound("batch", id);
  const { statistics, bidLandscape } = await statsOf(db, row);
  return { ...toBatchView(row, statistics), bidLandscape };
}

/** The bid landscapes of some batches, as stored with their statistics. */
export async function storedBidLandscapes(db: Db, ids: readonly string[]): Promise<Map<string, BidLandscape>> {
  const out = new Map<string, BidLandscape>();
  if (ids.length === 0) return out;
  // SQL text, not the query builder: every product answer asks, and building the select and mapping
  // its rows made product answers 0.81× as fast without read threads (bench/compare.ts, READ_THREADS=0).
  const rows = await readRows<Pick<BatchSqlRow, "id" | "stats">>(
    db,
    sql`SELECT ${b.id} AS id, ${s.stats} AS stats FROM ${BATCH_FROM} WHERE ${b.id} IN (${commaList(ids.map((id) => sql`${id}`))})`,
  );
  for (const row of rows) out.set(row.id, (await statsOf(db, row)).bidLandscape);
  return out;
}

/** batch_stats's columns bare, for the upsert's `excluded.` row. */
const stat = bareColumns(batchStats);

/** Recomputes the statistics of the given batches from their prices (after an import). */
export async function refreshBatchStats(db: Db, batchIds: Iterable<string>, pageRows = STATS_PAGE_ROWS): Promise<void> {
  const now = new Date().toISOString();
  for (const batchId of new Set(batchIds)) {
    const stored = await computeStoredStats(db, batchId, pageRows);
    // Unchanged statistics keep their updated_at: the change feed reads it.
    await db
      .insert(batchStats)
      .values({ batchId, stats: JSON.stringify(stored), updatedAt: now })
      .onConflictDoUpdate({
        target: batchStats.batchId,
        set: { stats: sql`excluded.${stat.stats}`, updatedAt: sql`excluded.${stat.updatedAt}` },
        setWhere: sql`${batchStats.stats} IS NOT excluded.${stat.stats}`,
      });
  }
}

/** Prices read per statement when a batch's statistics are gathered. */
const STATS_PAGE_ROWS = 5000;

/**
 * A batch's statistics and bid landscape from its prices and bids as stored now. The prices are read
 * in pages by product (the batch's unique index), so a batch of a million prices costs the heap a
 * page at a time, not a million row objects (the import of a million rows ran out of its 192 MB here).
 */
async function computeStoredStats(db: Db, batchId: string, pageRows: number): Promise<StoredStats> {
  const builder = new BatchStatisticsBuilder();
  type Item = {
    discountBp: number | null;
    manufacturer: string | null;
    productId: number;
    referencePriceE4: number | null;
    chosenPriceE4: number;
    packageQty: number | null;
    agreedVolume: number | null;
    referenceKind: "ceiling" | "pre_vbp" | null;
    ceilingDiscountBp: number | null;
    preVbpDiscountBp: number | null;
  };
  const page = (after: number | null) =>
    sql`SELECT ${p.discountBp} AS discountBp, ${pr.manufacturer}, ${p.productId} AS productId,
        ${p.referencePriceE4} AS referencePriceE4, ${p.chosenPriceE4} AS chosenPriceE4,
        ${pr.packageQty} AS packageQty, ${p.agreedVolume} AS agreedVolume, ${p.referenceKind} AS referenceKind,
        ${p.ceilingDiscountBp} AS ceilingDiscountBp, ${p.preVbpDiscountBp} AS preVbpDiscountBp
      FROM ${prices} ${p} JOIN ${products} ${pr} ON ${pr.id} = ${p.productId}
      WHERE ${p.batchId} = ${batchId} AND ${p.productId} > ${after ?? -1} ORDER BY ${p.productId} LIMIT ${pageRows}`;
  for await (const items of readPages<Item, number>(db, page, pageRows, (i) => i.productId))
    for (const i of items)
      builder.add({
        discountBp: i.discountBp,
        manufacturer: i.manufacturer,
        productId: i.productId,
        referencePrice: i.referencePriceE4 === null ? null : BigInt(i.referencePriceE4),
        chosenPrice: BigInt(i.chosenPriceE4),
        packageQty: i.packageQty,
        volume: i.agreedVolume === null ? null : BigInt(i.agreedVolume),
        referenceKind: i.referenceKind,
        ceilingDiscountBp: i.ceilingDiscountBp,
        preVbpDiscountBp: i.preVbpDiscountBp,
      });
  const stats = builder.result();
  // The landscape is kept beside the statistics so a batch page does not regroup every price of a large batch.
  return { ...stats, bidLandscape: await computeBidLandscape(db, batchId, pageRows) };
}
