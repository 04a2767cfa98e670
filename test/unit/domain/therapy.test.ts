import { describe, expect, it } from "vitest";
import { fraction, parseYuan } from "../../../src/domain/money.js";
import { unitPrice } from "../../../src/domain/pricing.js";
import { monthlyTherapyCost, therapyCost } from "../../../src/domain/therapy.js";

describe("monthlyTherapyCost", () => {
  it("is unit price × units a day × 30 days by default, in yuan to 2 places", () => {
    expect(monthlyTherapyCost(unitPrice(parseYuan("0.0946"), null))).toBe(2.84); // 2.838
    expect(monthlyTherapyCost(unitPrice(parseYuan("0.0946"), null), 3)).toBe(8.51); // 8.514
  });

  it("takes fractional doses and other periods exactly", () => {
    // half a 0.1-yuan tablet a day for 28 days = 1.4 yuan, no float drift
    expect(monthlyTherapyCost(unitPrice(parseYuan("0.1"), null), 0.5, 28)).toBe(1.4);
    // 1/3 e4 a unit × 3 a day × 30 days = 30 e4 = 0.003 yuan → 0.00; at 50 a day 500 e4 = 0.05
    expect(monthlyTherapyCost(fraction(1n, 3n), 3)).toBe(0);
    expect(monthlyTherapyCost(fraction(1n, 3n), 50)).toBe(0.05);
  });

  it("rounds half away from zero at the fen", () => {
    // 0.0005 yuan a unit × 30 = 0.015 yuan → 0.02
    expect(monthlyTherapyCost(fraction(5n), 1, 30)).toBe(0.02);
  });

  it("refuses negative or non-finite doses and periods", () => {
    expect(() => monthlyTherapyCost(fraction(1n), -1)).toThrow(RangeError);
    expect(() => monthlyTherapyCost(fraction(1n), 1, Number.NaN)).toThrow(RangeError);
    expect(() => monthlyTherapyCost(fraction(1n), Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe("therapyCost", () => {
  const drug = { category: "drug" as const, chosenPriceE4: 36000n, packageQty: 7 };
  it("is per smallest unit × units a day × 30 for a drug, with units per day as given", () => {
    // 3.6 per box of 7: 0.514285…/片; 2 a day for 30 days = 30.857… → 30.86
    expect(therapyCost({ ...drug, unitsPerDay: 2 })).toEqual({ monthlyCost: 30.86, unitsPerDay: 2, unitsPerDaySource: "given", note: null });
  });
  it("takes the defined daily dose when the product has one, else 1 a day and says so", () => {
    expect(therapyCost({ ...drug, dddUnitsPerDay: 0.5 })).toMatchObject({ monthlyCost: 7.71, unitsPerDay: 0.5, unitsPerDaySource: "ddd" });
    const assumed = therapyCost(drug);
    expect(assumed).toMatchObject({ monthlyCost: 15.43, unitsPerDay: 1, unitsPerDaySource: "default" });
    expect(assumed.note).toContain("每日 1 个");
  });
  it("is never given for a device, nor when the package size is unknown, and says why", () => {
    expect(therapyCost({ category: "device", chosenPriceE4: 7_000_000n, packageQty: 1 })).toMatchObject({
      monthlyCost: null,
      note: expect.stringContaining("医用耗材"),
    });
    expect(therapyCost({ ...drug, packageQty: null, unitsPerDay: 1 })).toMatchObject({ monthlyCost: null, note: expect.stringContaining("转换比") });
  });
});
