import { formatScaled, numberToScaledDecimal, parsePlainDecimal, rescale, trimTrailingZeros } from "./decimal.js";
import { type Fraction, fraction, roundFraction, roundFractionToBigInt } from "./fraction.js";
import { divRoundHalfAway } from "./rounding.js";

// Callers that think of money as "fractions of e4" import both from here.
export {
  addFractions,
  compareFractions,
  divideFractions,
  type Fraction,
  fraction,
  mulFraction,
  multiplyFractions,
  numberToFraction,
  roundFraction,
  roundFractionToBigInt,
  subtractFractions,
  sumFractions,
  ZERO_FRACTION,
} from "./fraction.js";

/** An amount in 1/10000 yuan ("e4"): prices are published with up to 4 decimals. */
export type E4 = bigint;

/** Decimal places of the e4 unit. */
export const E4_SCALE = 4;
export const E4_PER_YUAN = 10_000n;

export type YuanPlaces = 0 | 1 | 2 | 3 | 4;

/** Thrown when a text or number is not an amount of yuan with at most 4 decimals. */
export class MoneyFormatError extends Error {
  readonly text: string;

  constructor(text: string, reason: string) {
    super(`Invalid yuan amount "${text}": ${reason}`);
    this.name = "MoneyFormatError";
    this.text = text;
  }
}

/**
 * Parses a plain decimal string of yuan ("156.8", "0.0946", "-3", "13000") into e4, exactly.
 * Extra trailing zeros ("3.60000") are accepted because the value is still exact.
 * Throws MoneyFormatError on empty or non-numeric text, spaces, exponent notation
 * and more than 4 significant decimals.
 */
export function parseYuan(text: string): E4 {
  if (text === "") throw new MoneyFormatError(text, "empty");
  const decimal = parsePlainDecimal(text);
  if (!decimal) throw new MoneyFormatError(text, "not a plain decimal number");
  const e4 = rescale(decimal, E4_SCALE);
  if (e4 === null) throw new MoneyFormatError(text, "more than 4 decimals");
  return e4;
}

/**
 * Converts a yuan amount that arrived as a JS number (JSON, query parameters) into e4,
 * through its shortest decimal form, so 0.1 becomes exactly 1000n.
 * Throws MoneyFormatError on NaN, infinities and more than 4 decimals.
 */
export function yuanToE4(n: number): E4 {
  if (!Number.isFinite(n)) throw new MoneyFormatError(String(n), "not a finite number");
  const e4 = rescale(numberToScaledDecimal(n), E4_SCALE);
  if (e4 === null) throw new MoneyFormatError(String(n), "more than 4 decimals");
  return e4;
}

function checkPlaces(places: number): void {
  if (!Number.isInteger(places) || places < 0 || places > E4_SCALE) {
    throw new RangeError(`Yuan places must be an integer from 0 to 4, got ${places}`);
  }
}

function roundE4(v: E4, places: number): bigint {
  checkPlaces(places);
  return divRoundHalfAway(v, 10n ** BigInt(E4_SCALE - places));
}

/** An e4 amount as a yuan JSON number, rounded half away from zero to `places` decimals. */
export function e4ToYuan(v: E4, places: YuanPlaces = 4): number {
  return Number(formatScaled(roundE4(v, places), places));
}

/**
 * An e4 amount as yuan text for CSV and pages, rounded half away from zero to `places`
 * decimals and without trailing zeros: 36000n → "3.6". parseYuan reads it back.
 */
export function formatYuan(v: E4, places: YuanPlaces = 4): string {
  return trimTrailingZeros(formatScaled(roundE4(v, places), places));
}

/** A price in yuan as people read it, with at least 2 and at most 4 decimals: 3.6 → "3.60", 0.0946 → "0.0946". */
export function priceText(yuan: number): string {
  const [whole, frac = ""] = formatYuan(yuanToE4(yuan), 4).split(".");
  return `${whole}.${frac.padEnd(2, "0")}`;
}

/** An exact amount in e4 (such as a unit price or a sum of savings) as yuan rounded to `places`. */
export function fractionE4ToYuan(f: Fraction, places: number): number {
  return roundFraction(fraction(f.num, f.den * E4_PER_YUAN), places);
}

/** An exact amount in e4 rounded half away from zero to whole e4. */
export function roundFractionE4(f: Fraction): E4 {
  return roundFractionToBigInt(f, 0);
}

/**
 * A stored e4 integer as yuan. Dividing an integer by 10 000 gives the double nearest the 4-decimal
 * amount, the same number `e4ToYuan(v, 4)` returns, without going through bigint.
 */
export function storedE4ToYuan(v: number): number {
  return v / 10_000;
}
