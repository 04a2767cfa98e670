import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { productNaturalKey } from "../../domain/names";
import type { RowReader } from "../row-reader";
import { parseShareCell } from "../numbers";
import { resolveRegion } from "../region-list";
import { regionLookup } from "../region-names";
import { parseDateCell, parseIntegerCell, parseMoneyCell } from "../values";
import type { KindSpec } from "./types";

export type VolumeRecord = {
  priceId: number;
  regionCode: string;
  month: string;
  units: number;
  amountPaidE4: bigint | null;
  fundShareBp: number | null;
};

type PriceRef = { priceId: number; packageQty: number | null };

export type VolumesContext = {
  batchOverride?: string;
  /** `${batch}\0${naturalKey}` → price */
  priceByKey: Map<string, PriceRef>;
  regionCode: Map<string, string>;
  batches: Set<string>;
};

/** Unchanged rows are not rewritten, so importing the same file twice changes nothing. */
const VOLUME_UPSERT = sql.raw(`ON CONFLICT(price_id, region_code, month) DO UPDATE SET units = excluded.units,
    amount_paid_e4 = excluded.amount_paid_e4, fund_share_bp = excluded.fund_share_bp, updated_at = excluded.updated_at
  WHERE (units, amount_paid_e4, fund_share_bp) IS NOT (excluded.units, excluded.amount_paid_e4, excluded.fund_share_bp)`);

export const UNIT_KINDS: Readonly<Record<string, "smallest" | "package">> = {
  smallest: "smallest",
  package: "package",
  最小使用单位: "smallest",
  最小单位: "smallest",
  包装: "package",
  包装单位: "package",
};

export const volumesKind: KindSpec<VolumesContext, VolumeRecord> = {
  kind: "volumes",
  fields: [
    { field: "batch", aliases: ["批次", "集采批次", "批次编号"] },
    { field: "nhsaCode", aliases: ["医保编码", "药品编码"] },
    { field: "genericName", aliases: ["药品通用名", "通用名", "药品名称", "产品名称", "品种名称", "物资名称"] },
    { field: "dosageForm", aliases: ["剂型"] },
    { field: "spec", aliases: ["规格", "制剂规格", "规格型号"] },
    { field: "packageQty", aliases: ["转换比", "包装转换比"] },
    { field: "manufacturer", aliases: ["中选企业", "生产企业", "申报企业", "申报企业名称", "企业名称", "药品企业", "中选厂家"] },
    { field: "region", aliases: ["地区", "统筹区", "地区代码", "区划代码"], required: true },
    { field: "month", aliases: ["月份", "采购月份"], required: true },
    { field: "units", aliases: ["采购量", "实际采购量", "数量"], required: true },
    { field: "unitKind", aliases: ["数量单位", "计量单位"] },
    { field: "amountPaid", aliases: ["采购金额", "金额"] },
    { field: "fundShare", aliases: ["基金支付比例", "报销比例"] },
  ],
  async prepare(db: Db, options) {
    const prices = await db.all<{ id: number; batchId: string; naturalKey: string; packageQty: number | null }>(
      sql`SELECT p.id, p.batch_id AS batchId, pr.natural_key AS naturalKey, pr.package_qty AS packageQty
          FROM prices p JOIN products pr ON pr.id = p.product_id`,
    );
    const regions = await db.all<{ code: string; name: string }>(sql`SELECT code, name FROM regions`);
    const regionCode = regionLookup(regions);
    return {
      batchOverride: options.batch,
      priceByKey: new Map(prices.map((p) => [`${p.batchId}\u0000${p.naturalKey}`, { priceId: p.id, packageQty: p.packageQty }])),
      regionCode,
      batches: new Set(prices.map((p) => p.batchId)),
    };
  },
  readRow(r, ctx) {
    const price = findPrice(r, ctx);
    const regionRaw = r.text("region", { required: true, max: 100 });
    const regionCode = regionRaw === null ? null : resolveRegion(regionRaw, ctx.regionCode) ?? null;
    if (regionRaw !== null && regionCode === null) r.fail("region", `region "${regionRaw}" is unknown (give a name, short name or GB/T 2260 code of an imported region)`);
    const month = r.parse("month", (v) => parseDateCell(v, { monthOnly: true }), { required: true });
    const quantity = r.parse("units", (v) => parseIntegerCell(v), { required: true });
    const unitKind = r.oneOf("unitKind", UNIT_KINDS) ?? "smallest";
    const amountPaidE4 = r.parse("amountPaid", parseMoneyCell);
    const fundShareBp = r.parse("fundShare", parseShareCell);
    if (r.issues.length || !price || regionCode === null || month === null || quantity === null) return null;
    // Stored in smallest units so realized savings compare per unit like reductions do.
    const units = unitKind === "package" ? quantity * (price.packageQty ?? 1) : quantity;
    return { priceId: price.priceId, regionCode, month, units, amountPaidE4, fundShareBp };
  },
  countChanged: async (db, since) =>
    (await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM volumes WHERE updated_at >= ${since}`))[0]?.n ?? 0,
  key: (rec) => `${rec.priceId}\u0000${rec.regionCode}\u0000${rec.month}`,
  statements: (v) => [
    sql`INSERT INTO volumes (price_id, region_code, month, units, amount_paid_e4, fund_share_bp)
      VALUES (${v.priceId}, ${v.regionCode}, ${v.month}, ${v.units}, ${v.amountPaidE4 === null ? null : Number(v.amountPaidE4)}, ${v.fundShareBp})
      ${VOLUME_UPSERT}`,
  ],
  // One statement per chunk, its rows as one JSON parameter: SQLite compiles the savings rollup
  // triggers once per statement, which made a statement per row ~30 times slower than one
  // INSERT … SELECT.
  chunkStatements: (recs) => {
    const rows = recs.map((v) => [v.priceId, v.regionCode, v.month, v.units, v.amountPaidE4 === null ? null : Number(v.amountPaidE4), v.fundShareBp]);
    return [
      sql`INSERT INTO volumes (price_id, region_code, month, units, amount_paid_e4, fund_share_bp)
        SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5 FROM json_each(${JSON.stringify(rows)}) j
        WHERE true ${VOLUME_UPSERT}`,
    ];
  },
};

export function findPrice(r: RowReader, ctx: Pick<VolumesContext, "batchOverride" | "priceByKey">): PriceRef | null {
  const batch = r.text("batch", { max: 100 }) ?? ctx.batchOverride ?? null;
  if (batch === null) {
    r.fail("batch", "is empty; add a batch column or pass the batch for the whole file");
    return null;
  }
  const nhsaCode = r.text("nhsaCode", { max: 50 });
  const genericName = r.text("genericName", { max: 200 });
  if (nhsaCode === null && genericName === null) {
    r.fail("nhsaCode", "is empty and so is genericName; a volume must name its product by code or by name, form, spec and firm");
    return null;
  }
  const key = productNaturalKey({
    nhsaCode,
    genericName: genericName ?? "",
    dosageForm: r.text("dosageForm"),
    spec: r.text("spec"),
    packageQty: r.parse("packageQty", (v) => parseIntegerCell(v, { min: 1 })),
    manufacturer: r.text("manufacturer"),
  });
  const price = ctx.priceByKey.get(`${batch}\u0000${key}`);
  if (!price) {
    r.fail(nhsaCode !== null ? "nhsaCode" : "genericName", `no chosen price in batch "${batch}" matches ${nhsaCode ?? genericName}`);
    return null;
  }
  return price;
}
