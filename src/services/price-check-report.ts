import Papa from "papaparse";
import { priceText } from "../domain";
import { PRICE_CHECK_CLASS_LABELS, type PriceCheckLine } from "./price-check";
import { type Sheet, type SheetCell, type SheetColumn, sheetRows } from "./spreadsheet";

/*
 * The 比价 page's result as its downloads give it (CSV and Excel): one row per line of the list, in
 * the page's words, with the reason for each line's class. Built where the check ran (a read thread on
 * Node), so a year's list is not cloned to the event loop and written there.
 */

const RULE_REASONS: Record<string, string> = {
  nhsaCode: "按医保编码匹配",
  approvalNo: "按批准文号匹配",
  nameSpecManufacturer: "按通用名、规格、企业匹配",
};

/** Why a line got its class, naming what the list gave or lacked (e.g. 规格). */
export function reasonOf(l: PriceCheckLine): string {
  const i = l.input;
  const ref = l.chosen ?? l.alternative;
  switch (l.class) {
    case "at_chosen_price":
      return `${l.matchedBy ? RULE_REASONS[l.matchedBy] : "已匹配"}，进价不高于中选价`;
    case "above_chosen_price":
      return `${l.matchedBy ? RULE_REASONS[l.matchedBy] : "已匹配"}，每单位比中选价高 ${l.overpayPerUnit === null ? "—" : priceText(l.overpayPerUnit)} 元`;
    case "alternative_available":
      return i.manufacturer
        ? `${i.manufacturer} 的这个产品不是中选产品；同通用名同规格的中选产品是 ${ref?.product.manufacturer ?? "其他企业"} 的`
        : `清单没有写生产企业，无法确认是不是中选产品；同通用名同规格有中选产品`;
    case "no_equivalent": {
      const missing = [!i.genericName && "通用名", !i.spec && "规格"].filter(Boolean);
      if (!i.genericName && !i.nhsaCode && !i.approvalNo) return "清单没有写通用名、医保编码或批准文号，无法匹配";
      if (i.nhsaCode && !i.genericName) return `医保编码 ${i.nhsaCode} 没有对应的中选产品；补上通用名和规格可再按名称查找`;
      if (missing.length) return `缺少${missing.join("、")}，无法查找同规格的中选产品`;
      return `没有“${i.genericName} ${i.spec}”的中选产品（通用名和规格都要相同；名称末尾的剂型和盐，如“钙片”，去掉后也查过）`;
    }
  }
}

/** The result's columns, in the same order and words as the page's table. */
const RESULT_COLUMNS: SheetColumn[] = [
  { header: "行", kind: "integer" },
  { header: "通用名", kind: "text" },
  { header: "规格", kind: "text" },
  { header: "生产企业", kind: "text" },
  { header: "医保编码", kind: "text" },
  { header: "判定", kind: "text" },
  { header: "原因", kind: "text" },
  { header: "进价（元）", kind: "price" },
  { header: "数量", kind: "integer" },
  { header: "实付单价（元）", kind: "price" },
  { header: "中选单价（元）", kind: "price" },
  { header: "中选产品", kind: "text" },
  { header: "多付（元）", kind: "money" },
  { header: "换用可省（元）", kind: "money" },
];

function resultRow(l: PriceCheckLine): SheetCell[] {
  const ref = l.chosen ?? l.alternative;
  return [
    l.row,
    l.input.genericName ?? "",
    l.input.spec ?? "",
    l.input.manufacturer ?? "",
    l.input.nhsaCode ?? "",
    PRICE_CHECK_CLASS_LABELS[l.class],
    reasonOf(l),
    l.input.price,
    l.input.quantity,
    l.paidUnitPrice ?? null,
    ref?.unitPrice ?? null,
    ref ? [ref.product.genericName, ref.product.spec, ref.product.manufacturer, ref.batch.name].filter(Boolean).join(" ") : "",
    l.class === "above_chosen_price" ? (l.overpayTotal ?? null) : null,
    l.class === "alternative_available" ? (l.savingIfSwitched ?? null) : null,
  ];
}

/** The result as CSV (UTF-8 with BOM, so Excel shows the Chinese). */
export function resultCsv(lines: readonly PriceCheckLine[]): string {
  return `\uFEFF${Papa.unparse({ fields: RESULT_COLUMNS.map((c) => c.header), data: lines.map((l) => resultRow(l).map((v) => v ?? "")) })}\r\n`;
}

/** The result as a workbook's one sheet, numbers as numbers. */
export function resultSheet(lines: readonly PriceCheckLine[]): Sheet {
  return { name: "比价结果", columns: RESULT_COLUMNS, rows: sheetRows(lines, resultRow) };
}
