import type { BatchLevel, BatchRow, Category } from "./columns.js";

/** `source` of every synthetic batch row. */
export const SYNTHETIC_BATCH_SOURCE = "synthetic demo data (not real prices)";

/** What the price generator needs to know about a synthetic batch. */
export interface SyntheticBatchDef {
  id: string;
  name: string;
  level: BatchLevel;
  category: Category;
  announced: string;
  cycleStart: string;
  cycleEnd: string;
  /** provinces the batch covers; empty = nationwide */
  scope: readonly string[];
}

const ORGANIZERS: Readonly<Record<BatchLevel, string>> = {
  national: "演示国家联合采购办公室（合成数据）",
  alliance: "演示省际采购联盟（合成数据）",
  provincial: "演示省级药品和医用耗材采购中心（合成数据）",
  municipal: "演示市级医疗保障局（合成数据）",
};

const NORTH = ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区"];
const NORTHEAST_NORTH = ["山西省", "内蒙古自治区", "河北省", "辽宁省", "吉林省", "黑龙江省"];
const EAST = ["上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省"];

/**
 * Chronological, so a product's rows run oldest to newest. Cycles as of late 2026 (what the demo
 * shows as 执行中 / 已到期 by default): drug-1..3 and
 * device-1 have ended, the others are current.
 */
export const SYNTHETIC_BATCH_DEFS: readonly SyntheticBatchDef[] = [
  {
    id: "synthetic-drug-1",
    name: "演示批次（合成数据）第一批",
    level: "national",
    category: "drug",
    announced: "2019-01-17",
    cycleStart: "2019-04-01",
    cycleEnd: "2021-03-31",
    scope: [],
  },
  {
    id: "synthetic-drug-2",
    name: "演示批次（合成数据）第二批",
    level: "alliance",
    category: "drug",
    announced: "2020-06-15",
    cycleStart: "2020-09-01",
    cycleEnd: "2022-08-31",
    scope: NORTHEAST_NORTH,
  },
  {
    id: "synthetic-device-1",
    name: "演示批次（合成数据）医用耗材第一批",
    level: "national",
    category: "device",
    announced: "2021-06-08",
    cycleStart: "2021-10-01",
    cycleEnd: "2023-09-30",
    scope: [],
  },
  {
    id: "synthetic-drug-3",
    name: "演示批次（合成数据）第三批",
    level: "national",
    category: "drug",
    announced: "2021-09-20",
    cycleStart: "2022-01-01",
    cycleEnd: "2024-12-31",
    scope: [],
  },
  {
    id: "synthetic-drug-4",
    name: "演示批次（合成数据）第四批",
    level: "provincial",
    category: "drug",
    announced: "2023-05-10",
    cycleStart: "2023-08-01",
    cycleEnd: "2027-07-31",
    scope: ["内蒙古自治区"],
  },
  {
    id: "synthetic-device-2",
    name: "演示批次（合成数据）医用耗材第二批",
    level: "alliance",
    category: "device",
    announced: "2023-11-20",
    cycleStart: "2024-03-01",
    cycleEnd: "2027-02-28",
    scope: NORTH,
  },
  {
    id: "synthetic-drug-5",
    name: "演示批次（合成数据）第五批",
    level: "national",
    category: "drug",
    announced: "2024-10-20",
    cycleStart: "2025-02-01",
    cycleEnd: "2027-12-31",
    scope: [],
  },
  {
    id: "synthetic-drug-6",
    name: "演示批次（合成数据）第六批",
    level: "alliance",
    category: "drug",
    announced: "2025-09-12",
    cycleStart: "2026-01-01",
    cycleEnd: "2028-12-31",
    scope: EAST,
  },
];

/** The synthetic batches as `batches.csv` rows. Published figures stay empty: nothing was published. */
export function syntheticBatches(): BatchRow[] {
  return SYNTHETIC_BATCH_DEFS.map((b) => ({
    id: b.id,
    name: b.name,
    level: b.level,
    category: b.category,
    organizer: ORGANIZERS[b.level],
    announced: b.announced,
    cycleStart: b.cycleStart,
    cycleEnd: b.cycleEnd,
    regionScope: b.scope.length === 0 ? "全国" : b.scope.join("、"),
    publishedItems: "",
    publishedProducts: "",
    publishedFirms: "",
    publishedAvgDiscountPct: "",
    publishedMaxDiscountPct: "",
    publishedSavings: "",
    source: SYNTHETIC_BATCH_SOURCE,
    synthetic: "true",
  }));
}
