import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { agreedVolumes } from "../../db/schema";
import { bareColumns, commaList, trustedSql } from "../../db/trusted-sql";
import { upsertUnlessSame } from "../../db/upsert";
import { parseIntegerCell } from "../values";
import type { KindSpec } from "./types";
import { findPrice, PRICE_REF_FIELDS, readPriceRefs, UNIT_KINDS, type VolumesContext } from "./volumes";

/**
 * Regional agreed volumes (约定采购量 per province or city, optionally per medical institution),
 * as a province's or an alliance's allocation table prints them: one row per chosen price and
 * region (and institution). Stored in smallest units. `purchased` (已采购量) is what an
 * institution's report states it bought so far; provinces' purchases come from volume rows.
 */
export type AgreedVolumeRecord = { priceId: number; regionCode: string; institution: string; units: number; purchased: number | null; source: string | null };

type Ctx = Pick<VolumesContext, "batchOverride" | "priceByKey" | "regionCode">;

const UPSERT = trustedSql(
  upsertUnlessSame(agreedVolumes, ["priceId", "regionCode", "institution"], ["units", "purchased", "source"], {
    stamp: "strftime('%Y-%m-%dT%H:%M:%fZ','now')",
  }),
);
const A = bareColumns(agreedVolumes);
/** The columns a row writes, in the order of its values (and of the JSON array a chunk sends). */
const INTO = sql`INSERT INTO ${agreedVolumes} (${commaList([A.priceId, A.regionCode, A.institution, A.units, A.purchased, A.source])})`;

export const agreedVolumesKind: KindSpec<Ctx, AgreedVolumeRecord> = {
  kind: "agreedVolumes",
  fields: [
    ...PRICE_REF_FIELDS,
    { field: "region", aliases: ["省份", "地区", "统筹区", "供应省份", "地区代码", "区划代码"], required: true },
    { field: "institution", aliases: ["医疗机构", "医疗机构名称", "医院", "医院名称"] },
    { field: "agreedVolume", aliases: ["约定采购量", "首年约定采购量", "协议采购量"], required: true },
    { field: "unitKind", aliases: ["数量单位", "计量单位"] },
    { field: "purchased", aliases: ["已采购量", "累计采购量", "实际采购量"] },
    { field: "source", aliases: ["来源", "数据来源"] },
  ],
  prepare: (db: Db, options) => readPriceRefs(db, options),
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
    sql`${INTO}
      VALUES (${v.priceId}, ${v.regionCode}, ${v.institution}, ${v.units}, ${v.purchased}, ${v.source}) ${UPSERT}`,
  ],
  chunkStatements: (recs) => [
    sql`${INTO}
      SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5
      FROM json_each(${JSON.stringify(recs.map((v) => [v.priceId, v.regionCode, v.institution, v.units, v.purchased, v.source]))}) j WHERE true ${UPSERT}`,
  ],
};
