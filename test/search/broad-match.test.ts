import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client";
import { runImport } from "../../src/services/imports";
import { type PriceQuery, searchPrices as searchInForce } from "../../src/services/prices";

/** These answers are compared with plain SQL over every price, whatever its state. */
const searchPrices: typeof searchInForce = (db, query, tuning) => searchInForce(db, { include: "ended", ...query }, tuning);

import type { SearchTuning } from "../../src/services/search-tuning";
import { recording } from "../support/recording-db";
import type { TestWorld } from "../support/test-db";
import { createSearchWorld } from "./search-world";

/**
 * At a million prices, a word in every firm name (演示, 制药) and a code prefix shared by 100,000
 * products (SYND00001) are counted from kept sums (search_groups, search_code_groups) and paged
 * through a window of the global unit-price order. Lowered thresholds make this fixture of a few
 * dozen prices take those paths; the answers must equal the ordinary paths' and plain SQL's.
 */
const FAST: SearchTuning = {
  maxCodeIds: 1,
  maxRangesPerKey: 0,
  maxFirmRanges: 0,
  maxScanWindow: 1_000_000,
  scanSlack: 4,
  maxGroupArms: 400,
  armCostRows: 50,
  groupsArmFrom: 1_000_000,
  maxMergeArms: 0,
  maxCodeRangeRows: 0,
  codeScanFromRows: 1_000_000,
};
/** Windows too short to fill most pages: the scan gives up and the page is read range by range. */
const SHORT: SearchTuning = { ...FAST, scanSlack: 0.3 };
/** Windows of a few steps: a start of a code is tested on each product's row rather than built as a set of products. */
const FEW_STEPS: SearchTuning = { ...FAST, scanSlack: 0.01 };
/** As SHORT, but a key's many ranges are always read as one set, never one arm per range. */
const SHORT_ONE_SET: SearchTuning = { ...SHORT, maxGroupArms: 0 };
/** Firms' groups kept as ranges of their own, and arms taken as free: a page reads n from each range. */
const BY_RANGES: SearchTuning = { ...FAST, maxFirmRanges: 1_000_000, armCostRows: 0 };
/** As BY_RANGES, with the ranges read as one arm (their keys as a list, one correlated read each). */
const BY_ONE_ARM: SearchTuning = { ...BY_RANGES, groupsArmFrom: 1 };
/** As BY_ONE_ARM, with the ranges merged in one compound SELECT ordered and limited as a whole, whenever there are two or more. */
const MERGED: SearchTuning = { ...BY_ONE_ARM, maxMergeArms: 400, armCostRows: -1_000_000 };
/** A start of a code read as one range of search_code_prices whatever its size, never through the unit-price order. */
const CODE_RANGE: SearchTuning = { ...FAST, maxCodeRangeRows: 1_000_000 };
/** A start of a code read first in unit-price order through search_code_prices_price_idx, within a window, whatever its size. */
const CODE_SCAN: SearchTuning = { ...CODE_RANGE, codeScanFromRows: 0 };
/** As CODE_SCAN, with windows too short to fill most pages: the range is then read whole. */
const CODE_SCAN_SHORT: SearchTuning = { ...CODE_SCAN, scanSlack: 0.3 };
const ORDINARY: SearchTuning = {
  maxCodeIds: 1_000_000,
  maxRangesPerKey: 1_000_000,
  maxFirmRanges: 1_000_000,
  maxScanWindow: 0,
  scanSlack: 4,
  maxGroupArms: 400,
  armCostRows: 50,
  groupsArmFrom: 1_000_000,
  maxMergeArms: 0,
  maxCodeRangeRows: 0,
  codeScanFromRows: 1_000_000,
};

let world: TestWorld;
beforeAll(async () => {
  world = await createSearchWorld();
});
afterAll(() => world.close());

