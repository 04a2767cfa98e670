import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseYuan } from "../../../src/domain/money.js";
import { discountBasisPoints } from "../../../src/domain/pricing.js";
import { type BatchStatisticsItem, batchStatistics } from "../../../src/domain/stats.js";

function item(productId: number, discountBp: number | null, manufacturer: string | null = null): BatchStatisticsItem {
  return { productId, discountBp, manufacturer };
}

describe("batchStatistics", () => {
  it("answers counts and nulls for an empty batch", () => {
    expect(batchStatistics([])).toEqual({
      products: 0,
      firms: 0,
      pricedWithReference: 0,
      meanDiscountPct: null,
      medianDiscountPct: null,
      minDiscountPct: null,
      maxDiscountPct: null,
      volumeWeightedDiscountPct: null,
      meanBaseline: null,
      primaryBaselines: { ceiling: 0, pre_vbp: 0 },
      byBaseline: {
        ceiling: { priced: 0, meanDiscountPct: null, medianDiscountPct: null, minDiscountPct: null, maxDiscountPct: null },
        pre_vbp: { priced: 0, meanDiscountPct: null, medianDiscountPct: null, minDiscountPct: null, maxDiscountPct: null },
      },
    });
  });

  it("says which baseline the mean is against and gives each baseline its own figures", () => {
    const both = (productId: number, ceilingBp: number, preVbpBp: number | null): BatchStatisticsItem => ({
      productId,
      manufacturer: null,
      discountBp: ceilingBp,
      referenceKind: "ceiling",
      ceilingDiscountBp: ceilingBp,
      preVbpDiscountBp: preVbpBp,
    });
    const ceilingOnly = batchStatistics([both(1, 2000, 6000), both(2, 3000, null)]);
    expect(ceilingOnly.meanBaseline).toBe("ceiling");
    expect(ceilingOnly.meanDiscountPct).toBe(25);
    expect(ceilingOnly.byBaseline.ceiling).toEqual({ priced: 2, meanDiscountPct: 25, medianDiscountPct: 25, minDiscountPct: 20, maxDiscountPct: 30 });
    expect(ceilingOnly.byBaseline.pre_vbp).toEqual({ priced: 1, meanDiscountPct: 60, medianDiscountPct: 60, minDiscountPct: 60, maxDiscountPct: 60 });
    const preVbpOnly: BatchStatisticsItem = {
      productId: 3,
      manufacturer: null,
      discountBp: 5000,
      referenceKind: "pre_vbp",
      ceilingDiscountBp: null,
      preVbpDiscountBp: 5000,
    };
    const mixed = batchStatistics([both(1, 2000, 6000), preVbpOnly]);
    expect(mixed.meanBaseline).toBe("mixed");
    expect(mixed.primaryBaselines).toEqual({ ceiling: 1, pre_vbp: 1 });
    expect(mixed.meanDiscountPct).toBe(35);
    expect(mixed.byBaseline.pre_vbp.meanDiscountPct).toBe(55);
    expect(batchStatistics([preVbpOnly]).meanBaseline).toBe("pre_vbp");
  });

  it("counts distinct products and distinct trimmed, non-empty firms", () => {
    const stats = batchStatistics([
      item(1, 9462, "乐普医疗"),
      item(1, 9462, " 乐普医疗 "),
      item(2, null, "微创医疗"),
      item(3, 8144, "  "),
      item(4, 9770, null),
      item(5, 5000, ""),
    ]);
    expect(stats.products).toBe(5);
    expect(stats.firms).toBe(2);
    expect(stats.pricedWithReference).toBe(5);
  });

  it("computes mean, median, min and max of the reductions that exist", () => {
    const stats = batchStatistics([item(1, 9462), item(2, 8144), item(3, null), item(4, 9770)]);
    // mean (9462 + 8144 + 9770) / 3 = 9125.33… bp
    expect(stats.meanDiscountPct).toBe(91.25);
    expect(stats.medianDiscountPct).toBe(94.62);
    expect(stats.minDiscountPct).toBe(81.44);
    expect(stats.maxDiscountPct).toBe(97.7);
  });

  it("takes the mean of the two middle reductions as the median of an even count, rounded half away from zero", () => {
    // middle pair 5001 and 5002 → 5001.5 bp → 50.015 % → 50.02 %
    expect(batchStatistics([item(1, 9000), item(2, 5002), item(3, 5001), item(4, 100)]).medianDiscountPct).toBe(50.02);
    // middle pair −5001 and −5002 → −50.015 % → −50.02 %
    expect(batchStatistics([item(1, -9000), item(2, -5002), item(3, -5001), item(4, -100)]).medianDiscountPct).toBe(-50.02);
  });

  it("rounds the mean half away from zero and includes negative reductions", () => {
    expect(batchStatistics([item(1, 1), item(2, 0)]).meanDiscountPct).toBe(0.01); // 0.005 % → 0.01 %
    expect(batchStatistics([item(1, -1), item(2, 0)]).meanDiscountPct).toBe(-0.01);
    expect(batchStatistics([item(1, -2000), item(2, 4000)]).meanDiscountPct).toBe(10);
  });

  it("sorts reductions numerically, not as text", () => {
    const stats = batchStatistics([item(1, 900), item(2, 10_000), item(3, -50)]);
    expect(stats.minDiscountPct).toBe(-0.5);
    expect(stats.maxDiscountPct).toBe(100);
    expect(stats.medianDiscountPct).toBe(9);
  });

  it("weights the reduction by volume per smallest unit", () => {
    const stats = batchStatistics([
      // 10 a unit → 1 a unit, 1000 units: saves 9000 of 10000
      { productId: 1, discountBp: 9000, manufacturer: "A", referencePrice: parseYuan("100"), chosenPrice: parseYuan("10"), packageQty: 10, volume: 1000n },
      // 50 → 40 a package, 100 packages: saves 1000 of 5000
      { productId: 2, discountBp: 2000, manufacturer: "B", referencePrice: parseYuan("50"), chosenPrice: parseYuan("40"), packageQty: null, volume: 100n },
      // no reference, no volume, zero volume: all ignored
      { productId: 3, discountBp: null, manufacturer: "C", referencePrice: null, chosenPrice: parseYuan("1"), packageQty: 1, volume: 10n },
      { productId: 4, discountBp: 5000, manufacturer: "D", referencePrice: parseYuan("2"), chosenPrice: parseYuan("1"), packageQty: 1, volume: null },
      { productId: 5, discountBp: 5000, manufacturer: "E", referencePrice: parseYuan("2"), chosenPrice: parseYuan("1"), packageQty: 1, volume: 0n },
    ]);
    // 10000 / 15000 = 66.666… %
    expect(stats.volumeWeightedDiscountPct).toBe(66.67);
    expect(stats.meanDiscountPct).toBe(52.5);
  });

  it("has no volume-weighted reduction without volumes", () => {
    const stats = batchStatistics([
      { productId: 1, discountBp: 9462, manufacturer: "A", referencePrice: parseYuan("13000"), chosenPrice: parseYuan("700"), packageQty: null },
    ]);
    expect(stats.volumeWeightedDiscountPct).toBeNull();
  });

  it("equals the plain reduction, whatever the volumes, when every item has the same prices", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 6n }), { minLength: 1, maxLength: 20 }),
        (reference, k, packageQty, volumes) => {
          const chosen = k % (reference + 1n);
          const bp = discountBasisPoints(chosen, reference)!;
          const items = volumes.map((volume, i) => ({
            productId: i,
            discountBp: bp,
            manufacturer: `F${i % 3}`,
            referencePrice: reference,
            chosenPrice: chosen,
            packageQty,
            volume,
          }));
          const stats = batchStatistics(items);
          expect(stats.volumeWeightedDiscountPct).toBe(bp / 100);
          expect(stats.meanDiscountPct).toBe(bp / 100);
          expect(stats.firms).toBe(Math.min(volumes.length, 3));
        },
      ),
    );
  });

  it("keeps mean, median, min and max ordered", () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: -50_000, max: 10_000 }), { nil: null }), { maxLength: 50 }), (bps) => {
        const stats = batchStatistics(bps.map((bp, i) => item(i, bp)));
        const present = bps.filter((bp): bp is number => bp !== null);
        expect(stats.pricedWithReference).toBe(present.length);
        if (present.length === 0) return;
        expect(stats.minDiscountPct).toBe(Math.min(...present) / 100);
        expect(stats.maxDiscountPct).toBe(Math.max(...present) / 100);
        for (const figure of [stats.meanDiscountPct!, stats.medianDiscountPct!]) {
          expect(figure).toBeGreaterThanOrEqual(stats.minDiscountPct!);
          expect(figure).toBeLessThanOrEqual(stats.maxDiscountPct!);
        }
        const exactMean = present.reduce((a, b) => a + b, 0) / present.length / 100;
        expect(Math.abs(stats.meanDiscountPct! - exactMean)).toBeLessThanOrEqual(0.005 + 1e-9);
      }),
    );
  });
});
