import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { trustedSql } from "../../db/trusted-sql";
import { regionLookup } from "../region-names";
import { parseIntegerCell } from "../values";
import type { KindSpec } from "./types";
import { findPrice, UNIT_KINDS, type VolumesContext } from "./volumes";

/**
 * Regional agreed volumes (约定采购量 per province or city, optionally per medical institution),
 * as a province's or an alliance's allocation table prints them: one row per chosen price and
 * region (and institution). Stored in smallest units. `purchased` (已采购量) is what an
 * institution's report states it bought so far; provinces' purchases come from volume rows.
 */
export type AgreedVolumeRecord = { priceId: number; regionCode: string; institution: string; units: number; purchased: number | null; source: string | null };

type Ctx = Pick<VolumesContext, "batchOverride" | "priceByKey" | "regionCode">;

const UPSERT = trustedSql(`ON CONFLICT(price_id, region_code, institution) DO UPDATE SET units = excluded.units, purchased = excluded.purchased,
    source = excluded.source, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
  WHERE (units, purchased, source) IS NOT (excluded.units, excluded.purchased, excluded.source)`);

export const agreedVolumesKind: KindSpec<Ctx, AgreedVolumeRecord> = {
  kind: "agreedVolumes",
  fields: [
    { field: "batch", aliases: ["批次", "集采批次", "批次编号"] },
    { field: "nhsaCode", aliases: ["医保编码", "药品编码"] },
    { field: "genericName", aliases: ["药品通用名", "通用名", "药品名称", "产品名称", "品种名称", "物资名称"] },
    { field: "dosageForm", aliases: ["剂型"] },
    { field: "spec", aliases: ["规格", "制剂规格", "规格型号"] },
    { field: "packageQty", aliases: ["转换比", "包装转换比"] },
    { field: "manufacturer", aliases: ["中选企业", "生产企业", "申报企业", "申报企业名称", "企业名称", "药品企业", "中选厂家"] },
    { field: "region", aliases: ["省份", "地区", "统筹区", "供应省份", "地区代码", "区划代码"], required: true },
    { field: "institution", aliases: ["医疗机构", "医疗机构名称", "医院", "医院名称"] },
    { field: "agreedVolume", aliases: ["约定采购量", "首年约定采购量", "协议采购量"], required: true },
    { field: "unitKind", aliases: ["数量单位", "计量单位"] },
    { field: "purchased", aliases: ["已采购量", "累计采购量", "实际采购量"] },
    { field: "source", aliases: ["来源", "数据来源"] },
  ],
  async prepare(db: Db, options) {
    const prices = await db.all<{ id: number; batchId: string; naturalKey: string; packageQty: number | null }>(
      sql`SELECT p.id, p.batch_id AS batchId, pr.natural_key AS naturalKey, pr.package_qty AS packageQty
          FROM prices p JOIN products pr ON pr.id = p.product_id`,
    );
    const regions = await db.all<{ code: string; name: string }>(sql`SELECT code, name FROM regions`);
    return {
      batchOverride: options.batch,
      priceByKey: new Map(prices.map((p) => [`${p.batchId}\u0000${p.naturalKey}`, { priceId: p.id, packageQty: p.packageQty }])),
      regionCode: regionLookup(regions),
    };
  },
  readRow(r, ctx) {
    const price = findPrice(r, ctx);
    const regionRaw = r.text("region", { required: true, max: 100 });
    const regionCode = regionRaw === null ? null : (ctx.regionCode.get(regionRaw.normalize("NFKC")) ?? null);
    if (regionRaw !== null && regionCode === null) r.fail("region", `region "${regionRaw}" is unknown (give a name or GB/T 2260 code of an imported region)`);
    const institution = r.text("institution", { max: 200 }) ?? "";
    const quantity = r.parse("agreedVolume", (v) => parseIntegerCell(v, { min: 0 }), { required: true });
    const purchasedQty = r.parse("purchased", (v) => parseIntegerCell(v, { min: 0 }));
    const unitKind = r.oneOf("unitKind", UNIT_KINDS) ?? "smallest";
    if (r.issues.length || !price || regionCode === null || quantity === null) return null;
    const perUnit = unitKind === "package" ? (price.packageQty ?? 1) : 1;
    return {
      priceId: price.priceId,
      regionCode,
      institution,
      units: quantity * perUnit,
      purchased: purchasedQty === null ? null : purchasedQty * perUnit,
      source: r.text("source", { max: 2000 }),
    };
  },
  key: (rec) => `${rec.priceId}\u0000${rec.regionCode}\u0000${rec.institution}`,
  statements: (v) => [
    sql`INSERT INTO agreed_volumes (price_id, region_code, institution, units, purchased, source)
      VALUES (${v.priceId}, ${v.regionCode}, ${v.institution}, ${v.units}, ${v.purchased}, ${v.source}) ${UPSERT}`,
  ],
  chunkStatements: (recs) => [
    sql`INSERT INTO agreed_volumes (price_id, region_code, institution, units, purchased, source)
      SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5
      FROM json_each(${JSON.stringify(recs.map((v) => [v.priceId, v.regionCode, v.institution, v.units, v.purchased, v.source]))}) j WHERE true ${UPSERT}`,
  ],
};
