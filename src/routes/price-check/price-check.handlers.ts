import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { AppError } from "../../errors";
import { API_FORM_MESSAGES, readForm } from "../../middleware/upload-body";
import { checkPurchaseList, type PriceCheckWhere } from "../../services/price-check";
import { priceCheckSheets } from "../../services/report-sheets";
import type { AppRouteHandler } from "../router";
import { requireSpreadsheets, xlsxAnswer } from "../xlsx-answer";
import type { postPriceCheck, postPriceCheckXlsx } from "./price-check.routes";

/** The list as the body or a multipart `file` (requireListBody has checked the media type). */
async function readListBody(c: Context<AppEnv>): Promise<Uint8Array> {
  if ((c.req.header("content-type") ?? "").startsWith("multipart/form-data")) {
    const file = (await readForm(c, API_FORM_MESSAGES)).file;
    if (!(file instanceof File)) throw new AppError(400, "missing_file", "multipart body has no `file` field with a CSV file or .xlsx workbook");
    return new Uint8Array(await file.arrayBuffer());
  }
  return new Uint8Array(await c.req.arrayBuffer());
}

/** The list checked as the query says: the place and time filter the chosen prices, `sheet` picks a workbook's sheet. */
async function checkBody(c: Context<AppEnv>, { sheet, ...where }: { sheet?: string } & PriceCheckWhere) {
  return checkPurchaseList(c.get("deps").db, await readListBody(c), where, { readWorkbook: c.get("deps").readWorkbook, sheet });
}

export const check: AppRouteHandler<typeof postPriceCheck> = async (c) => c.json(await checkBody(c, c.req.valid("query")), 200);

export const checkXlsx: AppRouteHandler<typeof postPriceCheckXlsx> = async (c) => {
  requireSpreadsheets(c);
  return xlsxAnswer(c, priceCheckSheets(await checkBody(c, c.req.valid("query"))), "price-check", "采购清单比价");
};
