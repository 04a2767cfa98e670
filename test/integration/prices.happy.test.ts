import { beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/cli/demo";
import { okJson } from "../support/client";
import { type Api, apiClients, useTestWorld } from "../support/world";

type PriceQuery = NonNullable<Parameters<Api["prices"]["$get"]>[0]>["query"];

describe("GET /api/v1/prices filters, sorts and pages", () => {
  const world = useTestWorld();
  const { api } = apiClients(world);
  beforeAll(async () => {
    await loadDemo(world.db, 600);
  });

  // Sorts, filters and pages over every price (the demo holds ended batches too), through the typed client.
  const get = (query: PriceQuery) => okJson(api.prices.$get({ query: { include: "ended", ...query } }));

  it("walks every row exactly once with the cursor, for each sort", async () => {
    const all = await get({ limit: "1" });
    const total = all.meta.total;
    expect(total).toBeGreaterThan(600);
    for (const sort of ["relevance", "discount", "-discount", "unitPrice", "-unitPrice"] as const) {
      const seen = new Set<number>();
      let cursor: string | null = null;
      let pages = 0;
      do {
        const body: Awaited<ReturnType<typeof get>> = await get({ sort, limit: "200", ...(cursor ? { cursor } : {}) });
        for (const p of body.data) {
          expect(seen.has(p.id), `${sort}: id ${p.id} repeated`).toBe(false);
          seen.add(p.id);
        }
        cursor = body.meta.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      expect(seen.size, sort).toBe(total);
    }
  });

  it("sorts by reduction, highest first, with unknown reductions last", async () => {
    const body = await get({ sort: "-discount", limit: "200" });
    const known = body.data.map((p) => p.discountPct).filter((d): d is number => d !== null);
    expect(known).toEqual([...known].sort((a, b) => b - a));
  });

  it("sorts by unit price, cheapest first", async () => {
    const body = await get({ sort: "unitPrice", limit: "100" });
    const prices = body.data.map((p) => p.unitPrice);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });

  it("filters by batch, level, category, manufacturer, minDiscount and maxUnitPrice together", async () => {
    const body = await get({ category: "drug", level: "alliance", minDiscount: "50", maxUnitPrice: "2", limit: "200" });
    expect(body.data.length).toBeGreaterThan(0);
    for (const p of body.data) {
      expect(p.product.category).toBe("drug");
      expect(p.batch.level).toBe("alliance");
      expect(p.discountPct).toBeGreaterThanOrEqual(50);
      expect(p.unitPrice).toBeLessThanOrEqual(2);
    }
    const firm = body.data[0]!.product.manufacturer!;
    const byFirm = await get({ manufacturer: firm, limit: "200" });
    expect(byFirm.data.every((p) => p.product.manufacturer === firm)).toBe(true);
    const byBatch = await get({ batch: "national-device-stent" });
    expect(byBatch.data.map((p) => p.product.genericName)).toEqual(["冠脉支架"]);
  });

  it("filters by region by code or name, including prices supplied to a parent region or nationwide", async () => {
    const byCity = await get({ region: "阿拉善盟", category: "device", limit: "200" });
    const names = byCity.data.map((p) => p.product.genericName);
    expect(names).toContain("人工膝关节");
    expect(names).toContain("冠脉支架");
    const byCode = await get({ region: "152900", category: "device", limit: "200" });
    expect(byCode.meta.total).toBe(byCity.meta.total);
    const daTong = await get({ region: "140200", batch: "national-device-joint" });
    expect(daTong.data).toHaveLength(0);
    for (const p of byCity.data) {
      const codes = p.supplyRegions.map((r) => r.code);
      expect(p.nationwide || codes.includes("152900") || codes.includes("15")).toBe(true);
    }
  });

  it("answers one price by id with batch and product", async () => {
    const list = await get({ limit: "1" });
    const first = list.data[0]!;
    const one = await okJson(api.prices[":id"].$get({ param: { id: String(first.id) } }));
    expect(one.data).toEqual(first);
  });

  it("marks synthetic rows", async () => {
    const body = await get({ q: "演示", limit: "5" });
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.data.every((p) => p.synthetic === true)).toBe(true);
  });
});
