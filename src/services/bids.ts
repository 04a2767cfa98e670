import { eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readPages, readRows } from "../db/read-rows";
import { batches, bids, prices, products } from "../db/schema";
import { renderedAlias } from "../db/trusted-sql";
import { type BidEntry, type BidGroup, type BidLandscape, BidLandscapeBuilder, bidGroupKey, storedE4ToYuan, unitPriceE4Rounded } from "../domain";
import { normalizeStrength } from "../domain/strength";
import { AppError, notFound } from "../errors";
import { decodeCursor, encodeCursor } from "./cursor";

/** One offer of a batch as the bids list shows it: a chosen price or a losing bid, side by side. */
type OfferSqlRow = {
  outcome: "chosen" | "not_chosen";
  priceId: number | null;
  bidId: number | null;
  productId: number | null;
  genericName: string;
  dosageForm: string | null;
  spec: string | null;
  packageQty: number | null;
  packageUnit: string | null;
  smallestUnit: string | null;
  manufacturer: string | null;
  manufacturerShort: string | null;
  originator: number | boolean | null;
  foreignFirm: number | boolean | null;
  bidPriceE4: number | null;
  bidUnitPriceE4: number | null;
  /** Chosen prices store their unit baselines; bids store per-package ones (unit derived here). */
  ceilingUnitPriceE4: number | null;
  preVbpUnitPriceE4: number | null;
  ceilingPriceE4: number | null;
  preVbpPriceE4: number | null;
  source: string | null;
  synthetic: number | boolean;
};

const p = renderedAlias(prices, "p");
const pr = renderedAlias(products, "pr");
const b = renderedAlias(bids, "b");
const x = renderedAlias(products, "x");

/** Chosen prices and losing bids of one batch as one table (a chosen price is the bid that won). */
function offersOf(batchId: string): SQL {
  return sql`SELECT 'chosen' AS outcome, ${p.id} AS priceId, NULL AS bidId, ${pr.id} AS productId, ${pr.genericName} AS genericName,
      ${pr.dosageForm} AS dosageForm, ${pr.spec} AS spec, ${pr.packageQty} AS packageQty, ${pr.packageUnit} AS packageUnit,
      ${pr.smallestUnit} AS smallestUnit, ${pr.manufacturer} AS manufacturer, ${pr.manufacturerShort} AS manufacturerShort, ${pr.originator} AS originator,
      ${pr.foreignFirm} AS foreignFirm, ${p.chosenPriceE4} AS bidPriceE4, ${p.unitPriceE4} AS bidUnitPriceE4,
      ${p.ceilingUnitPriceE4} AS ceilingUnitPriceE4, ${p.preVbpUnitPriceE4} AS preVbpUnitPriceE4,
      NULL AS ceilingPriceE4, NULL AS preVbpPriceE4, ${p.source} AS source, ${p.synthetic} AS synthetic
    FROM ${prices} ${p} JOIN ${products} ${pr} ON ${pr.id} = ${p.productId} WHERE ${p.batchId} = ${batchId}
    UNION ALL
    SELECT 'not_chosen', NULL, ${b.id}, (SELECT ${x.id} FROM ${products} ${x} WHERE ${x.naturalKey} = ${b.naturalKey}), ${b.genericName},
      ${b.dosageForm}, ${b.spec}, ${b.packageQty}, ${b.packageUnit}, ${b.smallestUnit}, ${b.manufacturer}, ${b.manufacturerShort},
      ${b.originator}, ${b.foreignFirm}, ${b.bidPriceE4}, ${b.bidUnitPriceE4}, NULL, NULL, ${b.ceilingPriceE4}, ${b.preVbpPriceE4},
      ${b.source}, ${b.synthetic}
    FROM ${bids} ${b} WHERE ${b.batchId} = ${batchId}`;
}

const unitOf = (perUnit: number | null, perPackage: number | null, packageQty: number | null) =>
  perUnit ?? (perPackage === null ? null : unitPriceE4Rounded(BigInt(perPackage), packageQty));

const yuan = (e4: number | null) => (e4 === null ? null : storedE4ToYuan(e4));
const flag = (v: number | boolean | null) => (v === null ? null : Boolean(v));

/** What a bid landscape reads of an offer. */
type LandscapeFields = Pick<
  OfferSqlRow,
  | "outcome"
  | "genericName"
  | "dosageForm"
  | "spec"
  | "packageQty"
  | "manufacturer"
  | "manufacturerShort"
  | "bidUnitPriceE4"
  | "ceilingUnitPriceE4"
  | "ceilingPriceE4"
>;

function toEntry(r: LandscapeFields): BidEntry {
  return {
    genericName: r.genericName,
    dosageForm: r.dosageForm,
    spec: r.spec,
    firm: r.manufacturer,
    firmLabel: r.manufacturerShort,
    chosen: r.outcome === "chosen",
    unitPriceE4: r.bidUnitPriceE4,
    ceilingUnitPriceE4: unitOf(r.ceilingUnitPriceE4, r.ceilingPriceE4, r.packageQty),
  };
}

function toBidView(r: OfferSqlRow) {
  return {
    outcome: r.outcome,
    priceId: r.priceId,
    bidId: r.bidId,
    productId: r.productId,
    genericName: r.genericName,
    dosageForm: r.dosageForm,
    spec: r.spec,
    strengthNormalized: normalizeStrength(r.spec),
    packageQty: r.packageQty,
    packageUnit: r.packageUnit,
    smallestUnit: r.smallestUnit,
    manufacturer: r.manufacturer,
    manufacturerShort: r.manufacturerShort,
    originator: flag(r.originator),
    foreignFirm: flag(r.foreignFirm),
    bidPrice: yuan(r.bidPriceE4),
    bidUnitPrice: yuan(r.bidUnitPriceE4),
    ceilingUnitPrice: yuan(unitOf(r.ceilingUnitPriceE4, r.ceilingPriceE4, r.packageQty)),
    preVbpUnitPrice: yuan(unitOf(r.preVbpUnitPriceE4, r.preVbpPriceE4, r.packageQty)),
    source: r.source,
    synthetic: Boolean(r.synthetic),
  };
}

