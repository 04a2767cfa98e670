import { base64UrlToBytes, bytesToBase64Url } from "../base64";
import { AppError } from "../errors";

/** Position after the last row of a page: the sort value and the id that breaks ties. */
export type Cursor = { v: number | string | null; id: number };

function toBase64Url(text: string): string {
  return bytesToBase64Url(new TextEncoder().encode(text));
}

function fromBase64Url(raw: string): string {
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(base64UrlToBytes(raw));
}

export function encodeCursor(c: Cursor): string {
  return toBase64Url(JSON.stringify([c.v, c.id]));
}

export function decodeCursor(raw: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(fromBase64Url(raw));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === "number" || typeof parsed[0] === "string" || parsed[0] === null) &&
      Number.isSafeInteger(parsed[1])
    ) {
      return { v: parsed[0] as Cursor["v"], id: parsed[1] as number };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError(400, "invalid_cursor", "cursor is not one this API issued; start again without it");
}
