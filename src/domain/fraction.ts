import { formatScaled, numberToScaledDecimal } from "./decimal.js";
import { absBigInt, divRoundHalfAway, pow10 } from "./rounding.js";

/** An exact rational number num/den, always reduced, with den > 0. */
export type Fraction = { readonly num: bigint; readonly den: bigint };

export const ZERO_FRACTION: Fraction = Object.freeze({ num: 0n, den: 1n });

function gcd(a: bigint, b: bigint): bigint {
  a = absBigInt(a);
  b = absBigInt(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * Builds the reduced fraction num/den with a positive denominator.
 * Reducing makes equal values structurally equal, which keeps sums order-independent.
 * Throws RangeError when den is zero.
 */
export function fraction(num: bigint, den: bigint = 1n): Fraction {
  if (den === 0n) throw new RangeError("Fraction denominator must not be zero");
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const divisor = gcd(num, den);
  if (divisor > 1n) {
    num /= divisor;
    den /= divisor;
  }
  return { num, den };
}

/** a + b, exact. */
export function addFractions(a: Fraction, b: Fraction): Fraction {
  if (a.den === b.den) return fraction(a.num + b.num, a.den);
  return fraction(a.num * b.den + b.num * a.den, a.den * b.den);
}

/** a − b, exact. */
export function subtractFractions(a: Fraction, b: Fraction): Fraction {
  return addFractions(a, { num: -b.num, den: b.den });
}

/** The exact sum; the result does not depend on the order of xs. Empty input gives 0. */
export function sumFractions(xs: Iterable<Fraction>): Fraction {
  let total = ZERO_FRACTION;
  for (const x of xs) total = addFractions(total, x);
  return total;
}

/** f × num / den, exact. Throws RangeError when den is zero. */
export function mulFraction(f: Fraction, num: bigint, den: bigint = 1n): Fraction {
  return fraction(f.num * num, f.den * den);
}

/** a × b, exact. */
export function multiplyFractions(a: Fraction, b: Fraction): Fraction {
  return fraction(a.num * b.num, a.den * b.den);
}

/** a / b, exact. Throws RangeError when b is zero. */
export function divideFractions(a: Fraction, b: Fraction): Fraction {
  return fraction(a.num * b.den, a.den * b.num);
}

/** −1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareFractions(a: Fraction, b: Fraction): -1 | 0 | 1 {
  // Denominators are positive, so cross-multiplying keeps the order.
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** f × 10^places rounded half away from zero to an integer. */
export function roundFractionToBigInt(f: Fraction, places = 0): bigint {
  return divRoundHalfAway(f.num * pow10(places), f.den);
}

/**
 * The value of f rounded half away from zero to `places` decimals, as a number.
 * The number is parsed from the rounded decimal text, so it is the double nearest
 * to that decimal (what JSON prints back as the same digits).
 */
export function roundFraction(f: Fraction, places: number): number {
  return Number(formatScaled(roundFractionToBigInt(f, places), places));
}

/**
 * The exact value of a finite number as written in its shortest form: 0.1 → 1/10,
 * 72.8 → 364/5. Throws RangeError on NaN and infinities.
 */
export function numberToFraction(n: number): Fraction {
  const { digits, scale } = numberToScaledDecimal(n);
  return fraction(digits, pow10(scale));
}
