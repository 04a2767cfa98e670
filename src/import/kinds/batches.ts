import { sql } from "drizzle-orm";
import { BATCH_FIELD_KEYS, type BatchFields } from "../../db/rows";
import { batches } from "../../db/schema";
import { bareColumns, commaList, trustedSql } from "../../db/trusted-sql";
import { upsertUnlessSame } from "../../db/upsert";
import { BATCH_PERCENT_COLUMNS } from "../../synthetic/columns";
import { parseBooleanCell, parseDateCell, parseIntegerCell, parsePercentCell } from "../values";
import { CATEGORY_VALUES, LEVEL_VALUES } from "./common";
import type { KindSpec } from "./types";

/** The columns a batch row writes, in the order of the VALUES below; the upsert updates all but the id. */
const BATCH_COLUMNS = BATCH_FIELD_KEYS satisfies ReadonlyArray<keyof typeof batches.$inferInsert>;
const B = bareColumns(batches);
const BATCH_INTO = sql`INSERT INTO ${batches} (${commaList(BATCH_COLUMNS.map((k) => B[k]))})`;
const BATCH_UPSERT = trustedSql(upsertUnlessSame(batches, ["id"], BATCH_COLUMNS.slice(1), { silentWhenNull: ["source"] }));

export const batchesKind: KindSpec<null, BatchFields> = {
  kind: "batches",
  fields: [
    { field: "id", aliases: ["批次编号", "批次", "集采批次", "编号"], required: true },
    { field: "name", aliases: ["批次名称", "名称"], required: true },
    { field: "level", aliases: ["级别", "层级", "组织形式"], required: true },
    { field: "category", aliases: ["类别"], required: true },
    { field: "organizer", aliases: ["组织方", "采购主体", "组织机构"] },
    { field: "announced", aliases: ["公布日期", "发布日期", "开标日期"] },
    { field: "cycleStart", aliases: ["采购周期开始", "执行日期", "开始日期"] },
    { field: "cycleEnd", aliases: ["采购周期结束", "结束日期"] },
    { field: "regionScope", aliases: ["范围", "地区范围"] },
    { field: "publishedItems", aliases: ["品种数"] },
    { field: "publishedProducts", aliases: ["中选产品数"] },
    { field: "publishedFirms", aliases: ["中选企业数"] },
    { field: BATCH_PERCENT_COLUMNS.publishedAvgDiscountBp, aliases: ["平均降幅"] },
    { field: BATCH_PERCENT_COLUMNS.publishedMaxDiscountBp, aliases: ["最大降幅"] },
    { field: "publishedSavings", aliases: ["节约资金", "预计节约"] },
    { field: "source", aliases: ["来源", "数据来源"] },
    { field: "synthetic", aliases: ["合成数据"] },
  ],
  prepare: async () => null,
  readRow(r) {
    const id = r.text("id", { required: true, max: 100 });
    if (id !== null && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) {
      r.fail("id", `"${id}" may contain only letters, digits, '.', '_' and '-' (it appears in URLs)`);
    }
    const rec: BatchFields = {
      id: id ?? "",
      name: r.text("name", { required: true }) ?? "",
      level: r.oneOf("level", LEVEL_VALUES, { required: true }) ?? "national",
      category: r.oneOf("category", CATEGORY_VALUES, { required: true }) ?? "drug",
      organizer: r.text("organizer"),
      announced: r.parse("announced", (v) => parseDateCell(v)),
      cycleStart: r.parse("cycleStart", (v) => parseDateCell(v)),
      cycleEnd: r.parse("cycleEnd", (v) => parseDateCell(v)),
      regionScope: r.text("regionScope"),
      publishedItems: r.parse("publishedItems", (v) => parseIntegerCell(v)),
      publishedProducts: r.parse("publishedProducts", (v) => parseIntegerCell(v)),
      publishedFirms: r.parse("publishedFirms", (v) => parseIntegerCell(v)),
      publishedAvgDiscountBp: r.parse(BATCH_PERCENT_COLUMNS.publishedAvgDiscountBp, parsePercentCell),
      publishedMaxDiscountBp: r.parse(BATCH_PERCENT_COLUMNS.publishedMaxDiscountBp, parsePercentCell),
      publishedSavings: r.text("publishedSavings"),
      source: r.text("source", { max: 2000 }),
      synthetic: r.parse("synthetic", parseBooleanCell) ?? false,
    };
    if (rec.cycleStart && rec.cycleEnd && rec.cycleEnd < rec.cycleStart) {
      r.fail("cycleEnd", `ends (${rec.cycleEnd}) before it starts (${rec.cycleStart})`);
    }
    return r.issues.length ? null : rec;
  },
  countChanged: async (db, since) => (await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM ${batches} WHERE ${B.updatedAt} >= ${since}`))[0]?.n ?? 0,
  key: (rec) => rec.id,
  statements: (b) => [
    sql`${BATCH_INTO}
      VALUES (${b.id}, ${b.name}, ${b.level}, ${b.category}, ${b.organizer}, ${b.announced}, ${b.cycleStart}, ${b.cycleEnd},
        ${b.regionScope}, ${b.publishedItems}, ${b.publishedProducts}, ${b.publishedFirms}, ${b.publishedAvgDiscountBp},
        ${b.publishedMaxDiscountBp}, ${b.publishedSavings}, ${b.source}, ${b.synthetic ? 1 : 0})
      ${BATCH_UPSERT}`,
  ],
  touchedBatches: (records) => records.map((r) => r.id),
};