/** Every page of a query, with the total and facets each page reported. */
async function walk(db: Db, query: PriceQuery, tuning: SearchTuning) {
  const ids: number[] = [];
  const metas: unknown[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await searchPrices(db, { ...query, cursor }, tuning);
    ids.push(...page.items.map((i) => i.id));
    metas.push({ total: page.total, facets: page.facets });
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { ids, metas };
}

type Truth = { total: number; batch: Record<string, number>; category: Record<string, number>; level: Record<string, number> };

/** Total and facets straight from prices, products and batches. */
async function truth(where: SQL): Promise<Truth> {
  const rows = await world.db.all<{ batch: string; category: string; level: string; n: number }>(sql`
    SELECT p.batch_id AS batch, pr.category AS category, b.level AS level, count(*) AS n
    FROM prices p JOIN products pr ON pr.id = p.product_id JOIN batches b ON b.id = p.batch_id
    WHERE ${where} GROUP BY 1, 2, 3`);
  const out: Truth = { total: 0, batch: {}, category: {}, level: {} };
  for (const r of rows) {
    out.total += r.n;
    out.batch[r.batch] = (out.batch[r.batch] ?? 0) + r.n;
    out.category[r.category] = (out.category[r.category] ?? 0) + r.n;
    out.level[r.level] = (out.level[r.level] ?? 0) + r.n;
  }
  return out;
}

function asTruth(page: Awaited<ReturnType<typeof searchPrices>>): Truth {
  const f = page.facets!;
  return {
    total: page.total,
    batch: Object.fromEntries(f.batch.map((b) => [b.id, b.count])),
    category: Object.fromEntries(f.category.map((c) => [c.category, c.count])),
    level: Object.fromEntries(f.level.map((l) => [l.level, l.count])),
  };
}

describe("broad matches", () => {
  it("a code prefix shared by many products: exact total and facets from the kept sums of code starts", async () => {
    for (const prefix of ["XC10", "XC10AAA0", "国药准字H1", "XC1"]) {
      const { db, texts } = recording(world.db);
      const page = await searchPrices(db, { q: prefix.toLowerCase(), limit: 2 }, FAST);
      expect(
        texts().some((s) => s.includes("FROM search_code_groups")),
        prefix,
      ).toBe(true);
      const expected = await truth(sql`(pr.nhsa_code LIKE ${`${prefix}%`} OR pr.approval_no LIKE ${`${prefix}%`})`);
      expect(expected.total, prefix).toBeGreaterThan(3);
      expect(asTruth(page), prefix).toEqual(expected);
    }
  });

  it("a code prefix of many products: each page is the cheapest of one range of search_code_prices, not a walk of the unit-price order", async () => {
    for (const prefix of ["xc10", "国药准字h1"]) {
      const { db, texts } = recording(world.db);
      const page = await searchPrices(db, { q: prefix, limit: 2 }, CODE_RANGE);
      expect(page.items.length, prefix).toBe(2);
      expect(
        texts().some((s) => s.includes("FROM search_code_prices ps WHERE (ps.code >= ")),
        prefix,
      ).toBe(true);
      expect(
        texts().some((s) => s.includes("CROSS JOIN price_search ps") || s.includes("ps.product_id IN")),
        prefix,
      ).toBe(false);
      // Filters, sorts and places too: the range's rows carry every column they read (and the count under them).
      const sorted: PriceQuery[] = [
        { sort: "unitPrice" },
        { sort: "-unitPrice", minDiscount: 10 },
        { sort: "discount" },
        { sort: "-discount", province: "33" },
      ];
      for (const query of sorted) {
        const { db, texts } = recording(world.db);
        await searchPrices(db, { q: prefix, limit: 2, ...query }, CODE_RANGE);
        expect(texts().filter((s) => s.includes("FROM search_code_prices ps")).length, `${prefix} ${JSON.stringify(query)}`).toBeGreaterThan(0);
      }
      const filtered: PriceQuery[] = [
        { minDiscount: 50 },
        { province: "33" },
        { maxUnitPrice: 5, include: "ended" },
        { region: "浙江省" },
        // Group filters under row filters: tested once per group of the start, not on each price.
        { batch: "fx-current", minDiscount: 10 },
        { include: "ended", level: "national", province: "33" },
        { asOf: "2019-06-01", maxUnitPrice: 5, sort: "-discount" },
      ];
      for (const filters of [
        {},
        { category: "drug" as const },
        { batch: "fx-current" },
        { include: "ended" as const, level: "national" as const },
        ...filtered,
        ...sorted,
      ]) {
        const ordinary = await walk(world.db, { q: prefix, limit: 2, ...filters }, ORDINARY);
        expect(await walk(world.db, { q: prefix, limit: 2, ...filters }, CODE_RANGE), `${prefix} ${JSON.stringify(filters)}`).toEqual(ordinary);
        // Through the sort's own order, each product's codes tested on its row (short windows) or the
        // start's set of products; or the start's own rows in unit-price order, within a window.
        for (const tuning of [FAST, SHORT, CODE_SCAN, CODE_SCAN_SHORT]) {
          expect(await walk(world.db, { q: prefix, limit: 2, ...filters }, tuning), `${prefix} ${JSON.stringify(filters)} ${tuning.scanSlack}`).toEqual(
            ordinary,
          );
        }
        expect(await walk(world.db, { q: prefix, limit: 1, ...filters }, FEW_STEPS), `${prefix} ${JSON.stringify(filters)} few steps`).toEqual(
          await walk(world.db, { q: prefix, limit: 1, ...filters }, ORDINARY),
        );
      }
    }
  });

  it("a code prefix of many prices: a page is first looked for in unit-price order among the codes, and the range read only when the window ends short", async () => {
    // XC10's prices spread over the fixture's unit-price order (国药准字H1's do not: its range is read, and
    // both answer as the ordinary paths do in the walks above).
    for (const prefix of ["xc10"]) {
      const { db, texts } = recording(world.db);
      const page = await searchPrices(db, { q: prefix, limit: 2 }, CODE_SCAN);
      expect(page.items.length, prefix).toBe(2);
      expect(page.items.map((i) => i.id)).toEqual((await searchPrices(world.db, { q: prefix, limit: 2 }, ORDINARY)).items.map((i) => i.id));
      const scans = texts().filter((s) => s.includes("INDEXED BY search_code_prices_price_idx"));
      // Where to begin and end from the start's cells, then the page; no read of the range whole.
      expect(
        texts().some((s) => s.includes("FROM search_code_price_cells")),
        prefix,
      ).toBe(true);
      expect(scans.length, prefix).toBe(1);
      expect(texts().filter((s) => s.includes("FROM search_code_prices ps WHERE (ps.code >= ")).length, prefix).toBe(0);
    }
  });

  it("a code prefix under a maximum unit price: exact total and facets from the bands below the maximum and a read of the band it cuts", async () => {
    const prices = (await world.db.all<{ u: number }>(sql`SELECT DISTINCT unit_price_e4 AS u FROM prices ORDER BY 1`)).map((r) => r.u);
    // Every price of the fixture, a step either side, the ends of bands (1.0000, 1.9999, 2.0000) and no bound at all.
    const maxes = [...new Set([...prices.flatMap((u) => [u - 1, u, u + 1]), 0, 9999, 10000, 19999, 20000, 1e12])];
    let byBands = 0;
    for (const prefix of ["XC10", "XC1", "国药准字H1", "国药准字H2", "XC10AAA05", "XC10AAA052A"]) {
      for (const maxE4 of maxes) {
        for (const filters of [{ include: "ended" as const }, { asOf: "2019-06-01" }, { batch: "fx-current", sort: "-discount" as const }]) {
          const { db, texts } = recording(world.db);
          const page = await searchPrices(db, { q: prefix, limit: 2, maxUnitPrice: maxE4 / 10000, ...filters }, CODE_RANGE);
          if (texts().some((t) => t.includes("FROM search_code_price_cells"))) byBands++;
          const label = `${prefix} ≤ ${maxE4 / 10000} ${JSON.stringify(filters)}`;
          const codes = sql`(pr.nhsa_code LIKE ${`${prefix}%`} OR pr.approval_no LIKE ${`${prefix}%`}) AND p.unit_price_e4 <= ${maxE4}`;
          const ordinary = await searchPrices(world.db, { q: prefix, limit: 2, maxUnitPrice: maxE4 / 10000, ...filters }, ORDINARY);
          expect({ total: page.total, facets: page.facets }, label).toEqual({ total: ordinary.total, facets: ordinary.facets });
          if ("include" in filters) expect(asTruth(page), label).toEqual(await truth(codes));
          // Sorted by reduction: the total alone (no facets).
          if ("batch" in filters) expect(page.total, label).toBe((await truth(sql`${codes} AND p.batch_id = 'fx-current'`)).total);
        }
      }
    }
    // Most of them: a start longer than the cells keep (XC10AAA052A: eleven characters) or a band
    // holding more rows than the start's own range is read instead.
    expect(byBands).toBeGreaterThan(maxes.length * 3);
  });

  it("a code prefix whose groups the group filters all exclude reads none of its range", async () => {
    const query: PriceQuery = { q: "xc10", category: "device", minDiscount: 1, sort: "unitPrice", limit: 2 };
    expect((await searchPrices(world.db, query, ORDINARY)).total).toBe(0);
    const { db, texts } = recording(world.db);
    const page = await searchPrices(db, query, CODE_RANGE);
    expect(page.total).toBe(0);
    expect(page.items).toEqual([]);
    expect(texts().some((s) => s.includes("FROM search_code_prices"))).toBe(false);
  });

  it("a word in many firm names: exact total and facets, and the page read from a window of the unit-price order", async () => {
    const { db, texts } = recording(world.db);
    const page = await searchPrices(db, { q: "药业", limit: 2 }, FAST);
    expect(texts().some((s) => s.includes("FROM prices p CROSS JOIN price_search ps"))).toBe(true);
    expect(asTruth(page)).toEqual(await truth(sql`pr.manufacturer LIKE '%药业%'`));
  });

  it("a fragment of a few firms' names with many prices each: the page reads a few from each firm's range, not a scan or a sort of all", async () => {
    // Three firms of six prices each in one batch: 3 ranges × 2 rows read against 18 prices.
    const header = "batch,category,genericName,dosageForm,spec,packageText,manufacturer,chosenPrice,referencePrice,referenceKind,source,synthetic";
    const lines = ["甲", "乙", "丙"].flatMap((firm, f) =>
      [1, 2, 3, 4, 5, 6].map(
        (i) => `fx-current,drug,试验药${i}号片,片剂,${i}mg,10片/盒,${firm}康药业有限公司,${(9 - i + f * 0.5).toFixed(2)},20,ceiling,fixture,true`,
      ),
    );
    const more = await createSearchWorld();
    try {
      const report = await runImport(more.db, { kind: "prices", bytes: new TextEncoder().encode([header, ...lines].join("\n")), actor: "test" });
      expect(report.errors).toEqual([]);
      const { db, texts } = recording(more.db);
      const page = await searchPrices(db, { q: "康药业", limit: 1 }, BY_RANGES);
      expect(page.total).toBe(18);
      expect(texts().some((s) => s.includes("FROM prices p CROSS JOIN price_search ps"))).toBe(false);
      const union = texts().find((s) => s.includes(" UNION ALL ") && s.includes("ps.firm_id = "));
      expect(union, "one arm per firm range").toBeDefined();
      expect(union).not.toMatch(/ps\.firm_id IN \(/);
      const byRanges = await walk(more.db, { q: "康药业", limit: 1 }, BY_RANGES);
      expect(byRanges.ids).toHaveLength(18);
      expect(byRanges).toEqual(await walk(more.db, { q: "康药业", limit: 1 }, ORDINARY));
      expect(byRanges).toEqual(await walk(more.db, { q: "康药业", limit: 1 }, SHORT_ONE_SET));
      const oneArm = recording(more.db);
      expect(await walk(oneArm.db, { q: "康药业", limit: 1 }, BY_ONE_ARM)).toEqual(byRanges);
      const arm = oneArm.texts().find((s) => s.includes("INDEXED BY price_search_firm_rank_idx"));
      expect(arm, "the firms' ranges as one arm").toBeDefined();
      expect(arm).not.toContain(" UNION ALL ");
      const merged = recording(more.db);
      expect(await walk(merged.db, { q: "康药业", limit: 1 }, MERGED)).toEqual(byRanges);
      const compound = merged.texts().find((s) => s.includes("INDEXED BY price_search_firm_rank_idx"));
      expect(compound, "the firms' ranges merged: one term each, ordered and limited as a whole").toMatch(
        /firm_id = \d+ .* UNION ALL .*firm_id = \d+ .* ORDER BY u ASC, id ASC LIMIT 2\)/s,
      );
    } finally {
      more.close();
    }
  });

  it("every page, total and facet equals the ordinary paths', with and without filters", { timeout: 90_000 }, async () => {
    const cases: PriceQuery[] = [];
    for (const q of ["药业", "制药", "xc10", "xc1", "国药准字h1", "他汀", "阿", "华海 20mg"]) {
      cases.push({ q }, { q, category: "drug" }, { q, batch: "fx-current" }, { q, level: "national" }, { q, minDiscount: 50 });
    }
    for (const query of cases) {
      for (const limit of [1, 2, 5]) {
        const fast = await walk(world.db, { ...query, limit }, FAST);
        const short = await walk(world.db, { ...query, limit }, SHORT);
        const oneSet = await walk(world.db, { ...query, limit }, SHORT_ONE_SET);
        const byRanges = await walk(world.db, { ...query, limit }, BY_RANGES);
        const oneArm = await walk(world.db, { ...query, limit }, BY_ONE_ARM);
        const merged = await walk(world.db, { ...query, limit }, MERGED);
        const codeRange = await walk(world.db, { ...query, limit }, CODE_RANGE);
        const ordinary = await walk(world.db, { ...query, limit }, ORDINARY);
        expect(fast, `${JSON.stringify(query)} limit ${limit}`).toEqual(ordinary);
        expect(short, `${JSON.stringify(query)} limit ${limit}, short windows`).toEqual(ordinary);
        expect(oneSet, `${JSON.stringify(query)} limit ${limit}, short windows, one set`).toEqual(ordinary);
        expect(byRanges, `${JSON.stringify(query)} limit ${limit}, firms' ranges`).toEqual(ordinary);
        expect(oneArm, `${JSON.stringify(query)} limit ${limit}, ranges as one arm`).toEqual(ordinary);
        expect(merged, `${JSON.stringify(query)} limit ${limit}, ranges merged`).toEqual(ordinary);
        expect(codeRange, `${JSON.stringify(query)} limit ${limit}, code ranges`).toEqual(ordinary);
        const whole = await searchPrices(world.db, { ...query, limit: 200 });
        expect(fast.ids).toEqual(whole.items.map((i) => i.id));
      }
    }
  });

  it("a code prefix keeps its counts when codes, categories and cycles change", async () => {
    const count = async () => asTruth(await searchPrices(world.db, { q: "xc10", limit: 1 }, FAST));
    const expected = () => truth(sql`(pr.nhsa_code LIKE 'XC10%' OR pr.approval_no LIKE 'XC10%')`);
    const before = await count();
    await world.db.run(sql`UPDATE products SET nhsa_code = 'YB01' || substr(nhsa_code, 5) WHERE nhsa_code = 'XC10AAA052A001010100001'`);
    await world.db.run(sql`UPDATE products SET category = 'device' WHERE nhsa_code LIKE 'XC10AAA078%'`);
    await world.db.run(sql`UPDATE batches SET cycle_end = '2099-12-31' WHERE id = 'fx-past'`);
    const after = await count();
    expect(after.total).toBeLessThan(before.total);
    expect(after.category.device).toBeGreaterThan(0);
    expect(after).toEqual(await expected());
    const moved = asTruth(await searchPrices(world.db, { q: "yb01", limit: 1 }, FAST));
    expect(moved).toEqual(await truth(sql`pr.nhsa_code LIKE 'YB01%'`));
    expect(moved.total).toBe(2);
    // The pages follow the moves too: search_code_prices keeps each price under its product's codes.
    for (const q of ["xc10", "yb01"]) expect(await walk(world.db, { q, limit: 1 }, CODE_RANGE), q).toEqual(await walk(world.db, { q, limit: 1 }, ORDINARY));
    // A batch now holds two categories under xc10: its prices are counted per category, not per batch.
    for (const filters of [
      { minDiscount: 10 },
      { category: "device" as const, include: "ended" as const, province: "33" },
      { batch: "fx-past", maxUnitPrice: 50 },
      // One of the batch's two groups picked: its other category's prices stay out of every page.
      { category: "device" as const, include: "ended" as const },
      { category: "drug" as const, sort: "unitPrice" as const },
      { category: "device" as const, include: "ended" as const, sort: "-discount" as const },
    ]) {
      const query = { q: "xc10", limit: 2, ...filters };
      const ordinary = await walk(world.db, query, ORDINARY);
      expect(ordinary.ids.length, JSON.stringify(filters)).toBeGreaterThan(0);
      expect(await walk(world.db, query, CODE_RANGE), JSON.stringify(filters)).toEqual(ordinary);
    }
  });
});