export type BidView = ReturnType<typeof toBidView>;

/** Offers read per statement when a batch's bid landscape is gathered. */
export const LANDSCAPE_PAGE_ROWS = 5000;

type LandscapeSqlRow = Omit<LandscapeFields, "outcome"> & {
  /** The page's key: a chosen price's product, a losing bid's natural key (each the batch's unique index). */
  after: number | string;
};

/**
 * The bid landscape of a batch, computed from what is stored now (refreshBatchStats keeps a copy).
 * A synthetic batch of a million-price import holds ~150,000 offers: read whole, as row objects,
 * they took ~100 MB at the end of the import. They are read a page at a time instead, chosen
 * prices by product and then losing bids by natural key (each on the batch's unique index), with
 * only the columns the landscape needs.
 */
export async function computeBidLandscape(db: Db, batchId: string, pageRows = LANDSCAPE_PAGE_ROWS): Promise<BidLandscape> {
  const builder = new BidLandscapeBuilder();
  const chosen = (after: number | string | null) =>
    sql`SELECT ${pr.genericName} AS genericName, ${pr.dosageForm} AS dosageForm, ${pr.spec} AS spec, ${pr.packageQty} AS packageQty,
        ${pr.manufacturer} AS manufacturer, ${pr.manufacturerShort} AS manufacturerShort, ${p.unitPriceE4} AS bidUnitPriceE4,
        ${p.ceilingUnitPriceE4} AS ceilingUnitPriceE4, NULL AS ceilingPriceE4, ${p.productId} AS after
      FROM ${prices} ${p} JOIN ${products} ${pr} ON ${pr.id} = ${p.productId}
      WHERE ${p.batchId} = ${batchId} AND ${p.productId} > ${after ?? -1} ORDER BY ${p.productId} LIMIT ${pageRows}`;
  const losing = (after: number | string | null) =>
    sql`SELECT ${b.genericName} AS genericName, ${b.dosageForm} AS dosageForm, ${b.spec} AS spec, ${b.packageQty} AS packageQty,
        ${b.manufacturer} AS manufacturer, ${b.manufacturerShort} AS manufacturerShort, ${b.bidUnitPriceE4} AS bidUnitPriceE4,
        NULL AS ceilingUnitPriceE4, ${b.ceilingPriceE4} AS ceilingPriceE4, ${b.naturalKey} AS after
      FROM ${bids} ${b} WHERE ${b.batchId} = ${batchId} ${after === null ? sql`` : sql`AND ${b.naturalKey} > ${after}`}
      ORDER BY ${b.naturalKey} LIMIT ${pageRows}`;
  for (const [page, outcome] of [
    [chosen, "chosen"],
    [losing, "not_chosen"],
  ] as const) {
    for await (const rows of readPages<LandscapeSqlRow, number | string>(db, page, pageRows, (r) => r.after))
      for (const r of rows) builder.add(toEntry({ ...r, outcome }));
  }
  return builder.result();
}

export type BidListQuery = { outcome?: "chosen" | "not_chosen"; genericName?: string; limit?: number; cursor?: string };

/**
 * A batch's offers, chosen and losing, by generic name, form and strength, cheapest unit price first
 * within each (bids without a price last). Paged by position: the cursor holds the offset.
 */
export async function listBatchBids(db: Db, batchId: string, query: BidListQuery = {}) {
  const [batch] = await db.select({ id: batches.id }).from(batches).where(eq(batches.id, batchId));
  if (!batch) throw notFound("batch", batchId);
  const limit = query.limit ?? 100;
  const offset = query.cursor === undefined ? 0 : offsetOf(query.cursor);
  const conditions: SQL[] = [];
  if (query.outcome) conditions.push(sql`outcome = ${query.outcome}`);
  if (query.genericName) conditions.push(sql`instr(genericName, ${query.genericName.trim()}) > 0`);
  const where = conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  const [count] = await readRows<{ n: number }>(db, sql`SELECT count(*) AS n FROM (${offersOf(batchId)}) ${where}`);
  const rows = await readRows<OfferSqlRow>(
    db,
    sql`SELECT * FROM (${offersOf(batchId)}) ${where}
      ORDER BY genericName, COALESCE(dosageForm, ''), COALESCE(spec, ''), bidUnitPriceE4 IS NULL, bidUnitPriceE4, outcome,
        COALESCE(priceId, 0), COALESCE(bidId, 0)
      LIMIT ${limit + 1} OFFSET ${offset}`,
  );
  const total = count?.n ?? 0;
  const more = rows.length > limit;
  return {
    data: rows.slice(0, limit).map(toBidView),
    meta: { total, nextCursor: more ? encodeCursor({ v: "offset", id: offset + limit }) : null },
  };
}

function offsetOf(raw: string): number {
  const c = decodeCursor(raw);
  if (c.v !== "offset" || c.id < 0) throw new AppError(400, "invalid_cursor", "cursor is not one this API issued for bids; start again without it");
  return c.id;
}

/** The product's group (same generic name, form and strength) in a stored landscape, or null. */
export function groupOf(landscape: BidLandscape, product: { genericName: string; dosageForm: string | null; spec: string | null }): BidGroup | null {
  const key = bidGroupKey(product);
  return landscape.items.find((g) => bidGroupKey(g) === key) ?? null;
}
