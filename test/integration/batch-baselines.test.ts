import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { refreshBatchStats } from "../../src/services/batches";
import { okJson } from "../support/client";
import { apiClients, useTestWorld } from "../support/world";

// Batch statistics say which baseline each mean uses, next to the published figure and its baseline.
describe("batch statistics and their baselines, on the real seeds", () => {
  const world = useTestWorld();
  const { api } = apiClients(world);
  const batch = (id: string) => okJson(api.batches[":id"].$get({ param: { id } }));

  it("batch 4: the primary mean is against the ceiling; the published 52 % is against prices before procurement, compared with byBaseline.pre_vbp", async () => {
    const body = await batch("national-drug-4");
    const { statistics: s, published: p } = body.data;
    expect(s.meanBaseline).toBe("ceiling");
    expect(s.primaryBaselines).toEqual({ ceiling: 158, pre_vbp: 0 });
    expect(s.meanDiscountPct).toBe(s.byBaseline.ceiling.meanDiscountPct);
    // 116 of the 158 chosen prices carry a pre-procurement median (中标前中位价) in the workbook.
    expect(s.byBaseline.pre_vbp.priced).toBe(116);
    expect(s.byBaseline.pre_vbp.meanDiscountPct).toBe(71.7);
    expect(s.byBaseline.ceiling.meanDiscountPct).toBe(68.39);
    expect(p).toMatchObject({ meanDiscountPct: 52, meanDiscountBaseline: "pre_vbp" });
    expect(p.meanDiscountBaselineSource).toMatch(/2021-02-03/);
  });

  it("the 4+7 pilot has only pre-procurement prices (企业近三年平均价): its mean is against them, like the published 52 % (与2017年最低采购价相比)", async () => {
    const body = await batch("national-drug-1");
    expect(body.data.statistics.meanBaseline).toBe("pre_vbp");
    expect(body.data.statistics.byBaseline.ceiling.priced).toBe(0);
    expect(body.data.published.meanDiscountBaseline).toBe("pre_vbp");
    expect(body.data.published.meanDiscountBaselineStatedAs).toContain("2017年");
  });

  it("a batch whose source does not say its baseline answers null, not a guess", async () => {
    const body = await batch("national-drug-5");
    expect(body.data.published.meanDiscountPct).toBe(56);
    expect(body.data.published).toMatchObject({ meanDiscountBaseline: null, meanDiscountBaselineStatedAs: null, meanDiscountBaselineSource: null });
    expect(body.data.statistics.meanBaseline).toBeNull();
  });

  it("the list carries the same baselines", async () => {
    const body = await okJson(api.batches.$get({ query: { level: "national" } }));
    const b3 = body.data.find((b) => b.id === "national-drug-3");
    if (!b3) throw new Error("national-drug-3 is not listed");
    expect(b3.statistics.meanBaseline).toBe("ceiling");
    expect(b3.statistics.byBaseline.pre_vbp.priced).toBeGreaterThan(0);
    expect(b3.published.meanDiscountBaseline).toBe("pre_vbp");
  });

  it("statistics stored by an older version (no baselines, no landscape) are recomputed when read", async () => {
    await world.db.run(sql`UPDATE batch_stats SET stats = json_remove(stats, '$.byBaseline', '$.bidLandscape') WHERE batch_id = 'national-drug-4'`);
    const body = await batch("national-drug-4");
    expect(body.data.statistics.byBaseline.pre_vbp.meanDiscountPct).toBe(71.7);
    expect(body.data.bidLandscape.bids).toBe(225);
  });

  it("statistics gathered in pages of a few prices equal those gathered in one (a million-price batch is read a page at a time)", async () => {
    const stored = async () =>
      (await world.db.all<{ id: string; stats: string }>(sql`SELECT batch_id AS id, stats FROM batch_stats ORDER BY batch_id`)).map((r) => ({
        id: r.id,
        stats: JSON.parse(r.stats),
      }));
    const ids = (await world.db.all<{ id: string }>(sql`SELECT id FROM batches`)).map((r) => r.id);
    await refreshBatchStats(world.db, ids, 1_000_000);
    const whole = await stored();
    await world.db.run(sql`UPDATE batch_stats SET stats = '{}'`);
    await refreshBatchStats(world.db, ids, 7);
    const paged = await stored();
    expect(paged).toEqual(whole);
    const b4 = paged.find((b) => b.id === "national-drug-4")?.stats;
    expect(b4).toMatchObject({ products: 158, primaryBaselines: { ceiling: 158, pre_vbp: 0 } });
    expect(b4.byBaseline.pre_vbp).toMatchObject({ priced: 116, meanDiscountPct: 71.7 });
    expect(b4.byBaseline.ceiling.meanDiscountPct).toBe(68.39);
    // The bid landscape is gathered in the same pages: 225 offers of batch 4, 158 chosen and 67 losing.
    expect(b4.bidLandscape).toMatchObject({ bids: 225, chosen: 158, losing: 67, losingBidsKnown: true });
  });
});
