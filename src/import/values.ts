import { type E4, parseYuan } from "../domain";

export class CellError extends Error {}

/**
 * Cleans a numeric cell the way spreadsheets write them: ¥/￥, thousands separators, full-width
 * digits, surrounding spaces. Returns the plain decimal text.
 */
export function cleanNumber(raw: string): string {
  return raw
    .normalize("NFKC")
    .trim()
    .replace(/^[¥￥]\s*/, "")
    .replace(/[,\s]/g, "");
}

export function parseMoneyCell(raw: string): E4 {
  const text = cleanNumber(raw);
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new CellError(`"${raw.trim()}" is not an amount of money`);
  const decimals = text.split(".")[1]?.length ?? 0;
  if (decimals > 4) throw new CellError(`"${raw.trim()}" has more than 4 decimals`);
  const value = parseYuan(text);
  if (value < 0n) throw new CellError(`"${raw.trim()}" is negative`);
  return value;
}

export function parseIntegerCell(raw: string, { min = 0 }: { min?: number } = {}): number {
  const text = cleanNumber(raw);
  if (!/^-?\d+(\.0+)?$/.test(text)) throw new CellError(`"${raw.trim()}" is not a whole number`);
  const n = Number(text.split(".")[0]);
  if (!Number.isSafeInteger(n)) throw new CellError(`"${raw.trim()}" is too large`);
  if (n < min) throw new CellError(`"${raw.trim()}" must be at least ${min}`);
  return n;
}

/** A percent cell (`52`, `52%`, `72.8 %`) as hundredths of a percent. */
export function parsePercentCell(raw: string): number {
  const text = cleanNumber(raw).replace(/%$/, "");
  if (!/^-?\d+(\.\d{1,2})?$/.test(text)) throw new CellError(`"${raw.trim()}" is not a percentage with at most 2 decimals`);
  const [whole = "0", frac = ""] = text.replace("-", "").split(".");
  const bp = Number(whole) * 100 + Number(frac.padEnd(2, "0"));
  return text.startsWith("-") ? -bp : bp;
}

/** YYYY-MM-DD or YYYY-MM (Excel's 2021/3/1 too), kept as ISO text. */
export function parseDateCell(raw: string, { monthOnly = false } = {}): string {
  const text = raw
    .normalize("NFKC")
    .trim()
    .replace(/[/.年月]/g, "-")
    .replace(/日$/, "")
    .replace(/-$/, "");
  const m = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/.exec(text);
  if (!m) throw new CellError(`"${raw.trim()}" is not a date like 2021-03-01${monthOnly ? " or 2021-03" : ""}`);
  const [, y, mo, d] = m;
  const month = Number(mo);
  if (month < 1 || month > 12) throw new CellError(`"${raw.trim()}" has no month ${month}`);
  const ym = `${y}-${String(month).padStart(2, "0")}`;
  if (monthOnly || d === undefined) return monthOnly ? ym : ym;
  const day = Number(d);
  const last = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (day < 1 || day > last) throw new CellError(`"${raw.trim()}" has no day ${day}`);
  return `${ym}-${String(day).padStart(2, "0")}`;
}

export function parseBooleanCell(raw: string): boolean {
  const t = raw.normalize("NFKC").trim().toLowerCase();
  if (["true", "1", "yes", "y", "是"].includes(t)) return true;
  if (["false", "0", "no", "n", "否", ""].includes(t)) return false;
  throw new CellError(`"${raw.trim()}" is not true or false`);
}
