import { describe, expect, it } from "vitest";
import { okJson } from "../support/client";
import { apiClients, useTestWorld } from "../support/world";

// The figures DOMAIN.md says must hold with the seed articles, read back through the typed client.
describe("seeded article prices through the API", () => {
  const world = useTestWorld();
  const { api } = apiClients(world);

  it("atorvastatin 156.8 → 3.6 per box is a 97.70 % reduction", async () => {
    const body = await okJson(api.prices.$get({ query: { q: "阿托伐他汀" } }));
    const item = body.data.find((p) => p.product.genericName === "阿托伐他汀钙片" && !p.synthetic);
    expect(item).toBeDefined();
    expect(item!.chosenPrice).toBe(3.6);
    expect(item!.referencePrice).toBe(156.8);
    expect(item!.referenceKind).toBe("pre_vbp");
    expect(item!.discountPct).toBe(97.7);
    expect(item!.batch.id).toBe("national-drug-1");
    expect(item!.supplyRegions).toEqual([{ code: "140200", name: "大同市" }]);
    expect(item!.synthetic).toBe(false);
    expect(item!.source).toContain("000_6fc67b874ba05c0f.txt");
  });

  it("coronary stent 13000 → 700 is 94.62 %", async () => {
    const body = await okJson(api.prices.$get({ query: { q: "冠脉支架" } }));
    const stent = body.data.find((p) => p.product.genericName === "冠脉支架")!;
    expect(stent.discountPct).toBe(94.62);
    expect(stent.chosenPrice).toBe(700);
    expect(stent.unitPrice).toBe(700);
    expect(stent.product.category).toBe("device");
  });

  it("knee joint 39443 → 7321 saves 32122 per set, 81.44 %", async () => {
    const body = await okJson(api.prices.$get({ query: { batch: "national-device-joint" } }));
    expect(body.data).toHaveLength(1);
    const knee = body.data[0]!;
    expect(knee.discountPct).toBe(81.44);
    expect(knee.referencePrice! - knee.chosenPrice).toBe(32122);
  });

  it("every published batch is listed with its published figures beside the computed ones", async () => {
    const body = await okJson(api.batches.$get({ query: {} }));
    expect(body.meta.total).toBe(14);
    const b4 = body.data.find((b) => b.id === "national-drug-4")!;
    expect(b4.name).toBe("第四批国家组织药品集中采购");
    expect(b4.published).toMatchObject({ items: 45, products: 158, firms: 118, meanDiscountPct: 52, maxDiscountPct: 96 });
    // The real results of batch 4 are seeded (seeds/prices-national.csv): the computed figures match the published ones.
    expect(b4.statistics).toMatchObject({ products: 158, firms: 118 });
    const stent = body.data.find((b) => b.id === "national-device-stent")!;
    expect(stent.published.meanDiscountPct).toBe(93);
    expect(stent.statistics).toMatchObject({ products: 1, meanDiscountPct: 94.62, medianDiscountPct: 94.62 });
  });
});
