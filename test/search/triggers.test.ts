import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestWorld, type TestWorld } from "../support/test-db";

/**
 * drizzle-kit rebuilds a table (__new_x … DROP … RENAME) when a column changes, and that silently
 * drops the triggers which keep search in sync. After all migrations they must all be there.
 */
const SEARCH_TRIGGERS: Array<[name: string, table: string]> = [
  ["search_products_ai", "products"],
  ["search_products_au", "products"],
  ["search_products_ad", "products"],
  ["search_prices_ai", "prices"],
  ["search_prices_au", "prices"],
  ["search_prices_ad", "prices"],
  ["search_batches_au", "batches"],
  ["search_terms_ai", "search_terms"],
  ["search_terms_au", "search_terms"],
  ["search_price_search_ai", "price_search"],
  ["search_price_search_ad", "price_search"],
  ["search_price_search_au", "price_search"],
];

let world: TestWorld;
beforeAll(async () => {
  world = await createTestWorld({ seed: true });
});
afterAll(() => world.close());

describe("search triggers after all migrations", () => {
  it("exist on their tables", async () => {
    const rows = await world.db.all<{ name: string; tbl: string }>(sql`SELECT name, tbl_name AS tbl FROM sqlite_master WHERE type = 'trigger'`);
    const present = new Map(rows.map((r) => [r.name, r.tbl]));
    for (const [name, table] of SEARCH_TRIGGERS) expect(present.get(name), name).toBe(table);
  });

  it("keep the indexes in step with the tables they mirror", async () => {
    const db = world.db;
    const count = async (q: ReturnType<typeof sql>) => (await db.all<{ n: number }>(q))[0]?.n;
    expect(await count(sql`SELECT count(*) AS n FROM price_search`)).toBe(await count(sql`SELECT count(*) AS n FROM prices`));
    expect(await count(sql`SELECT count(*) AS n FROM products_fts WHERE products_fts MATCH '"atorva"'`)).toBe(1);
    // A renamed product moves in every index; a deleted price leaves them.
    await db.run(sql`UPDATE products SET generic_name = '瑞舒伐他汀钙片', name_norm = '瑞舒伐他汀钙片', generic_name_en = 'rosuvastatin calcium' WHERE generic_name = '阿托伐他汀钙片'`);
    expect(await count(sql`SELECT count(*) AS n FROM products_fts WHERE products_fts MATCH '"atorva"'`)).toBe(0);
    expect(await count(sql`SELECT count(*) AS n FROM products_fts WHERE products_fts MATCH '"rosuva"'`)).toBe(1);
    expect(
      await count(sql`SELECT count(*) AS n FROM price_search ps JOIN search_terms t ON t.id = ps.name_id WHERE t.term = '瑞舒伐他汀钙片'`),
    ).toBe(1);
    expect(await count(sql`SELECT SUM(f.n) AS n FROM search_facets f JOIN search_terms t ON t.id = f.term_id WHERE t.term = '阿托伐他汀钙片'`)).toBe(0);
    await db.run(sql`DELETE FROM price_regions`);
    await db.run(sql`DELETE FROM prices WHERE product_id = (SELECT id FROM products WHERE name_norm = '瑞舒伐他汀钙片')`);
    expect(await count(sql`SELECT count(*) AS n FROM price_search`)).toBe(await count(sql`SELECT count(*) AS n FROM prices`));
    expect(await count(sql`SELECT SUM(f.n) AS n FROM search_facets f JOIN search_terms t ON t.id = f.term_id WHERE t.term = '瑞舒伐他汀钙片'`)).toBe(0);
  });
});
