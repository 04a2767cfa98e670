import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { AppError } from "../../errors";
import { XLSX_MEDIA_TYPE } from "../../import/xlsx/sniff";
import { API_FORM_MESSAGES, readFormFirst, uploadSlots } from "../../middleware/upload-body";
import { isUploadMediaType } from "../upload-media-types";

/** Checked before the body validators, so the caller learns what to send instead of a bare 415. */
export async function requireListBody(c: Context<AppEnv>, next: () => Promise<void>) {
  const type = c.req.header("content-type") ?? "";
  if (type !== "" && !isUploadMediaType(type)) {
    throw new AppError(
      415,
      "unsupported_media_type",
      `send the purchase list as text/csv, as an .xlsx workbook (${XLSX_MEDIA_TYPE}) or as a multipart file, not ${type}`,
    );
  }
  await next();
}

export const checkSlots = uploadSlots("the server is reading other uploads; retry in a few seconds");

/** A multipart list read as it arrives (Node), before the body validator would parse it whole. */
export const listFormFirst = readFormFirst(API_FORM_MESSAGES);
