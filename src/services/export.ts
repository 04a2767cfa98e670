import Papa from "papaparse";
import type { Db } from "../db/client";
import { formatYuan, yuanToE4 } from "../domain";
import type { PriceView } from "./price-view";
import { searchPrices, type PricePage, type PriceQuery } from "./prices";

export type ExportHeaders = "zh" | "en";

/**
 * Columns of the CSV export: the prices import's own fields (so an exported file imports back as
 * the same data) followed by two derived ones for the reader, which an import recomputes.
 */
const COLUMNS: ReadonlyArray<{ en: string; zh: string; value: (p: PriceView, zh: boolean) => string }> = [
  { en: "batch", zh: "批次", value: (p) => p.batch.id },
  { en: "category", zh: "类别", value: (p, zh) => (zh ? (p.product.category === "drug" ? "药品" : "耗材") : p.product.category) },
  { en: "genericName", zh: "药品通用名", value: (p) => p.product.genericName },
  { en: "genericNameEn", zh: "英文名", value: (p) => p.product.genericNameEn ?? "" },
  { en: "dosageForm", zh: "剂型", value: (p) => p.product.dosageForm ?? "" },
  { en: "spec", zh: "规格", value: (p) => p.product.spec ?? "" },
  { en: "packageText", zh: "包装", value: (p) => p.product.packageText ?? "" },
  { en: "packageQty", zh: "转换比", value: (p) => text(p.product.packageQty) },
  { en: "packageUnit", zh: "单位", value: (p) => p.product.packageUnit ?? "" },
  { en: "smallestUnit", zh: "最小使用单位", value: (p) => p.product.smallestUnit ?? "" },
  { en: "manufacturer", zh: "生产企业", value: (p) => p.product.manufacturer ?? "" },
  { en: "nhsaCode", zh: "医保编码", value: (p) => p.product.nhsaCode ?? "" },
  { en: "approvalNo", zh: "批准文号", value: (p) => p.product.approvalNo ?? "" },
  { en: "chosenPrice", zh: "中选价格", value: (p) => yuan(p.chosenPrice) },
  { en: "referencePrice", zh: "参考价", value: (p) => yuan(p.referencePrice) },
  { en: "referenceKind", zh: "参考价类型", value: (p, zh) => (zh && p.referenceKind ? REFERENCE_KIND_ZH[p.referenceKind] : p.referenceKind ?? "") },
  { en: "supplyRegions", zh: "供应地区", value: (p, zh) => p.supplyRegions.map((r) => (zh ? r.name : r.code)).join(zh ? "、" : ",") },
  { en: "agreedVolume", zh: "约定采购量", value: (p) => text(p.agreedVolume) },
  { en: "cycleStart", zh: "采购周期开始", value: (p) => p.cycleStart ?? "" },
  { en: "cycleEnd", zh: "采购周期结束", value: (p) => p.cycleEnd ?? "" },
  { en: "source", zh: "来源", value: (p) => p.source ?? "" },
  { en: "synthetic", zh: "合成数据", value: (p, zh) => (zh ? (p.synthetic ? "是" : "否") : String(p.synthetic)) },
  { en: "unitPrice", zh: "中选单价", value: (p) => yuan(p.unitPrice) },
  { en: "discountPct", zh: "降幅", value: (p) => (p.discountPct === null ? "" : `${p.discountPct}%`) },
];

const REFERENCE_KIND_ZH = { ceiling: "最高有效申报价", pre_vbp: "集采前价格" } as const;

const text = (v: number | null) => (v === null ? "" : String(v));
const yuan = (v: number | null) => (v === null ? "" : formatYuan(yuanToE4(v)));

/** Rows fetched per page of the search; only one page is in memory at a time. */
export const EXPORT_PAGE_SIZE = 200;

/**
 * The rows of a price search as CSV for Excel, produced page by page with the search's keyset
 * cursor so a million rows never sit in memory: UTF-8 with a BOM (so Excel on Chinese Windows shows
 * Chinese), CRLF line ends, and cells that start with = + - @ prefixed with ' (papaparse's
 * `escapeFormulae`) so a spreadsheet never runs them as formulas.
 */
export async function exportPricesCsv(
  db: Db,
  query: Omit<PriceQuery, "limit" | "cursor">,
  headers: ExportHeaders,
): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const zh = headers === "zh";
  const unparse = (rows: string[][]) => Papa.unparse(rows, { newline: "\r\n", escapeFormulae: true }) + "\r\n";
  // The first page is read before the answer starts, so a bad filter (an unknown region) is a
  // clean 400 rather than a broken download.
  let page: PricePage | null = await searchPrices(db, { ...query, limit: EXPORT_PAGE_SIZE });
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode("\ufeff" + unparse([COLUMNS.map((c) => (zh ? c.zh : c.en))])));
        return;
      }
      if (page === null) return controller.close();
      if (page.items.length) controller.enqueue(encoder.encode(unparse(page.items.map((p) => COLUMNS.map((c) => c.value(p, zh))))));
      page = page.nextCursor === null ? null : await searchPrices(db, { ...query, limit: EXPORT_PAGE_SIZE, cursor: page.nextCursor });
    },
  });
}
