import { createRoute, z } from "@hono/zod-openapi";
import { PriceQuerySchema } from "../prices/prices.routes";
import { openApiErrorResponses } from "../schemas";
import { XLSX_UNAVAILABLE, xlsxResponse } from "../xlsx-answer";

/**
 * An export's updatedSince: the JSON change feed's rows (pricesChangedSince) as a file, with a
 * change column for each; validated as the feed validates it.
 */
const ExportQuerySchema = PriceQuerySchema.omit({ limit: true, cursor: true }).extend({
  updatedSince: PriceQuerySchema.shape.updatedSince.openapi({
    description:
      "only the prices added, changed, ended or withdrawn since this RFC 3339 time or meta.syncToken of the JSON change feed, oldest change first (sort does not apply); two columns follow the others: change (变更: added 新增, changed 变更, ended 采购周期结束, withdrawn 已撤销) and changedAt (变更时间, RFC 3339 UTC). Ended and withdrawn rows are tombstones: drop them from a copy of prices in force",
    example: "2026-11-28T00:00:00+08:00",
  }),
});

export const exportPricesRoute = createRoute({
  method: "get",
  path: "/api/v1/prices.csv",
  operationId: "exportPricesCsv",
  tags: ["exports"],
  summary: "导出中选价格 CSV · The search's chosen prices as a CSV file",
  description:
    "Same filters as GET /api/v1/prices; every matching row (no paging). With updatedSince, the change feed of the search as a file: only what was added, changed, ended or withdrawn since, with its change and time in two more columns (headers=en: added, changed, ended, withdrawn; zh: 新增, 变更, 采购周期结束, 已撤销). UTF-8 with BOM, CRLF; cells starting with = + - @ are prefixed with ' against formula injection. The file imports back with POST /api/v1/imports?kind=prices.",
  security: [],
  request: {
    query: ExportQuerySchema.extend({
      headers: z.enum(["zh", "en"]).default("zh").openapi({ description: "Chinese (default) or English column headers" }),
    }),
  },
  responses: {
    200: { content: { "text/csv": { schema: z.string().openapi({ format: "binary" }) } }, description: "CSV file" },
    ...openApiErrorResponses({ 400: "invalid query" }),
  },
});

export const exportPricesXlsxRoute = createRoute({
  method: "get",
  path: "/api/v1/prices.xlsx",
  operationId: "exportPricesXlsx",
  tags: ["exports"],
  summary: "导出中选价格 Excel · The search's chosen prices as an .xlsx workbook",
  description:
    "Same filters and columns as the CSV export (updatedSince included: the change feed with its 变更 and 变更时间 columns), with Chinese headers: prices stored as numbers shown with 4 decimals, reductions as percentages, volumes as whole numbers; the header row is frozen and columns fit their contents. Streamed; at most 200,000 rows (a larger search answers 400: narrow it or use the CSV export).",
  security: [],
  request: { query: ExportQuerySchema },
  responses: {
    200: xlsxResponse(".xlsx workbook, one sheet 中选价格"),
    ...openApiErrorResponses({ 400: "invalid query, or more rows than one workbook takes (export_too_large)", 501: XLSX_UNAVAILABLE }),
  },
});

export const pricesAtomRoute = createRoute({
  method: "get",
  path: "/api/v1/prices.atom",
  operationId: "pricesAtomFeed",
  tags: ["exports"],
  summary: "价格变化订阅 Atom · A search's price changes as an Atom feed",
  description:
    "Any search (the filters of GET /api/v1/prices) as an Atom 1.0 feed for feed readers: its latest 50 changes, newest first — prices added, renewed (接续采购: a new price continuing an earlier one, see `renews`), renewed_by (已接续采购: the earlier price, when an import links its renewal; the entry names the renewal's batch and price), changed, ended (the day after the cycle's last, Asia/Shanghai) or withdrawn. Every filter of the search applies, `synthetic=false` included. Entry ids name the price, the change and its time, so each change is one entry and stays the same on every fetch.",
  security: [],
  request: {
    query: ExportQuerySchema.omit({ sort: true, updatedSince: true }).extend({
      updatedSince: PriceQuerySchema.shape.updatedSince.openapi({
        description: "only changes since this RFC 3339 time or meta.syncToken of the JSON change feed (still newest first, at most 50)",
        example: "2026-11-28T00:00:00+08:00",
      }),
    }),
  },
  responses: {
    200: { content: { "application/atom+xml": { schema: z.string() } }, description: "Atom 1.0 feed" },
    ...openApiErrorResponses({ 400: "invalid query" }),
  },
});
