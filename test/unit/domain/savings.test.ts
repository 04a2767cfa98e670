import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fractionE4ToYuan, parseYuan } from "../../../src/domain/money.js";
import { percentToBasisPoints } from "../../../src/domain/percent.js";
import { fundSaved, type SavingsRow, spendSaved, totalSavings } from "../../../src/domain/savings.js";

describe("spendSaved", () => {
  it("multiplies the per-unit saving by smallest units", () => {
    // 156.8 → 3.6 per 7-tablet box: 21.885714… yuan a tablet; 70 tablets save 1532 yuan.
    const saved = spendSaved({ referencePrice: parseYuan("156.8"), chosenPrice: parseYuan("3.6"), packageQty: 7, units: 70n });
    expect(saved).toEqual({ num: 15_320_000n, den: 1n });
  });

  it("keeps fractions of a unit price exact", () => {
    // (1 − 0) / 3 per unit, 3 units: exactly 1 e4, not 0.9999….
    const saved = spendSaved({ referencePrice: 1n, chosenPrice: 0n, packageQty: 3, units: 3n });
    expect(saved).toEqual({ num: 1n, den: 1n });
  });

  it("is zero without a usable reference", () => {
    expect(spendSaved({ referencePrice: null, chosenPrice: 700n, packageQty: null, units: 10n })).toEqual({ num: 0n, den: 1n });
    expect(spendSaved({ referencePrice: 0n, chosenPrice: 700n, packageQty: null, units: 10n })).toEqual({ num: 0n, den: 1n });
  });

  it("is negative when the chosen price is above the reference", () => {
    const saved = spendSaved({ referencePrice: parseYuan("10"), chosenPrice: parseYuan("12"), packageQty: 4, units: 8n });
    expect(fractionE4ToYuan(saved, 2)).toBe(-4);
  });
});

describe("fundSaved", () => {
  it("takes the fund share in basis points of percent", () => {
    expect(fundSaved({ num: 10_000n, den: 1n }, 7280)).toEqual({ num: 7280n, den: 1n });
    expect(fundSaved({ num: 1n, den: 3n }, 5000)).toEqual({ num: 1n, den: 6n });
    expect(fundSaved({ num: 123n, den: 1n }, 0)).toEqual({ num: 0n, den: 1n });
    expect(fundSaved({ num: 123n, den: 1n }, 10_000)).toEqual({ num: 123n, den: 1n });
  });

  it("refuses shares that are not whole basis points from 0 to 100 %", () => {
    for (const bp of [-1, 10_001, 72.8, Number.NaN]) expect(() => fundSaved({ num: 1n, den: 1n }, bp)).toThrow(RangeError);
  });

  it("pairs with percentToBasisPoints for shares given in percent", () => {
    expect(percentToBasisPoints(72.8)).toBe(7280);
    expect(percentToBasisPoints(0.07)).toBe(7); // 0.07 × 100 is 7.000000000000001 in floats
    expect(() => percentToBasisPoints(72.805)).toThrow(RangeError);
  });
});

// Rows with small prices and awkward package sizes, so unit prices are repeating decimals.
const row: fc.Arbitrary<SavingsRow> = fc.record({
  referencePrice: fc.option(fc.bigInt({ min: 0n, max: 10n ** 9n }), { nil: null }),
  chosenPrice: fc.bigInt({ min: 0n, max: 10n ** 9n }),
  packageQty: fc.option(fc.integer({ min: 0, max: 97 }), { nil: null }),
  units: fc.bigInt({ min: 0n, max: 10n ** 6n }),
  amountPaid: fc.option(fc.bigInt({ min: 0n, max: 10n ** 12n }), { nil: null }),
  fundShareBp: fc.integer({ min: 0, max: 10_000 }),
});

// Independent oracle: one common denominator, no reduction, no shared helpers.
function oracleSpendFen(rows: SavingsRow[]): bigint {
  let num = 0n;
  let den = 1n;
  for (const r of rows) {
    if (r.referencePrice === null || r.referencePrice <= 0n) continue;
    const qty = BigInt(r.packageQty || 1);
    num = num * qty + (r.referencePrice - r.chosenPrice) * r.units * den;
    den *= qty;
  }
  // e4 → fen is / 100; round half away from zero by hand.
  const scaledDen = den * 100n;
  const sign = num < 0n ? -1n : 1n;
  const abs = num * sign;
  return sign * ((abs * 2n + scaledDen) / (scaledDen * 2n));
}

describe("totalSavings", () => {
  it("adds units, amounts paid and savings with each row’s own fund share", () => {
    const totals = totalSavings([
      { referencePrice: parseYuan("13000"), chosenPrice: parseYuan("700"), packageQty: null, units: 10n, amountPaid: parseYuan("7000"), fundShareBp: 7280 },
      { referencePrice: parseYuan("156.8"), chosenPrice: parseYuan("3.6"), packageQty: 7, units: 70n, fundShareBp: 5000 },
      { referencePrice: null, chosenPrice: parseYuan("1"), packageQty: 1, units: 5n, amountPaid: null, fundShareBp: 10_000 },
    ]);
    expect(totals.units).toBe(85n);
    expect(totals.amountPaid).toBe(parseYuan("7000"));
    expect(fractionE4ToYuan(totals.spendSaved, 2)).toBe(124_532);
    expect(fractionE4ToYuan(totals.fundSaved, 2)).toBe(90_310);
  });

  it("is all zeros for no rows", () => {
    expect(totalSavings([])).toEqual({ units: 0n, amountPaid: 0n, spendSaved: { num: 0n, den: 1n }, fundSaved: { num: 0n, den: 1n } });
  });

  it("is exact to the fen whatever the order of the rows", () => {
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 40 }).chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length }))),
        ([rows, shuffled]) => {
          const inOrder = totalSavings(rows);
          const reordered = totalSavings(shuffled);
          expect(reordered).toEqual(inOrder);
          const fen = oracleSpendFen(rows);
          expect(fractionE4ToYuan(inOrder.spendSaved, 2)).toBe(Number(fen) / 100);
          expect(fractionE4ToYuan(reordered.spendSaved, 2)).toBe(Number(fen) / 100);
        },
      ),
    );
  });
});
