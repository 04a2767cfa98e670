import { getTableName, type SQL, sql } from "drizzle-orm";
import { bids } from "../../db/schema";
import { columnNames, quoteIdentifier, trustedSql } from "../../db/trusted-sql";
import { upsertUnlessSame } from "../../db/upsert";
import type { E4 } from "../../domain";
import type { ProductRecord } from "./prices";

/** A losing bid (是否中标 = 否, or a 流标 row) of a batch: kept apart from chosen prices. */
export type BidRecord = {
  type: "bid";
  batchId: string;
  product: ProductRecord;
  /** The bid per package; null when the table gives none (a withdrawn or failed bid). */
  bidPriceE4: E4 | null;
  bidUnitPriceE4: number | null;
  ceilingPriceE4: E4 | null;
  preVbpPriceE4: E4 | null;
  source: string | null;
  synthetic: boolean;
};

/** The columns a bid import writes, in the order of each row's values (json_each positions). */
const BID_KEYS = [
  "batchId",
  "naturalKey",
  "category",
  "genericName",
  "dosageForm",
  "spec",
  "packageQty",
  "packageUnit",
  "smallestUnit",
  "manufacturer",
  "manufacturerShort",
  "originator",
  "foreignFirm",
  "bidPriceE4",
  "bidUnitPriceE4",
  "ceilingPriceE4",
  "preVbpPriceE4",
  "source",
  "synthetic",
] as const satisfies ReadonlyArray<keyof typeof bids.$inferInsert>;
type BidKey = (typeof BID_KEYS)[number];
const BID = columnNames(bids);
const BID_FIELDS = BID_KEYS.map((k) => BID[k]);
const BID_INSERT = trustedSql(`INSERT INTO ${quoteIdentifier(getTableName(bids))} (${BID_FIELDS.join(", ")})`);
const BID_VALUES = trustedSql(BID_FIELDS.map((f, i) => `j.value->>${i} AS ${f}`).join(", "));
const BID_UPSERT = trustedSql(
  upsertUnlessSame(bids, ["batchId", "naturalKey"], BID_KEYS.slice(2), { stamp: "strftime('%Y-%m-%dT%H:%M:%fZ','now')", silentWhenNull: ["source"] }),
);

const num = (n: bigint | null) => (n === null ? null : Number(n));
const bool = (b: boolean | null) => (b === null ? null : b ? 1 : 0);

function bidValues(b: BidRecord): Record<BidKey, unknown> {
  const p = b.product;
  return {
    batchId: b.batchId,
    naturalKey: p.naturalKey,
    category: p.category,
    genericName: p.genericName,
    dosageForm: p.dosageForm,
    spec: p.spec,
    packageQty: p.packageQty,
    packageUnit: p.packageUnit,
    smallestUnit: p.smallestUnit,
    manufacturer: p.manufacturer,
    manufacturerShort: p.manufacturerShort,
    originator: bool(p.originator),
    foreignFirm: bool(p.foreignFirm),
    bidPriceE4: num(b.bidPriceE4),
    bidUnitPriceE4: b.bidUnitPriceE4,
    ceilingPriceE4: num(b.ceilingPriceE4),
    preVbpPriceE4: num(b.preVbpPriceE4),
    source: b.source,
    synthetic: b.synthetic ? 1 : 0,
  };
}

/** Upserts bids on (batch, product): an unchanged bid is left alone, so a re-import changes nothing. */
export function bidChunkStatements(recs: BidRecord[]): SQL[] {
  if (recs.length === 0) return [];
  const rows = recs.map((b) => {
    const values = bidValues(b);
    return BID_KEYS.map((k) => values[k]);
  });
  return [sql`${BID_INSERT} SELECT ${BID_VALUES} FROM json_each(${JSON.stringify(rows)}) j WHERE true ${BID_UPSERT}`];
}
