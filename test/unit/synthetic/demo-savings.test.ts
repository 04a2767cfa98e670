import { describe, expect, it } from "vitest";
import { DEMO_PRICES } from "../../../src/cli/demo.js";
import { fractionE4ToYuan, parseYuan, spendSaved } from "../../../src/domain/index.js";
import { SYNTHETIC_BATCH_DEFS, syntheticPrices, syntheticVolumes } from "../../../src/synthetic/index.js";

// The demo's figures must look like real ones: national batches report savings of 9–26 bn CNY a year
// (seeds/batches.csv: batch 4 12.4 bn, batch 6 9 bn, batch 7 18.5 bn, the stent 10.9 bn, the spine 26 bn).
describe("demo data: plausible savings out of the box", () => {
  const prices = [...syntheticPrices({ count: DEMO_PRICES, seed: 1 })];

  it("each national demo batch's projected saving (agreed volume × reduction per unit) is billions of yuan a year, not trillions", () => {
    const perBatch = new Map<string, number>();
    for (const r of prices) {
      if (r.referencePrice === "" || r.agreedVolume === "") continue;
      const saved = spendSaved({
        referencePrice: parseYuan(r.referencePrice),
        chosenPrice: parseYuan(r.chosenPrice),
        packageQty: Number(r.packageQty),
        units: BigInt(r.agreedVolume),
      });
      perBatch.set(r.batch, (perBatch.get(r.batch) ?? 0) + fractionE4ToYuan(saved, 2));
    }
    const national = SYNTHETIC_BATCH_DEFS.filter((b) => b.level === "national");
    expect(national.length).toBeGreaterThanOrEqual(3);
    for (const b of national) {
      const yuan = perBatch.get(b.id) ?? 0;
      expect(yuan, b.id).toBeGreaterThan(1e9);
      expect(yuan, b.id).toBeLessThan(5e10);
    }
    // Smaller batches save less: a one-province batch well under a national one.
    expect(perBatch.get("synthetic-drug-4")!).toBeLessThan(perBatch.get("synthetic-drug-5")! / 5);
  });

  it("regional agreed volumes add up to each price's national agreed volume, and purchases run near a twelfth of them a month", () => {
    const { agreed, volumes } = syntheticVolumes(prices);
    expect(agreed.length).toBeGreaterThan(500);
    expect(volumes.length).toBeGreaterThan(5000);
    const national = new Map(prices.map((p) => [`${p.batch}|${p.nhsaCode}`, Number(p.agreedVolume)]));
    const sums = new Map<string, number>();
    for (const a of agreed) sums.set(`${a.batch}|${a.nhsaCode}`, (sums.get(`${a.batch}|${a.nhsaCode}`) ?? 0) + Number(a.agreedVolume));
    for (const [key, sum] of sums) expect(sum, key).toBe(national.get(key));
    const bought = volumes.reduce((s, v) => s + Number(v.units), 0);
    const agreedMonthly = agreed.reduce((s, a) => s + Number(a.agreedVolume), 0) / 12;
    expect(bought / volumes.length).toBeGreaterThan(0);
    expect(bought).toBeGreaterThan(agreedMonthly * 0.5);
    expect(bought).toBeLessThan(agreedMonthly * 11 * 1.4);
    expect(syntheticVolumes(prices)).toEqual({ agreed, volumes });
  });
});
