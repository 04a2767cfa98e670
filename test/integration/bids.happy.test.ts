import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bids } from "../../src/db/schema";
import { type BidRecord, bidChunkStatements } from "../../src/import/kinds/bids-sql";
import { errorJson, okJson } from "../support/client";
import { apiClients, useTestWorld } from "../support/world";

// The real seeds carry the losing bids of national batches 1-4 beside their chosen prices.
describe("the bid landscape on the real seeds", () => {
  const world = useTestWorld();
  const { api } = apiClients(world);

  it("batch 4: 225 bids, 158 chosen from the published 118 firms, more firms bidding than chosen", async () => {
    const body = await okJson(api.batches[":id"].$get({ param: { id: "national-drug-4" } }));
    const { items, ...totals } = body.data.bidLandscape;
    expect(totals).toMatchObject({ losingBidsKnown: true, bids: 225, chosen: 158, losing: 67, chosenFirms: 118 });
    expect(totals.firms).toBeGreaterThan(118);
    // Chosen-price statistics are unchanged: losing bids never count there.
    expect(body.data.statistics).toMatchObject({ products: 158, firms: 118 });
    const ambroxol = items.find((g) => g.genericName === "氨溴索" && g.spec === "2ml:15mg");
    expect(ambroxol).toMatchObject({
      firms: 15,
      bids: 15,
      chosen: 9,
      losing: 6,
      lowestBid: 0.23,
      highestBid: 3.43,
      lowestChosen: 0.23,
      highestChosen: 0.66,
      lowestLosing: 0.689,
      ceilingUnitPrice: 3.44,
    });
    expect(ambroxol?.chosenFirms[0]).toBe("云南龙海");
    expect(ambroxol?.position).toMatchObject({ highestChosenRank: 9, pricedBids: 15, highestChosenToLowestBid: 2.87, losingBelowHighestChosen: 0 });
  });

  it("batch 3: a losing bid the table writes as 99999, above the ceiling, is counted as over the ceiling, never the highest bid", async () => {
    const body = await okJson(api.batches[":id"].$get({ param: { id: "national-drug-3" } }));
    const { items, ...totals } = body.data.bidLandscape;
    expect(totals.overCeiling).toBeGreaterThan(0);
    expect(items.every((g) => g.highestBid === null || g.highestBid < 99999)).toBe(true);
    // 二甲双胍 0.25g: 迪沙 and 郑州泰丰 bid 99999 against a ceiling of 0.2 a tablet.
    const metformin = items.find((g) => g.genericName === "二甲双胍" && g.dosageForm === "口服常释剂型" && g.strengthNormalized === "250mg");
    if (!metformin?.position) throw new Error("no priced 二甲双胍 250mg group in batch 3");
    expect(metformin.overCeiling).toBeGreaterThanOrEqual(2);
    expect(metformin.highestBid).toBeLessThanOrEqual(metformin.ceilingUnitPrice!);
    expect(metformin.position.pricedBids + metformin.overCeiling + metformin.unpriced).toBe(metformin.bids);
  });

  it("GET /batches/{id}/bids lists chosen and losing bids, cheapest first within a strength, paged", async () => {
    const bids = api.batches[":id"].bids;
    const query = { genericName: "氨溴索", limit: "10" };
    const first = await okJson(bids.$get({ param: { id: "national-drug-4" }, query }));
    expect(first.meta.total).toBe(16);
    expect(first.data).toHaveLength(10);
    const second = await okJson(bids.$get({ param: { id: "national-drug-4" }, query: { ...query, cursor: first.meta.nextCursor! } }));
    expect(second.meta.nextCursor).toBeNull();
    const all = [...first.data, ...second.data];
    expect(new Set(all.map((b) => `${b.outcome}${b.priceId ?? b.bidId}`)).size).toBe(16);
    const small = all.filter((b) => b.spec === "2ml:15mg").map((b) => b.bidUnitPrice!);
    expect(small).toEqual([...small].sort((a, b) => a - b));
    const boehringer = all.find((b) => b.manufacturerShort === "勃林格殷格翰");
    expect(boehringer).toMatchObject({ outcome: "not_chosen", priceId: null, bidUnitPrice: 3.43, originator: true, foreignFirm: true, ceilingUnitPrice: 3.44 });
    const losing = await okJson(bids.$get({ param: { id: "national-drug-4" }, query: { outcome: "not_chosen", limit: "500" } }));
    expect(losing.meta.total).toBe(67);
    expect(losing.data.every((b) => b.outcome === "not_chosen" && b.bidId !== null)).toBe(true);
  });

  it("a withdrawn 4+7 bid (流标) is a bid without a price and a group without position", async () => {
    const body = await okJson(api.batches[":id"].$get({ param: { id: "national-drug-1" } }));
    const failed = body.data.bidLandscape.items.filter((g) => g.chosen === 0);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((g) => g.unpriced === g.bids && g.position === null && g.lowestBid === null)).toBe(true);
  });

  it("the product answer shows its group's bids in each batch of its history", async () => {
    const bids = await okJson(
      api.batches[":id"].bids.$get({ param: { id: "national-drug-4" }, query: { genericName: "氨溴索", outcome: "chosen", limit: "1" } }),
    );
    const body = await okJson(api.products[":id"].$get({ param: { id: String(bids.data[0]!.productId) }, query: {} }));
    expect(body.data.bidLandscape).toHaveLength(1);
    expect(body.data.bidLandscape[0]).toMatchObject({ batch: { id: "national-drug-4" }, genericName: "氨溴索", spec: "2ml:15mg", firms: 15, chosen: 9 });
  });

  it("errors: an unknown batch is 404, a forged cursor 400", async () => {
    expect((await errorJson(api.batches[":id"].bids.$get({ param: { id: "no-such-batch" }, query: {} }))).status).toBe(404);
    const bad = await errorJson(api.batches[":id"].bids.$get({ param: { id: "national-drug-4" }, query: { cursor: "abc" } }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_cursor");
  });
});

describe("re-importing a losing bid", () => {
  const world = useTestWorld();

  it("leaves an unchanged bid alone and updates a changed one (the upsert names its columns through the schema)", async () => {
    const [stored] = await world.db.select().from(bids).where(sql`${bids.bidPriceE4} IS NOT NULL`).limit(1);
    if (!stored) throw new Error("the real seeds have priced losing bids");
    // as: the bid import reads only these product fields (bids-sql.ts).
    const product = { ...stored } as unknown as BidRecord["product"];
    const record: BidRecord = {
      type: "bid",
      batchId: stored.batchId,
      product,
      bidPriceE4: BigInt(stored.bidPriceE4!) as BidRecord["bidPriceE4"],
      bidUnitPriceE4: stored.bidUnitPriceE4,
      ceilingPriceE4: stored.ceilingPriceE4 === null ? null : (BigInt(stored.ceilingPriceE4) as BidRecord["ceilingPriceE4"]),
      preVbpPriceE4: stored.preVbpPriceE4 === null ? null : (BigInt(stored.preVbpPriceE4) as BidRecord["preVbpPriceE4"]),
      source: stored.source,
      synthetic: stored.synthetic,
    };
    const read = async () => (await world.db.select().from(bids).where(eq(bids.id, stored.id)))[0]!;
    for (const s of bidChunkStatements([record])) await world.db.run(s);
    expect(await read()).toEqual(stored);
    const raised = { ...record, bidPriceE4: (BigInt(stored.bidPriceE4!) + 100n) as BidRecord["bidPriceE4"] };
    for (const s of bidChunkStatements([raised])) await world.db.run(s);
    const after = await read();
    expect(after.bidPriceE4).toBe(stored.bidPriceE4! + 100);
    expect(after.updatedAt > stored.updatedAt).toBe(true);
  });
});
