import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PriceQuery, searchPrices } from "../../src/services/prices";
import { createTestWorld, type TestWorld } from "../support/test-db";

/**
 * Counts from summaries, checked against the prices themselves. A minimum reduction inside a band of
 * 10 % (61.81 %) is counted from search_cells for the whole bands above it and, for the band it cuts,
 * from the prices in that band read through the groups' reduction indexes (drizzle/0019); a maximum
 * unit price from search_price_cells for the bands of unit price below its own and the prices of its
 * own band (drizzle/0020). On the shipped real results, each total and facet must equal what the
 * pages themselves hold when walked to the end (the pages read prices, never the cells), for bounds
 * inside and on band edges, alone and with a place, a firm fragment or a name.
 */
let world: TestWorld;
beforeAll(async () => {
  world = await createTestWorld();
});
afterAll(() => world.close());

async function walk(query: PriceQuery): Promise<{ total: number; ids: number[]; byBatch: Map<string, number> }> {
  const ids: number[] = [];
  const byBatch = new Map<string, number>();
  let cursor: string | undefined;
  let total = -1;
  for (let guard = 0; guard < 200; guard++) {
    const page = await searchPrices(world.db, { include: "ended", limit: 200, ...query, cursor });
    total = page.total;
    for (const item of page.items) {
      ids.push(item.id);
      byBatch.set(item.batch.id, (byBatch.get(item.batch.id) ?? 0) + 1);
    }
    if (!page.nextCursor) return { total, ids, byBatch };
    cursor = page.nextCursor;
  }
  throw new Error("too many pages");
}

const scopes: PriceQuery[] = [
  {},
  { province: "广东省" },
  { region: "广州市" },
  { region: "大连市" },
  { region: "厦门市", q: "片" },
  { manufacturer: "制药" },
  { q: "片" },
  { q: "阿托伐他汀" },
];

/** Walks each bound in order (each keeping no more prices than the one before) in every scope. */
async function expectCountsHold(bounds: PriceQuery[]): Promise<void> {
  let nonEmpty = 0;
  for (const scope of scopes) {
    let previous = Number.POSITIVE_INFINITY;
    for (const bound of bounds) {
      const query = { ...scope, ...bound };
      const label = JSON.stringify(query);
      const got = await walk(query);
      expect(new Set(got.ids).size, label).toBe(got.ids.length);
      expect(got.total, label).toBe(got.ids.length);
      expect(got.total, label).toBeLessThanOrEqual(previous);
      previous = got.total;
      const page = await searchPrices(world.db, { include: "ended", limit: 1, ...query });
      for (const facet of page.facets?.batch ?? []) expect(facet.count, `${label} ${facet.id}`).toBe(got.byBatch.get(facet.id) ?? 0);
      if (got.total > 0) nonEmpty++;
    }
  }
  // The real results hold prices in most of these scopes: the comparison is not between empty sets.
  expect(nonEmpty).toBeGreaterThan(bounds.length * 3);
}

describe("counts from summaries equal the prices the pages hold", () => {
  it("under a minimum reduction, inside a band of 10 % or on its edge", { timeout: 120_000 }, async () => {
    await expectCountsHold([0.01, 37.25, 50, 61.81, 73.5, 89.99, 95.5].map((minDiscount) => ({ minDiscount })));
  });

  it("under a maximum unit price, inside a band of unit price or on its edge", { timeout: 120_000 }, async () => {
    // From dear to cheap: 1 yuan (10,000 e4) starts a band; 0.0999 ends one; 0 keeps only prices of zero.
    const maxima = [5000, 120.5, 20, 19.9999, 1, 0.9999, 0.35, 0.0999, 0.0001, 0];
    await expectCountsHold(maxima.map((maxUnitPrice) => ({ maxUnitPrice })));
  });
});

describe("counts under a minimum reduction and a maximum unit price together", () => {
  it("equal the prices the pages hold, whether the cheap prices are read or the dearer ones subtracted", { timeout: 120_000 }, async () => {
    // A maximum above most prices: the reduction's cells less the dearer prices; a low one: the cheap prices read.
    const bounds = [
      { minDiscount: 0.01, maxUnitPrice: 5000 },
      { minDiscount: 50, maxUnitPrice: 5000 },
      { minDiscount: 61.81, maxUnitPrice: 5000 },
      { minDiscount: 61.81, maxUnitPrice: 120.5 },
      { minDiscount: 73.5, maxUnitPrice: 20 },
      { minDiscount: 73.5, maxUnitPrice: 1 },
      { minDiscount: 89.99, maxUnitPrice: 0.35 },
    ];
    await expectCountsHold(bounds);
  });
});

describe("counts of a city from its province's cells", () => {
  it("equal the prices the pages hold, in groups with and without prices listing cities", { timeout: 120_000 }, async () => {
    // The real results list cities (the 4+7 pilot: 广州市, 大连市) and provinces; both kinds of group occur.
    const [row] = await world.db.all<{ cities: number; provinces: number }>(
      sql`SELECT sum(regions LIKE '%,______,%') AS cities, sum(regions <> '' AND regions NOT LIKE '%,______,%') AS provinces FROM price_search`,
    );
    expect(row?.cities).toBeGreaterThan(0);
    expect(row?.provinces).toBeGreaterThan(0);
    const cities = await world.db.all<{ name: string }>(sql`SELECT name FROM regions WHERE level = 'city' ORDER BY code`);
    expect(cities.length).toBeGreaterThan(10);
    let nonEmpty = 0;
    for (const { name } of cities) {
      for (const extra of [{}, { minDiscount: 52.5 }]) {
        const query = { region: name, ...extra };
        const got = await walk(query);
        expect(got.total, JSON.stringify(query)).toBe(got.ids.length);
        if (got.total > 0) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(cities.length);
  });
});
