import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { AppError } from "../../errors";
import { API_FORM_MESSAGES, FormFile, readForm } from "../../middleware/upload-body";
import { readCallsOf } from "../../services/read-calls";
import { jsonParts } from "../json-bytes";
import type { AppRouteHandler } from "../router";
import { requireSpreadsheets, xlsxAnswer } from "../xlsx-answer";
import type { postPriceCheck, postPriceCheckXlsx } from "./price-check.routes";

/** The list as the body or a multipart `file` (requireListBody has checked the media type). */
async function readListBody(c: Context<AppEnv>): Promise<Uint8Array> {
  if ((c.req.header("content-type") ?? "").startsWith("multipart/form-data")) {
    const file = (await readForm(c, API_FORM_MESSAGES)).file;
    if (!(file instanceof FormFile)) throw new AppError(400, "missing_file", "multipart body has no `file` field with a CSV file or .xlsx workbook");
    return file.bytes();
  }
  return new Uint8Array(await c.req.arrayBuffer());
}

// The query's place and time filter the chosen prices, `sheet` picks a workbook's sheet. The check
// runs where the runtime runs its reads (a read thread on Node), and answers bytes already encoded.
export const check: AppRouteHandler<typeof postPriceCheck> = async (c) =>
  jsonParts(c, await readCallsOf(c.get("deps")).priceCheckJson(await readListBody(c), c.req.valid("query")));

export const checkXlsx: AppRouteHandler<typeof postPriceCheckXlsx> = async (c) => {
  requireSpreadsheets(c);
  return xlsxAnswer(c, await readCallsOf(c.get("deps")).priceCheckXlsx(await readListBody(c), c.req.valid("query")), "price-check", "采购清单比价");
};
