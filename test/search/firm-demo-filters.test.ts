import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PriceQuery, searchPrices } from "../../src/services/prices";
import type { SearchTuning } from "../../src/services/search-tuning";
import { createTestWorld, type TestWorld } from "../support/test-db";
import { WALK_TUNING } from "./search-world";

/**
 * `manufacturer=` is read as the firms whose name holds the fragment (the search dictionary) and
 * `synthetic=` as the batches that hold such prices, instead of a test on every price. On the real
 * national results, with one batch marked demo data and one mixing both, every page must hold
 * exactly what a LIKE and a flag over every price keep, in the order asked for, with the same total.
 */
const WALK = WALK_TUNING;
const RANGES: SearchTuning = { ...WALK, maxScanWindow: 0 };
/** The ranges as one arm (group-arms.ts), however few. */
const ONE_ARM: SearchTuning = { ...RANGES, groupsArmFrom: 1 };
/** The ranges one SELECT each, however many. */
const PER_RANGE: SearchTuning = { ...RANGES, groupsArmFrom: 1_000_000 };

type Row = { id: number; unit: number; discount: number | null; firm: string | null; synthetic: number };

let world: TestWorld;
let rows: Row[];
beforeAll(async () => {
  world = await createTestWorld();
  // Batch 2 all demo data, batch 3 a third of it: the two ways a flag can pick a batch's prices.
  await world.db.run(sql`UPDATE prices SET synthetic = 1 WHERE batch_id = 'national-drug-2' OR (batch_id = 'national-drug-3' AND id % 3 = 0)`);
  rows = await world.db.all<Row>(sql`SELECT p.id AS id, p.unit_price_e4 AS unit, p.discount_bp AS discount, pr.manufacturer AS firm, p.synthetic AS synthetic
    FROM prices p JOIN products pr ON pr.id = p.product_id`);
});
afterAll(() => world.close());

async function walk(query: PriceQuery, tuning: SearchTuning): Promise<{ ids: number[]; totals: Set<number> }> {
  const ids: number[] = [];
  const totals = new Set<number>();
  let cursor: string | undefined;
  for (let guard = 0; guard < 400; guard++) {
    const page = await searchPrices(world.db, { include: "ended", limit: 29, ...query, cursor }, tuning);
    ids.push(...page.items.map((i) => i.id));
    totals.add(page.total);
    if (!page.nextCursor) return { ids, totals };
    cursor = page.nextCursor;
  }
  throw new Error("too many pages");
}

const holds = (firm: string | null, fragment: string) => (firm ?? "").toLowerCase().includes(fragment.toLowerCase());

describe("manufacturer and synthetic filters, on the real national results", () => {
  const cases: Array<{ query: PriceQuery; keep: (r: Row) => boolean }> = [
    { query: { manufacturer: "石药" }, keep: (r) => holds(r.firm, "石药") },
    { query: { manufacturer: "制药有限公司" }, keep: (r) => holds(r.firm, "制药有限公司") },
    { query: { manufacturer: "药" }, keep: (r) => holds(r.firm, "药") },
    { query: { manufacturer: "没有这家企业" }, keep: () => false },
    { query: { synthetic: true }, keep: (r) => r.synthetic === 1 },
    { query: { synthetic: false }, keep: (r) => r.synthetic === 0 },
    { query: { synthetic: false, manufacturer: "制药" }, keep: (r) => r.synthetic === 0 && holds(r.firm, "制药") },
    { query: { synthetic: true, minDiscount: 50 }, keep: (r) => r.synthetic === 1 && r.discount !== null && r.discount >= 5000 },
  ];

  it("explicit sorts: every page equals a plain ORDER BY over the prices kept", async () => {
    for (const { query, keep } of cases) {
      const kept = rows.filter(keep);
      for (const sort of ["unitPrice", "-discount"] as const) {
        const key = (r: Row) => (sort === "unitPrice" ? r.unit : -(r.discount ?? -1e9));
        const expected = [...kept].sort((a, b) => key(a) - key(b) || (sort === "unitPrice" ? a.id - b.id : b.id - a.id)).map((r) => r.id);
        for (const [name, tuning] of [
          ["walk", WALK],
          ["ranges", RANGES],
          ["ranges as one arm", ONE_ARM],
          ["ranges one SELECT each", PER_RANGE],
        ] as const) {
          const got = await walk({ ...query, sort }, tuning);
          const label = `${JSON.stringify(query)} ${sort} (${name})`;
          expect(got.ids, label).toEqual(expected);
          expect(got.totals, label).toEqual(new Set([kept.length]));
        }
      }
    }
  });

  it("relevance, with and without a query: the filtered pages are the unfiltered ranking with the others left out", async () => {
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const q of [undefined, "他汀", "片", "氨氯地平"]) {
      const all = await walk(q ? { q } : {}, WALK);
      for (const { query, keep } of cases) {
        const expected = all.ids.filter((id) => keep(byId.get(id)!));
        const label = `q=${q} ${JSON.stringify(query)}`;
        const got = await walk({ ...query, ...(q ? { q } : {}) }, WALK);
        expect(got.ids, label).toEqual(expected);
        expect(got.totals, label).toEqual(new Set([expected.length]));
      }
    }
  });

  it("a firm's name is matched whatever its brackets and letter case", async () => {
    const firm = rows.map((r) => r.firm ?? "").find((f) => /[（(]/.test(f));
    expect(firm, "the real seeds name a firm with brackets").toBeDefined();
    const fragment = firm!.slice(Math.max(0, firm!.search(/[（(]/) - 2), firm!.search(/[（(]/) + 3);
    const swapped =
      fragment.replace(/（/g, "(").replace(/）/g, ")") === fragment
        ? fragment.replace(/\(/g, "（").replace(/\)/g, "）")
        : fragment.replace(/（/g, "(").replace(/）/g, ")");
    const a = await walk({ manufacturer: fragment }, WALK);
    const b = await walk({ manufacturer: swapped }, WALK);
    expect(a.ids.length).toBeGreaterThan(0);
    expect(b.ids).toEqual(a.ids);
  });
});
