import { type E4, parseYuan } from "../domain";
import { CellError, cleanNumber } from "./values";

/**
 * An amount as a spreadsheet holds it: any number of decimals (Excel keeps 70/3 as
 * 23.333333333333332), rounded half-up to 4 decimals, the precision prices are published with.
 * `rounded` is true when decimals were dropped, so the import can say how many cells it rounded.
 */
export function parseMoneyRounding(raw: string): { value: E4; rounded: boolean; decimals: number } {
  const text = cleanNumber(raw);
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new CellError(`"${raw.trim()}" is not an amount of money`);
  if (text.startsWith("-")) throw new CellError(`"${raw.trim()}" is negative`);
  const [whole = "0", frac = ""] = text.split(".");
  if (frac.length <= 4) return { value: parseYuan(text), rounded: false, decimals: frac.length };
  const e4 = BigInt(whole) * 10_000n + BigInt(frac.slice(0, 4));
  // Half-up: the fifth decimal decides, whatever follows it.
  return { value: frac.charCodeAt(4) - 48 >= 5 ? e4 + 1n : e4, rounded: true, decimals: frac.length };
}

/**
 * The exact value of a decimal cell times a whole number, rounded half-up to 1/10000: a price per
 * smallest unit at full precision (23.333333333333332) × 3 units gives 70.0000, not 69.9999.
 */
export function multiplyDecimalCell(raw: string, factor: number): E4 {
  const text = cleanNumber(raw);
  const [whole = "0", frac = ""] = text.split(".");
  const scale = 10n ** BigInt(frac.length);
  const numerator = (BigInt(whole) * scale + BigInt(frac || "0")) * BigInt(factor) * 10_000n;
  const q = numerator / scale;
  return (numerator % scale) * 2n >= scale ? q + 1n : q;
}

/**
 * A share or percentage as tables write it: `0.7`, `70` and `70%` all mean 70 %. A value at most 1
 * without a % sign is a fraction, one above 1 a percentage. Returns hundredths of a percent;
 * ambiguous or impossible values are errors.
 */
export function parseShareCell(raw: string): number {
  const text = cleanNumber(raw);
  const percent = text.endsWith("%");
  const body = percent ? text.slice(0, -1) : text;
  if (!/^\d+(\.\d+)?$/.test(body)) throw new CellError(`"${raw.trim()}" is not a share (write 70%, 70 or 0.7)`);
  const value = Number(body);
  if (!percent && value === 1 && !body.includes(".")) {
    throw new CellError(`"${raw.trim()}" is ambiguous: 1 could be 1 % or 100 %; write 1% or 100%`);
  }
  const pct = percent || value > 1 ? value : value * 100;
  if (pct > 100) throw new CellError(`"${raw.trim()}" is more than 100 %`);
  const bp = Math.round(pct * 100);
  if (Math.abs(bp - pct * 100) > 1e-6) throw new CellError(`"${raw.trim()}" has more than 2 decimals as a percentage`);
  return bp;
}

/**
 * A reduction (降幅) as a file prints it, in hundredths of a percent, in both readings a table may
 * mean: `52%`, `52`, `0.52` are a cut of 52 %; analysts also write the change `-0.52`
 * (new ÷ old − 1). Returns the candidate reductions; the caller checks them against its own.
 */
export function parseReductionCell(raw: string): number[] {
  const text = cleanNumber(raw);
  const percent = text.endsWith("%");
  const body = percent ? text.slice(0, -1) : text;
  if (!/^[-+]?\d+(\.\d+)?$/.test(body)) throw new CellError(`"${raw.trim()}" is not a reduction (write 52%, 52 or 0.52)`);
  const value = Number(body);
  const pct = percent || Math.abs(value) > 1 ? value : value * 100;
  return [...new Set([Math.round(pct * 100), Math.round(-pct * 100)])];
}
