import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PriceQuery, type PriceSort, searchPrices } from "../../src/services/prices";
import type { SearchTuning } from "../../src/services/search-tuning";
import { recording } from "../support/recording-db";
import { createTestWorld, type TestWorld } from "../support/test-db";
import { WALK_TUNING } from "./search-world";

/**
 * Lists without a text query, and lists in an explicit order, on the shipped real national results:
 * the page is read by walking the sort's index (when the matched prices are a good share of all) or
 * through the matched groups' ranges (when they are few). Both ways must give every page exactly as
 * a plain ORDER BY over every price gives it, cursors included.
 */
const WALK = WALK_TUNING;
/** Every page through the matched groups' own ranges, one read each. */
const RANGES: SearchTuning = { ...WALK, maxScanWindow: 0 };
/** Every page through the matched groups' ranges as one arm (their keys as a list, one correlated read each), never one SELECT per range. */
const ONE_ARM: SearchTuning = { ...RANGES, groupsArmFrom: 1, maxMergeArms: 0 };
/** As ONE_ARM, with the ranges' first prices by unit price or by reduction merged in one compound SELECT whenever there are two or more. */
const MERGED: SearchTuning = { ...RANGES, groupsArmFrom: 1, maxMergeArms: 400, armCostRows: -1_000_000 };
/** Every page through the matched groups' ranges, one SELECT each however many. */
const PER_RANGE: SearchTuning = { ...RANGES, groupsArmFrom: 1_000_000 };
/** Every page through one IN list of the matched groups, sorted whole. */
const ONE_LIST: SearchTuning = { ...RANGES, maxGroupArms: 0 };
/** Windows far too short: every walk ends before its page is full and the page is read the other way. */
const SHORT: SearchTuning = { ...WALK, scanSlack: 0.01 };

let world: TestWorld;
beforeAll(async () => {
  world = await createTestWorld();
});
afterAll(() => world.close());

type Row = { id: number; unit: number; discount: number | null; batch: string; level: string; category: string };

async function allPrices(): Promise<Row[]> {
  return world.db.all<Row>(sql`SELECT p.id AS id, p.unit_price_e4 AS unit, p.discount_bp AS discount, p.batch_id AS batch, b.level AS level, pr.category AS category
    FROM prices p JOIN batches b ON b.id = p.batch_id JOIN products pr ON pr.id = p.product_id`);
}

/** The order a user asked for, with ties by id in the same direction. */
function expectedOrder(rows: Row[], sort: Exclude<PriceSort, "relevance">): number[] {
  const key = (r: Row) => {
    if (sort === "unitPrice" || sort === "-unitPrice") return r.unit;
    return r.discount ?? (sort === "discount" ? 1e9 : -1e9);
  };
  const dir = sort.startsWith("-") ? -1 : 1;
  return [...rows].sort((a, b) => dir * (key(a) - key(b) || a.id - b.id)).map((r) => r.id);
}

async function walk(query: PriceQuery, tuning: SearchTuning, db = world.db): Promise<{ ids: number[]; totals: number[] }> {
  const ids: number[] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 400; guard++) {
    const page = await searchPrices(db, { include: "ended", ...query, cursor }, tuning);
    ids.push(...page.items.map((i) => i.id));
    totals.push(page.total);
    if (!page.nextCursor) return { ids, totals };
    cursor = page.nextCursor;
  }
  throw new Error("too many pages");
}

