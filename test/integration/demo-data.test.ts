import { beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/cli/demo";
import { okJson } from "../support/client";
import { apiClients, useTestWorld } from "../support/world";

// npm run demo loads regional agreed volumes and purchases beside the synthetic prices, so the
// savings and progress answers have figures out of the box (a smaller demo here, for time).
describe("the demo data set through the API", () => {
  const world = useTestWorld();
  const { api } = apiClients(world);
  beforeAll(async () => {
    await loadDemo(world.db, 2_000);
  }, 120_000);

  it("progress answers 完成率 per province for demo prices against their own agreed volumes", async () => {
    const body = await okJson(api.progress.$get({ query: { batch: "synthetic-drug-5", asOf: "2026-12-01", limit: "50" } }));
    const withRegions = body.data.filter((p) => p.agreedVolumeFrom === "regions");
    expect(withRegions.length).toBeGreaterThan(0);
    for (const p of withRegions) {
      expect(p.regions.length).toBeGreaterThan(0);
      // Eleven months of purchases at 60–130 % of a twelfth of the agreed volume: 完成率 between 55 % and 120 %.
      for (const r of p.regions) {
        expect(r.region.name).toMatch(/省|市|自治区/);
        expect(r.completionPct).toBeGreaterThan(50);
        expect(r.completionPct).toBeLessThan(125);
      }
    }
  });

  it("savings show realized spending and fund saved for 2026, at the stated 70 % fund share", async () => {
    const body = await okJson(api.savings.$get({ query: { groupBy: "batch", from: "2026-01", to: "2026-11" } }));
    const totals = body.meta.totals;
    expect(totals.spendSaved).toBeGreaterThan(0);
    expect(totals.fundSaved).toBeGreaterThan(0);
    expect(totals.fundSaved / totals.spendSaved).toBeCloseTo(0.7, 2);
  });
});
