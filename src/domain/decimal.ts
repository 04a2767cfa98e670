import { pow10 } from "./rounding.js";

/** An exact decimal: value = digits / 10^scale, scale >= 0. */
export type ScaledDecimal = { digits: bigint; scale: number };

const PLAIN_DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;
// The shapes String(n) produces for a finite number: "12", "-0.5", "1e+21", "1.5e-7".
const NUMBER_STRING = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/**
 * Parses a plain decimal string ("156.8", "-3", "+0.0946") exactly.
 * Returns null for anything else: empty text, spaces, exponent notation, ".5", "5.".
 */
export function parsePlainDecimal(text: string): ScaledDecimal | null {
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) return null;
  const [, sign, whole, frac = ""] = match;
  const digits = BigInt(whole + frac);
  return { digits: sign === "-" ? -digits : digits, scale: frac.length };
}

/**
 * The exact decimal value of a finite number's shortest round-trip representation,
 * so 0.1 is exactly 1/10 rather than the binary double nearest to it.
 * Throws RangeError on NaN and infinities.
 */
export function numberToScaledDecimal(n: number): ScaledDecimal {
  if (!Number.isFinite(n)) throw new RangeError(`Not a finite number: ${n}`);
  const text = String(n);
  const match = NUMBER_STRING.exec(text);
  if (!match) throw new RangeError(`Unexpected number format: ${text}`);
  const [, sign, whole, frac = "", exponent = "0"] = match;
  let digits = BigInt(whole + frac);
  let scale = frac.length - Number(exponent);
  if (scale < 0) {
    digits *= pow10(-scale);
    scale = 0;
  }
  return { digits: sign === "-" ? -digits : digits, scale };
}

/**
 * The decimal's digits at another scale, or null when reaching it would drop
 * non-zero digits (1.23 at scale 1). Trailing zeros are dropped silently.
 */
export function rescale(d: ScaledDecimal, scale: number): bigint | null {
  if (d.scale <= scale) return d.digits * pow10(scale - d.scale);
  const factor = pow10(d.scale - scale);
  return d.digits % factor === 0n ? d.digits / factor : null;
}

/** Writes value / 10^scale as a plain decimal string with exactly `scale` decimals. */
export function formatScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const absolute = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const whole = absolute.slice(0, absolute.length - scale);
  const frac = absolute.slice(absolute.length - scale);
  return (negative ? "-" : "") + whole + (scale > 0 ? `.${frac}` : "");
}

/** Drops trailing zeros after the decimal point ("3.6000" → "3.6", "7.0" → "7"). */
export function trimTrailingZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}
