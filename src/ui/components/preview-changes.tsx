import type { ImportPreview, PreviewChange, PreviewValue } from "../../services/import-preview";
import { CATEGORY_LABELS, count, LEVEL_LABELS, pct, price } from "../format";

/** The columns an import compares, as the import page names them. */
const FIELD_LABELS: Record<string, string> = {
  chosenPrice: "中选价",
  unitPrice: "最小单位价",
  ceilingPrice: "最高有效申报价",
  ceilingUnitPrice: "最高有效申报价（每最小单位）",
  ceilingDiscountPct: "对最高有效申报价的降幅",
  preVbpPrice: "集采前价格",
  preVbpUnitPrice: "集采前价格（每最小单位）",
  preVbpDiscountPct: "对集采前价格的降幅",
  supplyRegions: "供应地区",
  agreedVolume: "约定采购量",
  cycleStart: "采购周期开始",
  cycleEnd: "采购周期结束",
  source: "来源",
  synthetic: "合成数据",
  name: "名称",
  level: "级别",
  category: "类别",
  organizer: "组织方",
  announced: "公布日期",
  regionScope: "范围",
  publishedItems: "公布品种数",
  publishedProducts: "公布产品数",
  publishedFirms: "公布企业数",
  publishedAvgDiscountPct: "公布平均降幅",
  publishedMaxDiscountPct: "公布最大降幅",
  publishedSavings: "公布节约金额",
  parentCode: "上级地区",
  fundSharePct: "基金支付比例",
};

/** Coded values of text columns, in words. */
const CODED: Record<string, Record<string, string>> = { level: LEVEL_LABELS, category: CATEGORY_LABELS };

/** Long text (a source citing a workbook, a commit and a row) is cut here: the report names the column, not the essay. */
const TEXT_SHOWN = 40;

const SOURCE_NOTE = "来源：文件没有给出来源的行，内容不变的保留原来的来源；内容改变的不再沿用原来的来源（它说的不是新的数值），来源留空。";

export const fieldLabel = (field: string): string => FIELD_LABELS[field] ?? field;

function valueText(c: PreviewChange, v: PreviewValue): string {
  if (v === null) return "空";
  // An empty list of supplied regions is nationwide (schema.ts).
  if (c.kind === "regions") return v === "" ? "全国" : `${String(v).split(",").length} 个地区`;
  if (v === "") return "空";
  if (c.kind === "money") return `${price(Number(v))} 元`;
  if (c.kind === "percent") return pct(Number(v));
  if (c.kind === "flag") return v ? "是" : "否";
  const text = CODED[c.field]?.[String(v)] ?? String(v);
  const chars = [...text];
  return chars.length > TEXT_SHOWN ? `${chars.slice(0, TEXT_SHOWN).join("")}…` : text;
}

/** One change as a line: 中选价 3.5 元 → 3.2 元. */
export const changeText = (c: PreviewChange): string => `${fieldLabel(c.field)}：${valueText(c, c.from)} → ${valueText(c, c.to)}`;

/** Which columns the updated rows change, most first: what an analyst re-importing a table needs to know before confirming. */
export function ChangedColumns(props: { preview: ImportPreview }) {
  const p = props.preview;
  if (!p.updated || !p.changedColumns.length) return null;
  return (
    <p id="preview-changed-columns">
      更新的内容：
      {p.changedColumns.map((c) => `${fieldLabel(c.field)} ${count(c.rows)} 行`).join("，")}
      {p.compared < p.updated ? `（按前 ${count(p.compared)} 行统计）` : ""}。{p.changedColumns.some((c) => c.field === "source") ? SOURCE_NOTE : ""}
    </p>
  );
}
