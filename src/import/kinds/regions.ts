import { sql } from "drizzle-orm";
import { REGION_WRITTEN_KEYS } from "../../db/rows";
import { type RegionLevel, regions } from "../../db/schema";
import { bareColumns, commaList, trustedSql } from "../../db/trusted-sql";
import { upsertUnlessSame } from "../../db/upsert";
import { parseShareCell } from "../numbers";
import { REGION_LEVEL_VALUES } from "./common";
import type { KindSpec } from "./types";

const R = bareColumns(regions);
const REGION_UPSERT = trustedSql(upsertUnlessSame(regions, ["code"], REGION_WRITTEN_KEYS));

export type RegionRecord = {
  code: string;
  name: string;
  parentCode: string | null;
  level: RegionLevel;
  fundShareBp: number | null;
};

type Ctx = { existing: Set<string> };

export const regionsKind: KindSpec<Ctx, RegionRecord> = {
  kind: "regions",
  fields: [
    { field: "code", aliases: ["行政区划代码", "区划代码", "地区代码", "代码"], required: true },
    { field: "name", aliases: ["地区名称", "地区", "名称"], required: true },
    { field: "parentCode", aliases: ["上级代码", "上级区划代码"] },
    { field: "level", aliases: ["级别", "层级"], required: true },
    { field: "fundShare", aliases: ["基金支付比例", "报销比例"] },
  ],
  async prepare(db) {
    const rows = await db.all<{ code: string }>(sql`SELECT ${R.code} AS code FROM ${regions}`);
    return { existing: new Set(rows.map((r) => r.code)) };
  },
  readRow(r) {
    const code = r.text("code", { required: true, max: 12 });
    if (code !== null && !/^\d{2,12}$/.test(code)) r.fail("code", `"${code}" is not an administrative code (GB/T 2260 digits, e.g. 150300)`);
    const fundShareBp = r.parse("fundShare", parseShareCell);
    const rec: RegionRecord = {
      code: code ?? "",
      name: r.text("name", { required: true, max: 100 }) ?? "",
      parentCode: r.text("parentCode", { max: 12 }),
      level: r.oneOf("level", REGION_LEVEL_VALUES, { required: true }) ?? "province",
      fundShareBp,
    };
    if (rec.parentCode !== null && rec.parentCode === rec.code) r.fail("parentCode", "a region cannot be its own parent");
    return r.issues.length ? null : rec;
  },
  countChanged: async (db, since) => (await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM ${regions} WHERE ${R.updatedAt} >= ${since}`))[0]?.n ?? 0,
  key: (rec) => rec.code,
  checkAll(records, ctx) {
    const inFile = new Set(records.map((r) => r.rec.code));
    return records
      .filter(({ rec }) => rec.parentCode !== null && !inFile.has(rec.parentCode) && !ctx.existing.has(rec.parentCode))
      .map(({ row, rec }) => ({ row, column: "parentCode", message: `parent region "${rec.parentCode}" is unknown` }));
  },
  statements: (g) => [
    sql`INSERT INTO ${regions} (${commaList([R.code, R.name, R.parentCode, R.level, R.fundShareBp])})
      VALUES (${g.code}, ${g.name}, ${g.parentCode}, ${g.level}, ${g.fundShareBp})
      ${REGION_UPSERT}`,
  ],
};
