// The checks DOMAIN.md says must hold with the seed articles.
import { describe, expect, it } from "vitest";
import {
  discountBasisPoints,
  fractionE4ToYuan,
  fundSaved,
  monthlyTherapyCost,
  parseYuan,
  priceFigures,
  spendSaved,
  unitPrice,
  unitPriceE4Rounded,
} from "../../../src/domain/index.js";

describe("DOMAIN.md checks", () => {
  it("coronary stent 13000 → 700 is a 94.62 % reduction", () => {
    expect(discountBasisPoints(parseYuan("700"), parseYuan("13000"))).toBe(9462);
    expect(priceFigures({ chosenPrice: parseYuan("700"), referencePrice: parseYuan("13000"), packageQty: null })).toEqual({
      unitPrice: 700,
      referenceUnitPrice: 13000,
      discountPct: 94.62,
      aboveReference: false,
    });
  });

  it("knee joint 39443 → 7321 saves 32122 per set and is an 81.44 % reduction", () => {
    const saved = spendSaved({ referencePrice: parseYuan("39443"), chosenPrice: parseYuan("7321"), packageQty: null, units: 1n });
    expect(fractionE4ToYuan(saved, 2)).toBe(32122);
    expect(priceFigures({ chosenPrice: parseYuan("7321"), referencePrice: parseYuan("39443"), packageQty: 1 }).discountPct).toBe(81.44);
  });

  it("atorvastatin calcium tablets 156.8 → 3.6 per box is a 97.70 % reduction", () => {
    const figures = priceFigures({ chosenPrice: parseYuan("3.6"), referencePrice: parseYuan("156.8"), packageQty: 7 });
    expect(figures.discountPct).toBe(97.7);
    expect(discountBasisPoints(parseYuan("3.6"), parseYuan("156.8"))).toBe(9770);
  });

  it("3.6 per 7-tablet box is 0.5143 per tablet", () => {
    const figures = priceFigures({ chosenPrice: parseYuan("3.6"), referencePrice: parseYuan("156.8"), packageQty: 7 });
    expect(figures.unitPrice).toBe(0.5143);
    expect(figures.referenceUnitPrice).toBe(22.4);
    expect(unitPriceE4Rounded(parseYuan("3.6"), 7)).toBe(5143);
  });

  it("a stent bought 10 times at a 72.8 % fund share saves 123000 spending and 89544 fund", () => {
    const spend = spendSaved({ referencePrice: parseYuan("13000"), chosenPrice: parseYuan("700"), packageQty: null, units: 10n });
    expect(fractionE4ToYuan(spend, 2)).toBe(123000);
    expect(fractionE4ToYuan(fundSaved(spend, 7280), 2)).toBe(89544);
  });

  it("atorvastatin at one tablet a day costs under 20 yuan a month (每月药费 20 元以下)", () => {
    // 3.6 / 7 = 0.514285… yuan a tablet, × 30 = 15.428… yuan.
    expect(monthlyTherapyCost(unitPrice(parseYuan("3.6"), 7))).toBe(15.43);
  });
});
