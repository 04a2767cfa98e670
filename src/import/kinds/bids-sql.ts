import { type SQL, sql } from "drizzle-orm";
import { trustedSql } from "../../db/trusted-sql";
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

const BID_FIELDS = [
  "batch_id",
  "natural_key",
  "category",
  "generic_name",
  "dosage_form",
  "spec",
  "package_qty",
  "package_unit",
  "smallest_unit",
  "manufacturer",
  "manufacturer_short",
  "originator",
  "foreign_firm",
  "bid_price_e4",
  "bid_unit_price_e4",
  "ceiling_price_e4",
  "pre_vbp_price_e4",
  "source",
  "synthetic",
] as const;
const UPDATABLE = BID_FIELDS.slice(2);

const num = (n: bigint | null) => (n === null ? null : Number(n));
const bool = (b: boolean | null) => (b === null ? null : b ? 1 : 0);

/** Upserts bids on (batch, product): an unchanged bid is left alone, so a re-import changes nothing. */
export function bidChunkStatements(recs: BidRecord[]): SQL[] {
  if (recs.length === 0) return [];
  const rows = recs.map((b) => {
    const p = b.product;
    return [
      b.batchId,
      p.naturalKey,
      p.category,
      p.genericName,
      p.dosageForm,
      p.spec,
      p.packageQty,
      p.packageUnit,
      p.smallestUnit,
      p.manufacturer,
      p.manufacturerShort,
      bool(p.originator),
      bool(p.foreignFirm),
      num(b.bidPriceE4),
      b.bidUnitPriceE4,
      num(b.ceilingPriceE4),
      num(b.preVbpPriceE4),
      b.source,
      b.synthetic ? 1 : 0,
    ];
  });
  const columns = trustedSql(BID_FIELDS.map((f, i) => `j.value->>${i} AS ${f}`).join(", "));
  return [
    sql`INSERT INTO bids (${trustedSql(BID_FIELDS.join(", "))}) SELECT ${columns} FROM json_each(${JSON.stringify(rows)}) j WHERE true
      ON CONFLICT(batch_id, natural_key) DO UPDATE SET (${trustedSql(UPDATABLE.join(", "))}, updated_at) =
        (${trustedSql(UPDATABLE.map((f) => `excluded.${f}`).join(", "))}, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      WHERE (${trustedSql(UPDATABLE.join(", "))}) IS NOT (${trustedSql(UPDATABLE.map((f) => `excluded.${f}`).join(", "))})`,
  ];
}