describe("lists in an explicit order, on the real national results", () => {
  const sorts = ["unitPrice", "-unitPrice", "discount", "-discount"] as const;
  const filters: Array<{ query: PriceQuery; keep: (r: Row) => boolean }> = [
    { query: {}, keep: () => true },
    { query: { batch: "national-drug-3" }, keep: (r) => r.batch === "national-drug-3" },
    { query: { level: "national", minDiscount: 73.5 }, keep: (r) => r.level === "national" && r.discount !== null && r.discount >= 7350 },
    { query: { maxUnitPrice: 0.85 }, keep: (r) => r.unit <= 8500 },
    { query: { minDiscount: 96, maxUnitPrice: 3 }, keep: (r) => r.discount !== null && r.discount >= 9600 && r.unit <= 30000 },
  ];

  it("every page equals a plain ORDER BY, whichever way it is read", { timeout: 60_000 }, async () => {
    const merged: string[] = [];
    const mergedByReduction: string[] = [];
    const rows = await allPrices();
    expect(rows.length).toBeGreaterThan(500);
    for (const { query, keep } of filters) {
      const kept = rows.filter(keep);
      expect(kept.length, JSON.stringify(query)).toBeGreaterThan(0);
      for (const sort of sorts) {
        const expected = expectedOrder(kept, sort);
        for (const [name, tuning] of [
          ["walk", WALK],
          ["ranges", RANGES],
          ["ranges as one arm", ONE_ARM],
          ["ranges one SELECT each", PER_RANGE],
          ["one list", ONE_LIST],
          ["short windows", SHORT],
          ["ranges merged", MERGED],
        ] as const) {
          const seen = recording(world.db);
          const got = await walk({ ...query, sort, limit: 37 }, tuning, seen.db);
          if (tuning === MERGED && (sort === "unitPrice" || sort === "-unitPrice"))
            merged.push(...seen.texts().filter((s) => /UNION ALL .* ORDER BY u (ASC|DESC), id (ASC|DESC) LIMIT/s.test(s)));
          if (tuning === MERGED && (sort === "discount" || sort === "-discount"))
            mergedByReduction.push(...seen.texts().filter((s) => /_discount_idx .* UNION ALL .* ORDER BY v (ASC|DESC), id (ASC|DESC) LIMIT/s.test(s)));
          const label = `${JSON.stringify(query)} ${sort} (${name})`;
          expect(got.ids, label).toEqual(expected);
          expect(new Set(got.totals), label).toEqual(new Set([kept.length]));
        }
      }
    }
    expect(merged.length, "pages by unit price read as one merged compound SELECT").toBeGreaterThan(0);
    expect(mergedByReduction.length, "pages by reduction read as one merged compound SELECT of the reduction indexes").toBeGreaterThan(0);
  });

  it("a list without a query puts prices in force first, then the cheapest unit price", async () => {
    const page = await searchPrices(world.db, { limit: 100, include: "ended", asOf: "2021-06-01" });
    expect(page.items.length).toBe(100);
    const key = page.items.map((i) => [i.state === "in_force" ? 0 : 1, Number(i.unitPrice)] as const);
    expect(key).toEqual([...key].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    const everything = await walk({ limit: 100, asOf: "2021-06-01" }, WALK);
    expect(everything.ids.length).toBe((await allPrices()).length);
    expect(new Set(everything.ids).size).toBe(everything.ids.length);
  });

  it("a name sorted by reduction under narrowing filters reads its few groups whole instead of walking the reduction order", async () => {
    for (const query of [
      { q: "恩替卡韦", province: "广东省", manufacturer: "有限公司" },
      { q: "阿托伐他汀", region: "山西省" },
      { q: "氨氯地平", minDiscount: 50 },
    ] satisfies PriceQuery[]) {
      for (const sort of ["discount", "-discount"] as const) {
        const label = `${JSON.stringify(query)} ${sort}`;
        const { db, texts } = recording(world.db);
        const first = await searchPrices(db, { include: "ended", ...query, sort, limit: 2 }, WALK);
        expect(first.total, label).toBeGreaterThan(0);
        expect(
          texts().some((t) => /LIMIT 1 OFFSET/.test(t)),
          `${label}: no window of the reduction order`,
        ).toBe(false);
        // Every page as the whole matched set sorted gives it.
        expect(await walk({ ...query, sort, limit: 2 }, WALK), label).toEqual(await walk({ ...query, sort, limit: 2 }, ONE_LIST));
      }
    }
  });
  it("a sorted list whose filters match nothing answers at once, reading no price", async () => {
    for (const query of [
      { q: "阿托伐他汀", manufacturer: "没有这家企业" },
      { q: "atfttgp", minDiscount: 99.99 },
      { manufacturer: "有限公司", maxUnitPrice: 0.0001 },
    ] satisfies PriceQuery[]) {
      for (const sort of ["unitPrice", "-unitPrice", "discount", "-discount"] as const) {
        const label = `${JSON.stringify(query)} ${sort}`;
        for (const tuning of [WALK, RANGES, ONE_LIST]) {
          const { db, texts } = recording(world.db);
          const page = await searchPrices(db, { include: "ended", ...query, sort, limit: 5 }, tuning);
          expect(page, label).toMatchObject({ items: [], total: 0, nextCursor: null });
          // Only the count of the matched groups reads price rows (the total it answers is 0).
          const reads = texts().filter(
            (t) => !/^SELECT json_group_array\(json_array\("?kind\b/.test(t) && /FROM "?(prices|price_search|search_code_prices)"?\s/.test(t),
          );
          expect(reads, `${label}: no read of prices`).toEqual([]);
        }
      }
    }
  });
});
