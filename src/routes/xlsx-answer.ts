import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../context";
import { AppError } from "../errors";
import { type Sheet, XLSX_CONTENT_TYPE, XLSX_UNAVAILABLE } from "../services/spreadsheet";

export { XLSX_UNAVAILABLE };

/** The contract of a workbook answer. */
export const xlsxResponse = (description: string) => ({
  content: { [XLSX_CONTENT_TYPE]: { schema: z.string().openapi({ format: "binary" }) } },
  description,
});

/** `attachment` with an ASCII name for old clients and the Chinese one (RFC 6266 filename*). */
export function attachment(ascii: string, chinese: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(chinese)}`;
}

/** Refuses before any work where the runtime has no workbook writer (Workers). */
export function requireSpreadsheets(c: Context<AppEnv>) {
  const write = c.get("deps").spreadsheets;
  if (!write) throw new AppError(501, "xlsx_unavailable", XLSX_UNAVAILABLE);
  return write;
}

/**
 * A workbook answer named `<ascii>-<date>.xlsx` / `<chinese>-<date>.xlsx`: sheets streamed by the
 * runtime's writer, or a workbook written already (on a read thread).
 */
export function xlsxAnswer(c: Context<AppEnv>, book: Sheet[] | Uint8Array<ArrayBuffer>, ascii: string, chinese: string) {
  const stamp = new Date().toISOString().slice(0, 10);
  return c.body(book instanceof Uint8Array ? book : requireSpreadsheets(c)(book), 200, {
    "Content-Type": XLSX_CONTENT_TYPE,
    "Content-Disposition": attachment(`${ascii}-${stamp}.xlsx`, `${chinese}-${stamp}.xlsx`),
    "Cache-Control": "no-store",
  });
}
