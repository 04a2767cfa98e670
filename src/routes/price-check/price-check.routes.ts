import { createRoute, z } from "@hono/zod-openapi";
import { PRICE_CHECK_CLASSES } from "../../domain";
import { MATCH_RULES } from "../../services/price-check";
import { jsonResponse, openApiErrorResponses, PlaceTimeQueryShape } from "../schemas";
import { uploadBody } from "../upload-media-types";
import { XLSX_UNAVAILABLE, xlsxResponse } from "../xlsx-answer";

const PriceRefSchema = z.object({
  priceId: z.number().int(),
  batch: z.object({ id: z.string(), name: z.string() }),
  product: z.object({
    id: z.number().int(),
    genericName: z.string(),
    dosageForm: z.string().nullable(),
    spec: z.string().nullable(),
    manufacturer: z.string().nullable(),
    packageQty: z.number().int().nullable(),
    nhsaCode: z.string().nullable(),
    approvalNo: z.string().nullable(),
  }),
  chosenPrice: z.number(),
  unitPrice: z.number(),
});

const LineSchema = z
  .object({
    row: z.number().int().openapi({ description: "row number as a spreadsheet counts it" }),
    input: z.object({
      genericName: z.string().nullable(),
      spec: z.string().nullable(),
      manufacturer: z.string().nullable(),
      nhsaCode: z.string().nullable(),
      approvalNo: z.string().nullable(),
      price: z.number().openapi({ description: "paid per package (进价), CNY" }),
      quantity: z.number().int().openapi({ description: "packages bought (数量)" }),
      packageQty: z.number().int().nullable(),
    }),
    amountPaid: z.number(),
    class: z.enum(PRICE_CHECK_CLASSES),
    matchedBy: z.enum(MATCH_RULES).nullable().openapi({ description: "the rule that matched the chosen product" }),
    chosen: PriceRefSchema.nullable(),
    alternative: PriceRefSchema.nullable().openapi({ description: "the cheapest chosen product of the same name and strength" }),
    units: z.number().int().nullable(),
    paidUnitPrice: z.number().nullable(),
    overpayPerUnit: z.number().nullable().openapi({ description: "paid − chosen per smallest unit, CNY, 4 decimals" }),
    overpayTotal: z.number().nullable(),
    savingIfSwitched: z.number().nullable(),
    packageAssumed: z.boolean().openapi({ description: "true when the line gave no package size and the chosen product's was used" }),
  })
  .openapi("PriceCheckLine");

/** The purchase list, as the raw CSV or workbook or as a multipart upload (what an HTML form sends). */
export const PurchaseListBody = uploadBody({
  csv: "the purchase list, UTF-8 (with or without BOM) or GB18030",
  example: "通用名,规格,生产企业,进价,数量\r\n阿托伐他汀钙片,20mg,辉瑞制药有限公司,35.5,100\r\n",
  xlsx: "the purchase list as an .xlsx workbook: the first sheet with its columns, title rows above the header allowed (Node; Cloudflare Workers answer 415 xlsx_unsupported)",
  description: "the purchase list (CSV or an .xlsx workbook) as the body or as a multipart field `file`",
});

/** Where and when the hospital buys (as GET /api/v1/prices reads them), and which sheet of a workbook holds the list. */
const PriceCheckQuery = z.object({
  region: z.string().max(50).optional(),
  ...PlaceTimeQueryShape,
  sheet: z.string().max(100).optional().openapi({
    description: "for a workbook: the sheet with the list, by name or position (1 = the first tab); by default the first whose header has the list's columns",
  }),
});

const BUSY_OR_TOO_LONG =
  "the database is busy, the server is reading too many uploads at once (uploads_busy), or checking the list took longer than the request may (query_timeout: check it in parts); see Retry-After";

export const postPriceCheck = createRoute({
  method: "post",
  path: "/api/v1/price-check",
  operationId: "checkPurchaseList",
  tags: ["price-check"],
  summary: "采购清单比价 · Check a hospital's purchase list against chosen prices",
  security: [],
  description:
    "Body: the CSV (text/csv, UTF-8 or GB18030), an .xlsx workbook as hospital systems export it, or either as a multipart `file`. Columns: the import aliases (医保编码, 批准文号, 通用名, 剂型, 规格, 包装/转换比, 生产企业) plus 进价/采购价/单价 (paid per package) and 数量/采购数量 (packages). `province` is the hospital's: only chosen prices it can buy, in force on `asOf`, are matched and offered.",
  request: { body: PurchaseListBody, query: PriceCheckQuery },
  responses: {
    200: jsonResponse(
      z.object({
        data: z.array(LineSchema),
        meta: z.object({
          total: z.number().int(),
          nextCursor: z.null(),
          format: z.enum(["csv", "xlsx"]).openapi({ description: "what the file was, from its bytes" }),
          encoding: z.string().nullable().openapi({ description: "the CSV's text encoding (utf-8 or gb18030); null for a workbook" }),
          sheet: z.string().nullable().openapi({ description: "the workbook's sheet that was read; null for a CSV" }),
          warnings: z.array(z.string()),
          totals: z.object({
            byClass: z.record(z.string(), z.number().int()),
            byRule: z.record(z.string(), z.number().int()),
            amountPaid: z.number(),
            overpayTotal: z.number(),
            savingIfSwitchedTotal: z.number(),
          }),
        }),
      }),
      "each line classed, totals in meta",
    ),
    ...openApiErrorResponses(
      {
        400: "a multipart body without a `file` field",
        413: "file too large",
        415: "neither CSV nor an .xlsx workbook (unsupported_media_type), or a workbook where this runtime cannot read one (xlsx_unsupported, Cloudflare Workers: send CSV)",
        422: "the file or some lines could not be read (details.errors lists them by row and column), or the list has more than 50,000 lines (too_many_lines)",
        503: BUSY_OR_TOO_LONG,
      },
      "write",
    ),
  },
});

export const postPriceCheckXlsx = createRoute({
  method: "post",
  path: "/api/v1/price-check.xlsx",
  operationId: "checkPurchaseListXlsx",
  tags: ["price-check"],
  summary: "采购清单比价导出 Excel · A purchase list checked, as an .xlsx workbook",
  description:
    "The same check as POST /api/v1/price-check (the same body and query: province, asOf, sheet…), answered as a workbook: sheet 比价结果 with one row per line (prices with 4 decimals, amounts with 2) and sheet 合计 with the totals.",
  security: [],
  request: { body: PurchaseListBody, query: PriceCheckQuery },
  responses: {
    200: xlsxResponse(".xlsx workbook: 比价结果 and 合计"),
    ...openApiErrorResponses(
      {
        400: "a multipart body without a `file` field",
        413: "file too large",
        415: "neither CSV nor an .xlsx workbook (unsupported_media_type), or a workbook where this runtime cannot read one (xlsx_unsupported, Cloudflare Workers: send CSV)",
        422: "the file or some lines could not be read (details.errors lists them by row and column), or the list has more than 50,000 lines (too_many_lines)",
        503: BUSY_OR_TOO_LONG,
        501: XLSX_UNAVAILABLE,
      },
      "write",
    ),
  },
});
