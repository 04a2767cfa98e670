import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { AppError } from "../../errors";
import { uploadSlots } from "../../middleware/upload-body";

const CSV_TYPES = /^(text\/csv|text\/plain|application\/csv|application\/octet-stream|application\/vnd\.ms-excel|multipart\/form-data)/;

/** Checked before the body validators, so the caller learns what to send instead of a bare 415. */
export async function requireCsvBody(c: Context<AppEnv>, next: () => Promise<void>) {
  const type = c.req.header("content-type") ?? "";
  if (type !== "" && !CSV_TYPES.test(type)) {
    throw new AppError(415, "unsupported_media_type", `send the purchase list as text/csv or as a multipart file, not ${type}`);
  }
  await next();
}

export const checkSlots = uploadSlots("the server is reading other uploads; retry in a few seconds");
