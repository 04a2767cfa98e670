import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addFractions,
  compareFractions,
  divideFractions,
  fraction,
  mulFraction,
  numberToFraction,
  roundFraction,
  roundFractionToBigInt,
  subtractFractions,
  sumFractions,
} from "../../../src/domain/fraction.js";

const anyFraction = fc
  .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 6n }))
  .map(([num, den]) => fraction(num, den));

describe("fraction", () => {
  it("reduces and keeps the denominator positive", () => {
    expect(fraction(6n, 4n)).toEqual({ num: 3n, den: 2n });
    expect(fraction(6n, -4n)).toEqual({ num: -3n, den: 2n });
    expect(fraction(-6n, -4n)).toEqual({ num: 3n, den: 2n });
    expect(fraction(0n, -7n)).toEqual({ num: 0n, den: 1n });
    expect(fraction(5n)).toEqual({ num: 5n, den: 1n });
  });

  it("refuses a zero denominator", () => {
    expect(() => fraction(1n, 0n)).toThrow(RangeError);
    expect(() => mulFraction(fraction(1n), 1n, 0n)).toThrow(RangeError);
    expect(() => divideFractions(fraction(1n), fraction(0n))).toThrow(RangeError);
  });

  it("adds, subtracts, multiplies and divides exactly", () => {
    expect(addFractions(fraction(1n, 3n), fraction(1n, 6n))).toEqual({ num: 1n, den: 2n });
    expect(subtractFractions(fraction(1n, 3n), fraction(1n, 2n))).toEqual({ num: -1n, den: 6n });
    expect(mulFraction(fraction(36_000n, 7n), 14n)).toEqual({ num: 72_000n, den: 1n });
    expect(mulFraction(fraction(3n, 4n), 2n, 9n)).toEqual({ num: 1n, den: 6n });
    expect(divideFractions(fraction(1n, 2n), fraction(-3n, 4n))).toEqual({ num: -2n, den: 3n });
    expect(sumFractions([])).toEqual({ num: 0n, den: 1n });
    expect(sumFractions(Array.from({ length: 10 }, () => fraction(1n, 10n)))).toEqual({ num: 1n, den: 1n });
  });

  it("compares by value", () => {
    expect(compareFractions(fraction(1n, 3n), fraction(2n, 6n))).toBe(0);
    expect(compareFractions(fraction(-1n, 2n), fraction(1n, 3n))).toBe(-1);
    expect(compareFractions(fraction(2n, 3n), fraction(3n, 5n))).toBe(1);
  });

  it("sums to the same reduced fraction whatever the order", () => {
    fc.assert(
      fc.property(
        fc.array(anyFraction, { maxLength: 30 }).chain((xs) => fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length }))),
        ([xs, shuffled]) => {
          expect(sumFractions(shuffled)).toEqual(sumFractions(xs));
        },
      ),
    );
  });
});

describe("roundFraction", () => {
  it("rounds half away from zero", () => {
    expect(roundFraction(fraction(1n, 2n), 0)).toBe(1);
    expect(roundFraction(fraction(-1n, 2n), 0)).toBe(-1);
    expect(roundFraction(fraction(5n, 2n), 0)).toBe(3);
    expect(roundFraction(fraction(-5n, 2n), 0)).toBe(-3);
    expect(roundFraction(fraction(1n, 3n), 0)).toBe(0);
    expect(roundFraction(fraction(2n, 3n), 2)).toBe(0.67);
    expect(roundFraction(fraction(-2n, 3n), 2)).toBe(-0.67);
    expect(roundFraction(fraction(1005n, 1000n), 2)).toBe(1.01); // 1.005 as a float would round down
    expect(roundFractionToBigInt(fraction(12_345n, 1000n), 2)).toBe(1235n);
  });

  it("stays within half a unit of the last place", () => {
    fc.assert(
      fc.property(anyFraction, fc.integer({ min: 0, max: 6 }), (f, places) => {
        const scaled = roundFractionToBigInt(f, places);
        // |f × 10^p − scaled| ≤ 1/2  ⇔  |2·(num·10^p − scaled·den)| ≤ den
        const diff = 2n * (f.num * 10n ** BigInt(places) - scaled * f.den);
        expect(diff <= f.den && diff >= -f.den).toBe(true);
      }),
    );
  });

  it("rejects negative or fractional places", () => {
    expect(() => roundFraction(fraction(1n), -1)).toThrow(RangeError);
    expect(() => roundFraction(fraction(1n), 0.5)).toThrow(RangeError);
  });
});

describe("numberToFraction", () => {
  it("takes the decimal a number is written as", () => {
    expect(numberToFraction(0.1)).toEqual({ num: 1n, den: 10n });
    expect(numberToFraction(72.8)).toEqual({ num: 364n, den: 5n });
    expect(numberToFraction(-2)).toEqual({ num: -2n, den: 1n });
    expect(numberToFraction(1.5e-7)).toEqual({ num: 3n, den: 20_000_000n });
    expect(numberToFraction(2e21)).toEqual({ num: 2n * 10n ** 21n, den: 1n });
    expect(() => numberToFraction(Number.NaN)).toThrow(RangeError);
  });
});
