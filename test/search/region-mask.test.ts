import type { Client } from "@libsql/client";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { regionBit, regionMask } from "../../src/domain/region-mask";
import { type PriceQuery, searchPrices } from "../../src/services/prices";
import type { TestWorld } from "../support/test-db";
import { createSearchWorld } from "./search-world";

/**
 * Region filters test price_search.region_mask (kept by the triggers of migration 0008) before
 * searching the regions text. The bits must be the ones src/domain/region-mask.ts computes, or a
 * price would silently drop out of a region's answers.
 */
describe("the region mask of ranked search", () => {
  let world: TestWorld;
  let codes: string[];
  let priceIds: number[];
  beforeAll(async () => {
    world = await createSearchWorld();
    codes = (await execute("SELECT code FROM regions ORDER BY code")).rows.map((r) => String(r.code));
    priceIds = (await execute("SELECT id FROM prices ORDER BY id")).rows.map((r) => Number(r.id));
  });
  afterAll(() => world.close());

  const execute = (sql: string, args: Array<string | number> = []) => (world.db as unknown as { $client: Client }).$client.execute({ sql, args });

  it("gives each of the 34 provinces of GB/T 2260 its own bit, below 2^53", () => {
    const provinces = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82];
    const bits = provinces.map((p) => regionBit(String(p)));
    expect(new Set(bits).size).toBe(34);
    // A city shares its province's bit: the mask narrows to the province, the codes decide.
    expect(regionBit("140200")).toBe(regionBit("14"));
    expect(regionMask(provinces.map(String)) <= BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it("holds the bits the filter computes, for any codes a region table may hold", async () => {
    const code = fc.string({ unit: fc.constantFrom("1", "3", "5", "0", "X", "市", "𠮷"), minLength: 1, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(fc.array(code, { maxLength: 80 }), fc.constantFrom(...priceIds), async (set, priceId) => {
        await execute("UPDATE prices SET supply_regions = ? WHERE id = ?", [set.join(","), priceId]);
        const [row] = (await execute("SELECT CAST(region_mask AS TEXT) AS mask FROM price_search WHERE price_id = ?", [priceId])).rows;
        const text = set.length ? `,${set.join(",")},` : "";
        // Longer than the migration's search_seq can scan: every bit, so the text decides.
        const expected = [...text].length > 400 ? -1n : set.length ? regionMask(set) : 0n;
        expect(BigInt(String(row?.mask))).toBe(expected);
      }),
      { numRuns: 150 },
    );
  });

  it("finds for every region exactly the prices the supply-region table lists", async () => {
    // Every price supplies a different handful of provinces and cities; some the whole country.
    for (const [i, id] of priceIds.entries()) {
      const mine = i % 5 === 0 ? [] : codes.filter((_, j) => (i * 7 + j * 3) % 11 < 3);
      // One regions text too long for the mask (every bit): its groups must still count right.
      const listed = i === 1 ? [...mine, ...Array.from({ length: 70 }, (_, k) => `Q${String(k).padStart(5, "0")}`)] : mine;
      await execute("UPDATE prices SET supply_regions = ? WHERE id = ?", [listed.join(","), id]);
      await execute("DELETE FROM price_regions WHERE price_id = ?", [id]);
      for (const c of mine) await execute("INSERT INTO price_regions (price_id, region_code) VALUES (?, ?)", [id, c]);
    }
    const all = async (query: PriceQuery) => {
      const ids: number[] = [];
      let cursor: string | undefined;
      let total = 0;
      for (let guard = 0; guard < 50; guard++) {
        const page = await searchPrices(world.db, { ...query, cursor, limit: 5 });
        ids.push(...page.items.map((p) => p.id));
        total = page.total;
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return { ids: ids.sort((a, b) => a - b), total };
    };
    let nonEmpty = 0;
    // Whole tens of percent are counted from search_cells (with a region whose codes are exactly one
    // bit's: a province with everything under it); 55 % and a city under a province with other
    // cities count the prices.
    const reductions = [undefined, 50, 55, 0];
    for (const [k, region] of codes.entries()) {
      for (const q of ["atf", "他汀", "片", "嘉林"]) {
        const minDiscount = reductions[k % reductions.length];
        // Ranked search reads price_search and its mask; sorting by unit price reads prices and price_regions.
        const ranked = await all({ q, region, minDiscount });
        const plain = await all({ q, region, minDiscount, sort: "unitPrice" });
        expect(ranked, `${q} in ${region}, minDiscount ${minDiscount}`).toEqual(plain);
        expect(ranked.total).toBe(ranked.ids.length);
        if (ranked.total) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(codes.length);
    for (const q of ["atf", "他汀", "嘉林"]) {
      for (const minDiscount of [0, 10, 50, 90, 55]) {
        expect(await all({ q, minDiscount }), `${q}, minDiscount ${minDiscount}`).toEqual(await all({ q, minDiscount, sort: "unitPrice" }));
      }
    }
  });
});
