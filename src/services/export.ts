import Papa from "papaparse";
import type { Db } from "../db/client";
import { formatYuan, yuanToE4 } from "../domain";
import { AppError } from "../errors";
import type { ChangeKind } from "./change-feed";
import { type ChangedPrice, changedPricesPage, pricesChangedSince } from "./price-feed";
import type { PriceView } from "./price-view";
import { type PriceQuery, searchPrices } from "./prices";
import type { CellKind, Sheet } from "./spreadsheet";

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
  { en: "referenceKind", zh: "参考价类型", value: (p, zh) => (zh && p.referenceKind ? REFERENCE_KIND_ZH[p.referenceKind] : (p.referenceKind ?? "")) },
  // Both baselines, each in its own column (the import's own headers): the reference above is only
  // the primary one, so a price with a ceiling and a pre-procurement price needs both to import back as itself.
  { en: "ceilingPrice", zh: "最高有效申报价", value: (p) => yuan(baselinePrice(p, "ceiling")) },
  { en: "preVbpPrice", zh: "集采前价格", value: (p) => yuan(baselinePrice(p, "pre_vbp")) },
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

/**
 * With `updatedSince` the export is the change feed's rows, and two columns follow the rest: what
 * happened to the price and when. Ended and withdrawn prices are rows too (tombstones: a copy of the
 * prices in force drops them); an import ignores both columns, as it ignores any it does not know.
 */
const CHANGE_COLUMNS: ReadonlyArray<{ en: string; zh: string; value: (p: ChangedPrice, zh: boolean) => string }> = [
  { en: "change", zh: "变更", value: (p, zh) => (zh ? CHANGE_ZH[p.change.kind] : p.change.kind) },
  { en: "changedAt", zh: "变更时间", value: (p) => p.change.at },
];

const CHANGE_ZH: Record<ChangeKind, string> = { added: "新增", changed: "变更", ended: "采购周期结束", withdrawn: "已撤销" };

export type ExportQuery = Omit<PriceQuery, "limit" | "cursor"> & { updatedSince?: string };

type ExportRow = PriceView & { change?: ChangedPrice["change"] };
type ExportPage = { items: ExportRow[]; nextCursor: string | null };

/**
 * The export's rows a page at a time: the search's in its sort, or with `updatedSince` the change
 * feed's (pricesChangedSince: oldest change first, tombstones included; `sort` does not apply). The
 * first page comes with the number of rows, read before the answer starts.
 */
async function exportPages(db: Db, { updatedSince, ...query }: ExportQuery) {
  const base = { ...query, limit: EXPORT_PAGE_SIZE };
  if (updatedSince === undefined) {
    const first = await searchPrices(db, base);
    return { first, total: first.total, next: (cursor: string): Promise<ExportPage> => searchPrices(db, { ...base, cursor }) };
  }
  const first = await pricesChangedSince(db, { ...base, updatedSince });
  return { first, total: first.total, next: (cursor: string): Promise<ExportPage> => changedPricesPage(db, { ...base, updatedSince, cursor }) };
}

/** The columns of an export: the change columns only for the change feed's rows. */
function columnsOf(query: ExportQuery): ReadonlyArray<{ en: string; zh: string; value: (p: ExportRow, zh: boolean) => string }> {
  if (query.updatedSince === undefined) return COLUMNS;
  return [...COLUMNS, ...CHANGE_COLUMNS.map((c) => ({ ...c, value: (p: ExportRow, zh: boolean) => (p.change ? c.value(p as ChangedPrice, zh) : "") }))];
}

const baselinePrice = (p: PriceView, kind: "ceiling" | "pre_vbp") => p.baselines.find((b) => b.kind === kind)?.price ?? null;
const text = (v: number | null) => (v === null ? "" : String(v));
const yuan = (v: number | null) => (v === null ? "" : formatYuan(yuanToE4(v)));

/** Rows fetched per page of the search; only one page is in memory at a time (each page re-sorts the search: 200 made a 100,000-row export take 56 s). */
export const EXPORT_PAGE_SIZE = 1000;

/**
 * The rows of a price search as CSV for Excel, produced page by page with the search's keyset
 * cursor so a million rows never sit in memory: UTF-8 with a BOM (so Excel on Chinese Windows shows
 * Chinese), CRLF line ends, and cells that start with = + - @ prefixed with ' (papaparse's
 * `escapeFormulae`) so a spreadsheet never runs them as formulas.
 */
export async function exportPricesCsv(db: Db, query: ExportQuery, headers: ExportHeaders): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const zh = headers === "zh";
  const unparse = (rows: string[][]) => `${Papa.unparse(rows, { newline: "\r\n", escapeFormulae: true })}\r\n`;
  const columns = columnsOf(query);
  // The first page is read before the answer starts, so a bad filter (an unknown region) is a
  // clean 400 rather than a broken download.
  const pages = await exportPages(db, query);
  let page: ExportPage | null = pages.first;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\ufeff${unparse([columns.map((c) => (zh ? c.zh : c.en))])}`));
        return;
      }
      if (page === null) return controller.close();
      if (page.items.length) controller.enqueue(encoder.encode(unparse(page.items.map((p) => columns.map((c) => c.value(p, zh))))));
      page = page.nextCursor === null ? null : await pages.next(page.nextCursor);
    },
  });
}

/** Rows one .xlsx export takes: Excel opens 1,048,576, but past this a CSV serves better (README: 100,000 rows take …). */
export const XLSX_ROW_CAP = 200_000;

/** How each CSV column is stored in the workbook: numbers as numbers with their format, the rest as text. */
const SHEET_CELLS: Partial<Record<string, { kind: CellKind; value: (p: PriceView) => number | null }>> = {
  packageQty: { kind: "integer", value: (p) => p.product.packageQty },
  chosenPrice: { kind: "price", value: (p) => p.chosenPrice },
  referencePrice: { kind: "price", value: (p) => p.referencePrice },
  ceilingPrice: { kind: "price", value: (p) => baselinePrice(p, "ceiling") },
  preVbpPrice: { kind: "price", value: (p) => baselinePrice(p, "pre_vbp") },
  agreedVolume: { kind: "integer", value: (p) => p.agreedVolume },
  unitPrice: { kind: "price", value: (p) => p.unitPrice },
  discountPct: { kind: "percent", value: (p) => p.discountPct },
};

/**
 * The rows of a price search as one sheet: the CSV export's columns with Chinese headers, numbers as
 * numbers. Read a page at a time like the CSV; the first page is read before the answer starts, so a
 * bad filter or too many rows is a clean 400.
 */
export async function exportPricesSheet(db: Db, query: ExportQuery): Promise<Sheet> {
  const pages = await exportPages(db, query);
  if (pages.total > XLSX_ROW_CAP) {
    throw new AppError(
      400,
      "export_too_large",
      `the search matches ${pages.total} prices; one .xlsx export takes at most ${XLSX_ROW_CAP}: narrow the search or use /api/v1/prices.csv`,
    );
  }
  const columns = columnsOf(query);
  async function* rows() {
    let page: ExportPage | null = pages.first;
    while (page) {
      for (const p of page.items)
        yield columns.map((c) => {
          const cell = SHEET_CELLS[c.en];
          return cell ? cell.value(p) : c.value(p, true) || null;
        });
      page = page.nextCursor === null ? null : await pages.next(page.nextCursor);
    }
  }
  return { name: "中选价格", columns: columns.map((c) => ({ header: c.zh, kind: SHEET_CELLS[c.en]?.kind ?? "text" })), rows: rows() };
}
