import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseYuan } from "../../../src/domain/money.js";
import { discountBasisPoints, packageDivisor, priceFigures, unitPrice, unitPriceE4Rounded } from "../../../src/domain/pricing.js";

const positivePrice = fc.bigInt({ min: 1n, max: 10n ** 12n });
const packageQty = fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null });

describe("unitPrice", () => {
  it("divides the package price by the smallest units in it, exactly", () => {
    expect(unitPrice(36_000n, 7)).toEqual({ num: 36_000n, den: 7n });
    expect(unitPrice(36_000n, 12)).toEqual({ num: 3000n, den: 1n });
  });

  it('treats an unknown package quantity as "the package is the unit"', () => {
    for (const qty of [null, undefined, 0]) expect(unitPrice(7_000_000n, qty)).toEqual({ num: 7_000_000n, den: 1n });
  });

  it("refuses impossible package quantities", () => {
    for (const qty of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => unitPrice(1n, qty)).toThrow(RangeError);
    }
    expect(packageDivisor(10)).toBe(10n);
  });

  it("rounds the stored unit price half away from zero", () => {
    expect(unitPriceE4Rounded(36_000n, 7)).toBe(5143);
    expect(unitPriceE4Rounded(3n, 2)).toBe(2); // 1.5 → 2
    expect(unitPriceE4Rounded(5n, 2)).toBe(3); // 2.5 → 3, not banker's 2
    expect(unitPriceE4Rounded(-3n, 2)).toBe(-2);
    expect(unitPriceE4Rounded(946n, null)).toBe(946);
  });
});

describe("discountBasisPoints", () => {
  it("is null without a usable reference", () => {
    expect(discountBasisPoints(700n, null)).toBeNull();
    expect(discountBasisPoints(700n, undefined)).toBeNull();
    expect(discountBasisPoints(700n, 0n)).toBeNull();
    expect(discountBasisPoints(700n, -5n)).toBeNull();
  });

  it("rounds half away from zero on both sides", () => {
    // 1/20000 of the reference is exactly half a basis point.
    expect(discountBasisPoints(19_999n, 20_000n)).toBe(1);
    expect(discountBasisPoints(20_001n, 20_000n)).toBe(-1);
    expect(discountBasisPoints(39_999n, 40_000n)).toBe(0); // a quarter of a basis point
    expect(discountBasisPoints(0n, 1n)).toBe(10_000);
    expect(discountBasisPoints(parseYuan("200"), parseYuan("100"))).toBe(-10_000);
  });

  it("gives 0 for equal prices", () => {
    fc.assert(fc.property(positivePrice, (p) => discountBasisPoints(p, p) === 0));
  });

  it("is never negative and at most 100 % when the chosen price is at or below the reference", () => {
    fc.assert(
      fc.property(positivePrice, fc.bigInt({ min: 0n, max: 10n ** 12n }), (reference, k) => {
        const chosen = k % (reference + 1n); // 0 … reference
        const bp = discountBasisPoints(chosen, reference)!;
        expect(bp).toBeGreaterThanOrEqual(0);
        expect(bp).toBeLessThanOrEqual(10_000);
      }),
    );
  });

  it("is negative when the chosen price is above the reference by half a basis point or more, and never positive", () => {
    fc.assert(
      fc.property(positivePrice, fc.bigInt({ min: 1n, max: 10n ** 12n }), (reference, excess) => {
        const bp = discountBasisPoints(reference + excess, reference)!;
        expect(bp).toBeLessThanOrEqual(0);
        expect(bp < 0).toBe(excess * 20_000n >= reference);
      }),
    );
  });

  it("is an integer within [-∞, 100 %] for any non-negative chosen price, within half a basis point of the exact figure", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), (chosen, reference) => {
        const bp = discountBasisPoints(chosen, reference)!;
        expect(Number.isInteger(bp)).toBe(true);
        expect(bp).toBeLessThanOrEqual(10_000);
        const exact = (Number(reference - chosen) / Number(reference)) * 10_000;
        expect(Math.abs(bp - exact)).toBeLessThanOrEqual(0.5 + 1e-9);
      }),
    );
  });
});

describe("priceFigures", () => {
  it("flags a chosen price above its reference without throwing", () => {
    expect(priceFigures({ chosenPrice: parseYuan("12"), referencePrice: parseYuan("10"), packageQty: 10 })).toEqual({
      unitPrice: 1.2,
      referenceUnitPrice: 1,
      discountPct: -20,
      aboveReference: true,
    });
  });

  it("leaves reference figures null without a reference", () => {
    expect(priceFigures({ chosenPrice: parseYuan("0.0946"), referencePrice: null, packageQty: null })).toEqual({
      unitPrice: 0.0946,
      referenceUnitPrice: null,
      discountPct: null,
      aboveReference: false,
    });
  });

  it('does not call a price above a zero reference "above reference"', () => {
    const figures = priceFigures({ chosenPrice: 5n, referencePrice: 0n, packageQty: null });
    expect(figures.discountPct).toBeNull();
    expect(figures.aboveReference).toBe(false);
    expect(figures.referenceUnitPrice).toBe(0);
  });

  it("gives the same reduction whatever the package size, and flags exactly the prices above the reference", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), positivePrice, packageQty, (chosen, reference, qty) => {
        const figures = priceFigures({ chosenPrice: chosen, referencePrice: reference, packageQty: qty });
        expect(figures.discountPct).toBe(discountBasisPoints(chosen, reference)! / 100);
        expect(figures.aboveReference).toBe(chosen > reference);
      }),
    );
  });
});
