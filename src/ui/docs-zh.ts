import type { OpenApiDocument } from "./docs-reference";

/**
 * The API document as the /docs page shows it: parameter and answer descriptions in Chinese first,
 * the English after it, field names and codes unchanged (integrators type those). The JSON at
 * /openapi.json stays as the contract defines it.
 */
const PARAMETERS: Record<string, string> = {
  q: "中文名、拼音码、英文名、企业名或编码",
  batch: "批次编号，如 national-drug-4",
  level: "组织级别：国家组织、省际联盟、省级、市级",
  category: "类别：药品或医用耗材",
  region: "地区：行政区划代码或中文名（含全国供应的价格）",
  province: "省份：代码、全称或简称；城市按其所在省份",
  manufacturer: "生产企业（名称的一部分）",
  minDiscount: "最小降幅（%）",
  maxUnitPrice: "最高单价（元）",
  sort: "排序",
  limit: "每页条数",
  cursor: "上一页返回的 meta.nextCursor",
  asOf: "按哪一天判断执行状态（YYYY-MM-DD，默认今天，北京时间）",
  include: "include=ended 时也列出已结束和未开始的价格",
  state: "执行状态：upcoming 未开始、in_force 执行中、ended 已结束、unknown 日期未知",
  synthetic: "是否包含合成演示数据",
  updatedSince: "只列出此时间之后变更的记录",
  groupBy: "分组：batch 批次、region 地区、month 月份、category 类别",
  from: "起始月份（YYYY-MM）",
  to: "截止月份（YYYY-MM）",
  kind: "文件类型：prices 中选价格、batches 批次、volumes 采购量、regions 地区",
  dryRun: "试运行：只检查，不写入",
  headers: "CSV 表头语言：zh 中文、en 英文",
  id: "编号",
  sheet: "工作表名称（.xlsx）",
  map: "列对应关系（表头不认识时）",
  profile: "预设的列对应方案",
  saveProfile: "导入成功后把这次的列对应和工作表存为方案",
  strict: "严格：降幅与文件的降幅列对不上时作为错误",
  sourceNote: "来源说明：没有来源的行记为“说明, row 行号”（工作簿另加 sheet 工作表名）",
};

const STATUSES: Record<string, string> = {
  "200": "成功",
  "201": "已创建",
  "304": "未变化",
  "400": "请求有误",
  "401": "需要管理令牌",
  "403": "没有权限",
  "404": "没有找到",
  "409": "冲突",
  "413": "文件太大",
  "415": "文件类型不对",
  "422": "内容有误",
  "429": "请求太频繁",
  "503": "服务繁忙",
  "507": "磁盘已满",
};

const both = (zh: string, en: string | undefined) => (en && en !== zh ? `${zh}（${en}）` : zh);

/** Tag headings as the viewer shows them (x-displayName), Chinese first. */
const TAGS: Record<string, string> = {
  prices: "中选价格 prices",
  exports: "导出 exports",
  products: "产品 products",
  batches: "批次 batches",
  savings: "节约与进度 savings",
  "price-check": "比价 price-check",
  imports: "导入 imports（需管理令牌）",
  health: "运行状态 health",
  search: "搜索建议 search",
  feeds: "变更订阅 feeds",
};

const INTRO =
  "集中带量采购（集采）中选价格、降幅与医保基金节约的接口。金额单位为元：价格保留 4 位小数，金额合计保留 2 位。字段名、参数名和错误代码保持英文，便于程序使用。";

export function localizeDocument<T extends OpenApiDocument>(doc: T): T {
  const copy = structuredClone(doc) as T & { tags?: Array<{ name: string; description?: string; "x-displayName"?: string }> };
  if (copy.info) copy.info.description = copy.info.description ? `${INTRO}\n\n${copy.info.description}` : INTRO;
  const used = new Set<string>();
  for (const item of Object.values(copy.paths ?? {}))
    for (const op of Object.values(item)) for (const t of (op as { tags?: string[] })?.tags ?? []) used.add(t);
  const declared = new Map((copy.tags ?? []).map((t) => [t.name, t]));
  copy.tags = [...new Set([...declared.keys(), ...used])].map((name) => ({ ...(declared.get(name) ?? { name }), "x-displayName": TAGS[name] ?? name }));
  for (const item of Object.values(copy.paths ?? {})) {
    for (const op of Object.values(item)) {
      if (!op || typeof op !== "object") continue;
      for (const p of op.parameters ?? []) {
        const zh = PARAMETERS[p.name];
        if (zh) p.description = both(zh, p.description);
      }
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        const zh = STATUSES[status];
        if (zh && r && typeof r === "object") r.description = both(zh, r.description);
      }
    }
  }
  return copy;
}
