import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { WorkbookOpener } from "../import/open-file";
import { type GroupPage, type GroupQuery, searchGroups } from "./grouped-results";
import { encodeJson, type JsonBytes, type JsonParts, type PriceListBody, type ProductBody, priceListBody, productBody } from "./json-bodies";
import {
  checkPurchaseList,
  checkPurchaseListFirst,
  checkPurchaseListJson,
  MAX_PURCHASE_LINES,
  type PriceCheck,
  type PriceCheckQuery,
  problemsFirst,
} from "./price-check";
import { resultCsv, resultSheet } from "./price-check-report";
import { type PriceQuery, searchPrices } from "./prices";
import { getProduct, type ProductAnswer, type ProductQuery } from "./products";
import { priceCheckSheets } from "./report-sheets";
import { type Sheet, type SpreadsheetWriter, XLSX_UNAVAILABLE } from "./spreadsheet";

/**
 * The reads a runtime may run whole somewhere else: on Node with READ_THREADS, on a read thread
 * with its own connection (src/node-http/read-calls.ts), so the statements, the rows and the
 * answer's objects stay off the event loop. Each is a service call answering plain data (it crosses
 * threads by structured clone), or for the API a JSON body or a workbook already encoded (it crosses
 * as bytes). Measured at a million prices: see docs/performance.md.
 */
export type ReadCalls = {
  /** GET /api/v1/prices without updatedSince, as its body. */
  priceListJson(query: PriceQuery): Promise<JsonBytes<PriceListBody>>;
  /** The search page (查询). */
  searchGroups(query: GroupQuery): Promise<GroupPage>;
  /** The product page (产品). */
  getProduct(id: number, query: ProductQuery): Promise<ProductAnswer>;
  /** GET /api/v1/products/:id, as its body. */
  productJson(id: number, query: ProductQuery): Promise<JsonBytes<ProductBody>>;
  /** POST /api/v1/price-check, as its body in parts. */
  priceCheckJson(list: Uint8Array, query: PriceCheckQuery): Promise<JsonParts<PriceCheck>>;
  /** POST /api/v1/price-check.xlsx, as the workbook's bytes. */
  priceCheckXlsx(list: Uint8Array, query: PriceCheckQuery): Promise<Uint8Array<ArrayBuffer>>;
  /** The 比价 page: the totals, and the lines problems first, at most `lines` of them. */
  priceCheck(list: Uint8Array, query: PriceCheckQuery, lines?: number): Promise<PriceCheck>;
  /** The 比价 page's downloads: every line, problems first, as the file's bytes (src/services/price-check-report.ts). */
  priceCheckReport(list: Uint8Array, query: PriceCheckQuery, format: "csv" | "xlsx"): Promise<Uint8Array<ArrayBuffer>>;
};
export type ReadCallName = keyof ReadCalls;

/**
 * Calls whose work grows with an upload, not with the database: a purchase list of 50,000 lines
 * takes ~4 s of a core to match and encode. They get the upload's time budget, not a query's, and a
 * thread of their own where there are several, so searches are not queued behind them.
 */
export const UPLOAD_CALLS: ReadonlySet<ReadCallName> = new Set<ReadCallName>(["priceCheckJson", "priceCheckXlsx", "priceCheck", "priceCheckReport"]);

const utf8 = new TextEncoder();

/** What the calls need of the runtime besides the database: its workbook reader and writer, where it has them. */
export type ReadCallTools = { readWorkbook?: WorkbookOpener; spreadsheets?: SpreadsheetWriter };

/** The calls run here, over `db`. */
export function readCallsOver(db: Db, { readWorkbook, spreadsheets }: ReadCallTools = {}): ReadCalls {
  const check = (list: Uint8Array, { sheet, ...where }: PriceCheckQuery) => checkPurchaseList(db, list, where, { readWorkbook, sheet });
  const write = async (sheets: Sheet[]) => {
    if (!spreadsheets) throw new AppError(501, "xlsx_unavailable", XLSX_UNAVAILABLE);
    return new Uint8Array(await new Response(spreadsheets(sheets)).arrayBuffer());
  };
  return {
    priceListJson: async (query) => encodeJson(priceListBody(await searchPrices(db, query))),
    searchGroups: (query) => searchGroups(db, query),
    getProduct: (id, query) => getProduct(db, id, query),
    productJson: async (id, query) => encodeJson(productBody(await getProduct(db, id, query))),
    priceCheckJson: (list, { sheet, ...where }) => checkPurchaseListJson(db, list, where, { readWorkbook, sheet }),
    priceCheckXlsx: async (list, query) => write(priceCheckSheets(await check(list, query))),
    priceCheck: (list, { sheet, ...where }, lines = MAX_PURCHASE_LINES) => checkPurchaseListFirst(db, list, lines, where, { readWorkbook, sheet }),
    priceCheckReport: async (list, query, format) => {
      const lines = problemsFirst((await check(list, query)).data);
      return format === "csv" ? (utf8.encode(resultCsv(lines)) as Uint8Array<ArrayBuffer>) : write([resultSheet(lines)]);
    },
  };
}

/** The runtime's calls where it has them (Node's read threads), else the same calls over its database. */
export function readCallsOf(deps: { db: Db; readCalls?: ReadCalls } & ReadCallTools): ReadCalls {
  return deps.readCalls ?? readCallsOver(deps.db, deps);
}
