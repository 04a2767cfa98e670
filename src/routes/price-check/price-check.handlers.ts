import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { AppError } from "../../errors";
import { API_FORM_MESSAGES, readForm } from "../../middleware/upload-body";
import { checkPurchaseList } from "../../services/price-check";
import { priceCheckSheets } from "../../services/report-sheets";
import type { AppRouteHandler } from "../router";
import { requireSpreadsheets, xlsxAnswer } from "../xlsx-answer";
import type { postPriceCheck, postPriceCheckXlsx } from "./price-check.routes";

async function readCsvBody(c: Context<AppEnv>): Promise<Uint8Array> {
  const type = c.req.header("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    const file = (await readForm(c, API_FORM_MESSAGES)).file;
    if (!(file instanceof File)) throw new AppError(400, "missing_file", "multipart body has no `file` field with a CSV file");
    return new Uint8Array(await file.arrayBuffer());
  }
  if (type === "" || /^(text\/csv|text\/plain|application\/csv|application\/octet-stream|application\/vnd\.ms-excel)/.test(type)) {
    return new Uint8Array(await c.req.arrayBuffer());
  }
  throw new AppError(415, "unsupported_media_type", `send the purchase list as text/csv or as a multipart file, not ${type}`);
}

export const check: AppRouteHandler<typeof postPriceCheck> = async (c) =>
  c.json(await checkPurchaseList(c.get("deps").db, await readCsvBody(c), c.req.valid("query")), 200);

export const checkXlsx: AppRouteHandler<typeof postPriceCheckXlsx> = async (c) => {
  requireSpreadsheets(c);
  const check = await checkPurchaseList(c.get("deps").db, await readCsvBody(c));
  return xlsxAnswer(c, priceCheckSheets(check), "price-check", "采购清单比价");
};
