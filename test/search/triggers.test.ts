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
  ["search_variants_products_ai", "products"],
  ["search_variants_products_au", "products"],
  ["search_groups_ai", "price_search"],
  ["search_groups_ad", "price_search"],
  ["search_groups_au", "price_search"],
  ["search_pairs_ai", "price_search"],
  ["search_pairs_ad", "price_search"],
  ["search_pairs_au", "price_search"],
  ["search_equivalents_products_ai", "products"],
  ["search_equivalents_products_au", "products"],
  ["search_codes_ai", "price_search"],
  ["search_codes_ad", "price_search"],
  ["search_codes_au", "price_search"],
  ["search_codes_products_au", "products"],
  ["search_code_prices_ai", "price_search"],
  ["search_code_prices_ad", "price_search"],
  ["search_code_prices_au", "price_search"],
  ["search_code_prices_products_au", "products"],
  ["search_code_price_cells_ai", "search_code_prices"],
  ["search_code_price_cells_ad", "search_code_prices"],
  ["search_cells_ai", "price_search"],
  ["search_cells_ad", "price_search"],
  ["search_cells_au", "price_search"],
  ["search_price_cells_ai", "price_search"],
  ["search_price_cells_ad", "price_search"],
  ["search_price_cells_au", "price_search"],
  ["search_aliases_products_ai", "products"],
  ["search_aliases_products_au", "products"],
  ["search_aliases_products_ad", "products"],
];

/**
 * search_cells likewise: per name and per firm group, province bit of the region mask (63
 * nationwide, 64 a mask of every bit, 65 every price, 100 + bit a code longer than a province's under
 * that bit) and reduction band.
 */
const CELLS_DRIFT = sql`WITH
  kept AS (SELECT term_id, batch_id, category, cycle_start, cycle_end, bit, band, n FROM search_cells WHERE n <> 0),
  terms AS (SELECT price_id, name_id AS term_id FROM price_search UNION ALL SELECT price_id, firm_id FROM price_search WHERE firm_id IS NOT NULL),
  bits AS (SELECT ps.price_id, b.n - 1 AS bit FROM price_search ps, search_seq b
      WHERE b.n <= 53 AND ps.regions <> '' AND ps.region_mask <> -1 AND (ps.region_mask >> (b.n - 1)) & 1
    UNION ALL SELECT price_id, 63 FROM price_search WHERE regions = ''
    UNION ALL SELECT price_id, 64 FROM price_search WHERE regions <> '' AND region_mask = -1
    UNION ALL SELECT price_id, 65 FROM price_search
    UNION ALL SELECT DISTINCT ps.price_id, 100 + ((unicode(substr(ps.regions, s.n + 1, 1)) * 7 + unicode(substr(ps.regions, s.n + 2, 1))) % 53)
      FROM price_search ps, search_seq s
      WHERE ps.regions <> '' AND ps.region_mask <> -1 AND s.n < length(ps.regions) AND substr(ps.regions, s.n, 1) = ',' AND substr(ps.regions, s.n + 3, 1) <> ','),
  actual AS (SELECT t.term_id, ps.batch_id, ps.category, ps.cycle_start, ps.cycle_end, b.bit,
      CASE WHEN ps.discount_bp IS NULL THEN -2 WHEN ps.discount_bp < 0 THEN -1 ELSE ps.discount_bp / 1000 END AS band, count(*) AS n
    FROM price_search ps JOIN terms t ON t.price_id = ps.price_id JOIN bits b ON b.price_id = ps.price_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7)
  SELECT (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM actual))
    + (SELECT count(*) FROM (SELECT * FROM actual EXCEPT SELECT * FROM kept)) AS n`;

/** search_price_cells likewise: per name and per firm group and band of unit price (10 × digits + first digit). */
const PRICE_CELLS_DRIFT = sql`WITH
  kept AS (SELECT term_id, batch_id, category, cycle_start, cycle_end, pband, n FROM search_price_cells WHERE n <> 0),
  terms AS (SELECT price_id, name_id AS term_id FROM price_search UNION ALL SELECT price_id, firm_id FROM price_search WHERE firm_id IS NOT NULL),
  actual AS (SELECT t.term_id, ps.batch_id, ps.category, ps.cycle_start, ps.cycle_end,
      CASE WHEN ps.unit_price_e4 <= 0 THEN 0 ELSE length(ps.unit_price_e4) * 10 + CAST(substr(ps.unit_price_e4, 1, 1) AS INTEGER) END AS pband, count(*) AS n
    FROM price_search ps JOIN terms t ON t.price_id = ps.price_id
    GROUP BY 1, 2, 3, 4, 5, 6)
  SELECT (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM actual))
    + (SELECT count(*) FROM (SELECT * FROM actual EXCEPT SELECT * FROM kept)) AS n`;

/** search_groups must hold exactly the counts of price_search, per name and per firm. */
const GROUPS_DRIFT = sql`WITH
  kept AS (SELECT term_id, batch_id, category, cycle_start, cycle_end, n FROM search_groups WHERE n <> 0),
  actual AS (SELECT term_id, batch_id, category, cycle_start, cycle_end, count(*) AS n FROM (
    SELECT name_id AS term_id, batch_id, category, cycle_start, cycle_end FROM price_search
    UNION ALL SELECT firm_id, batch_id, category, cycle_start, cycle_end FROM price_search WHERE firm_id IS NOT NULL)
    GROUP BY 1, 2, 3, 4, 5)
  SELECT (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM actual))
    + (SELECT count(*) FROM (SELECT * FROM actual EXCEPT SELECT * FROM kept)) AS n`;

/** search_pairs likewise, per name and variant and per name and firm. */
const PAIRS_DRIFT = sql`WITH
  kept AS (SELECT name_id, kind, other_id, batch_id, category, cycle_start, cycle_end, n FROM search_pairs WHERE n <> 0),
  actual AS (SELECT name_id, kind, other_id, batch_id, category, cycle_start, cycle_end, count(*) AS n FROM (
    SELECT name_id, 'v' AS kind, variant_id AS other_id, batch_id, category, cycle_start, cycle_end FROM price_search WHERE variant_id IS NOT NULL
    UNION ALL SELECT name_id, 'f', firm_id, batch_id, category, cycle_start, cycle_end FROM price_search WHERE firm_id IS NOT NULL)
    GROUP BY 1, 2, 3, 4, 5, 6, 7)
  SELECT (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM actual))
    + (SELECT count(*) FROM (SELECT * FROM actual EXCEPT SELECT * FROM kept)) AS n`;

/** search_code_groups likewise, per start (3, 6, 9, 12 characters) of either code of the product. */
const CODES_DRIFT = sql`WITH
  kept AS (SELECT level, prefix, batch_id, category, cycle_start, cycle_end, n FROM search_code_groups WHERE n <> 0),
  actual AS (SELECT k.level, k.prefix, ps.batch_id, ps.category, ps.cycle_start, ps.cycle_end, count(*) AS n FROM price_search ps JOIN (
    SELECT DISTINCT c.id, lv.column1 AS level, substr(c.code, 1, lv.column1) AS prefix
    FROM (SELECT id, nhsa_code AS code FROM products UNION ALL SELECT id, approval_no FROM products) c, (VALUES (3), (6), (9), (12)) lv
    WHERE c.code IS NOT NULL AND c.code <> '') k ON k.id = ps.product_id
    GROUP BY 1, 2, 3, 4, 5, 6)
  SELECT (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM actual))
    + (SELECT count(*) FROM (SELECT * FROM actual EXCEPT SELECT * FROM kept)) AS n`;

/** search_code_prices likewise: each price once under each distinct code of its product, with its search row's columns. */
const CODE_PRICES_DRIFT = sql`WITH
  kept AS (SELECT code, unit_price_e4, price_id, batch_id, category, cycle_start, cycle_end, discount_bp, firm_id, region_mask, regions FROM search_code_prices),
  actual AS (SELECT DISTINCT c.code, ps.unit_price_e4, ps.price_id, ps.batch_id, ps.category, ps.cycle_start, ps.cycle_end, ps.discount_bp, ps.firm_id, ps.region_mask, ps.regions FROM price_search ps
    JOIN (SELECT id, nhsa_code AS code FROM products UNION ALL SELECT id, approval_no FROM products) c ON c.id = ps.product_id
    WHERE c.code IS NOT NULL AND c.code <> '')
  SELECT (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM actual))
    + (SELECT count(*) FROM (SELECT * FROM actual EXCEPT SELECT * FROM kept))
    + (SELECT count(*) FROM kept) - (SELECT count(*) FROM actual) AS n`;

/** search_code_price_cells likewise: the rows of search_code_prices per start (3, 6, 9 characters), group and band of unit price. */
const CODE_PRICE_CELLS_DRIFT = sql`WITH
  kept AS (SELECT level, prefix, batch_id, category, cycle_start, cycle_end, pband, n FROM search_code_price_cells WHERE n <> 0),
  actual AS (SELECT lv.column1, substr(cp.code, 1, lv.column1), cp.batch_id, cp.category, cp.cycle_start, cp.cycle_end,
      CASE WHEN cp.unit_price_e4 <= 0 THEN 0 ELSE length(CAST(cp.unit_price_e4 AS TEXT)) * 10 + CAST(substr(CAST(cp.unit_price_e4 AS TEXT), 1, 1) AS INTEGER) END, count(*)
    FROM search_code_prices cp, (VALUES (3), (6), (9)) lv GROUP BY 1, 2, 3, 4, 5, 6, 7)
  SELECT (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM actual))
    + (SELECT count(*) FROM (SELECT * FROM actual EXCEPT SELECT * FROM kept)) AS n`;

/** Prices whose equiv_id is not their product's (generic name, form, spec). */
const EQUIV_DRIFT = sql`SELECT count(*) AS n FROM price_search ps JOIN products pr ON pr.id = ps.product_id
  LEFT JOIN search_equivalents e ON e.id = ps.equiv_id WHERE e.key IS NOT json_array(pr.generic_name, pr.dosage_form, pr.spec)`;

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

  it("let a product be upserted (an UPSERT's DO UPDATE must not turn their skips into errors)", async () => {
    const world = await createTestWorld();
    try {
      const upsert = sql`INSERT INTO products (natural_key, category, generic_name, spec, dosage_form)
        SELECT natural_key, category, generic_name, spec, dosage_form FROM products WHERE generic_name = '阿托伐他汀钙片'
        ON CONFLICT (natural_key) DO UPDATE SET spec = excluded.spec, dosage_form = excluded.dosage_form`;
      await world.db.run(upsert);
      const [row] = await world.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM price_search ps JOIN products pr ON pr.id = ps.product_id
        WHERE pr.generic_name = '阿托伐他汀钙片' AND ps.variant_id IS NOT NULL AND ps.equiv_id IS NOT NULL`);
      expect(row?.n).toBeGreaterThan(0);
    } finally {
      world.close();
    }
  });

  it("keep the indexes in step with the tables they mirror", async () => {
    const db = world.db;
    const count = async (q: ReturnType<typeof sql>) => (await db.all<{ n: number }>(q))[0]?.n;
    expect(await count(sql`SELECT count(*) AS n FROM price_search`)).toBe(await count(sql`SELECT count(*) AS n FROM prices`));
    // Every product with an English name of atorvastatin (the articles' and the real 4+7 ones) is found by it.
    const atorvastatins = await count(sql`SELECT count(*) AS n FROM products WHERE generic_name_en LIKE '%atorva%'`);
    expect(atorvastatins).toBeGreaterThan(1);
    expect(await count(sql`SELECT count(*) AS n FROM products_fts WHERE products_fts MATCH '"atorva"'`)).toBe(atorvastatins);
    expect(await count(GROUPS_DRIFT)).toBe(0);
    expect(await count(PAIRS_DRIFT)).toBe(0);
    expect(await count(CODES_DRIFT)).toBe(0);
    expect(await count(CODE_PRICES_DRIFT)).toBe(0);
    expect(await count(CODE_PRICE_CELLS_DRIFT)).toBe(0);
    expect(await count(EQUIV_DRIFT)).toBe(0);
    expect(await count(CELLS_DRIFT)).toBe(0);
    expect(await count(PRICE_CELLS_DRIFT)).toBe(0);
    // New supply regions and reductions move prices between cells (a regions text too long for the
    // mask gets every bit; a reduction below zero or none has its own band).
    const long = Array.from({ length: 80 }, (_, k) => `9${String(k).padStart(5, "0")}`).join(",");
    await db.run(sql`UPDATE prices SET supply_regions = '13,140200', discount_bp = -500 WHERE id = (SELECT id FROM prices ORDER BY id LIMIT 1 OFFSET 1)`);
    await db.run(sql`UPDATE prices SET supply_regions = ${long}, discount_bp = NULL WHERE id = (SELECT id FROM prices ORDER BY id LIMIT 1 OFFSET 2)`);
    expect(await count(sql`SELECT count(*) AS n FROM price_search WHERE region_mask = -1`)).toBe(1);
    // A new unit price moves a price between bands of unit price.
    await db.run(sql`UPDATE prices SET unit_price_e4 = unit_price_e4 * 13 + 7 WHERE id = (SELECT id FROM prices ORDER BY id LIMIT 1 OFFSET 3)`);
    expect(await count(CELLS_DRIFT)).toBe(0);
    expect(await count(PRICE_CELLS_DRIFT)).toBe(0);
    expect(await count(CODE_PRICES_DRIFT)).toBe(0);
    expect(await count(CODE_PRICE_CELLS_DRIFT)).toBe(0);
    // A re-published cycle moves prices between groups; a changed spec gives the product another variant.
    await db.run(sql`UPDATE batches SET cycle_end = '2099-12-31' WHERE id = (SELECT batch_id FROM prices LIMIT 1)`);
    await db.run(sql`UPDATE products SET spec = '99mg' WHERE id = (SELECT product_id FROM prices LIMIT 1)`);
    // New codes and another category move a product's prices between the starts of codes.
    await db.run(
      sql`UPDATE products SET nhsa_code = 'ZZ9' || COALESCE(nhsa_code, ''), category = 'device' WHERE id = (SELECT product_id FROM prices LIMIT 1 OFFSET 1)`,
    );
    await db.run(sql`UPDATE products SET approval_no = NULL WHERE id = (SELECT product_id FROM prices LIMIT 1 OFFSET 2)`);
    // Another firm moves the product's prices to its firm's groups (price_search.firm_id, updated in place).
    await db.run(sql`UPDATE products SET manufacturer = '新星制药有限公司' WHERE id = (SELECT product_id FROM prices LIMIT 1 OFFSET 3)`);
    expect(
      await count(sql`SELECT count(*) AS n FROM price_search ps JOIN search_variants v ON v.id = ps.variant_id WHERE v.text LIKE '99mg %'`),
    ).toBeGreaterThan(0);
    expect(await count(GROUPS_DRIFT)).toBe(0);
    expect(await count(PAIRS_DRIFT)).toBe(0);
    expect(await count(CODES_DRIFT)).toBe(0);
    expect(await count(CODE_PRICES_DRIFT)).toBe(0);
    expect(await count(CODE_PRICE_CELLS_DRIFT)).toBe(0);
    expect(await count(EQUIV_DRIFT)).toBe(0);
    expect(await count(CELLS_DRIFT)).toBe(0);
    expect(await count(PRICE_CELLS_DRIFT)).toBe(0);
    // A renamed product moves in every index; a deleted price leaves them.
    const renamed = await count(sql`SELECT id AS n FROM products WHERE generic_name = '阿托伐他汀钙片'`);
    await db.run(
      sql`UPDATE products SET generic_name = '瑞舒伐他汀钙片', name_norm = '瑞舒伐他汀钙片', generic_name_en = 'rosuvastatin calcium' WHERE generic_name = '阿托伐他汀钙片'`,
    );
    expect(await count(sql`SELECT count(*) AS n FROM products_fts WHERE products_fts MATCH '"atorva"' AND rowid = ${renamed}`)).toBe(0);
    expect(await count(sql`SELECT count(*) AS n FROM products_fts WHERE products_fts MATCH '"rosuva"' AND rowid = ${renamed}`)).toBe(1);
    expect(await count(sql`SELECT count(*) AS n FROM price_search ps JOIN search_terms t ON t.id = ps.name_id WHERE t.term = '瑞舒伐他汀钙片'`)).toBe(1);
    expect(await count(sql`SELECT SUM(f.n) AS n FROM search_facets f JOIN search_terms t ON t.id = f.term_id WHERE t.term = '阿托伐他汀钙片'`)).toBe(0);
    await db.run(sql`DELETE FROM price_regions`);
    await db.run(sql`DELETE FROM prices WHERE product_id = (SELECT id FROM products WHERE name_norm = '瑞舒伐他汀钙片')`);
    expect(await count(sql`SELECT count(*) AS n FROM price_search`)).toBe(await count(sql`SELECT count(*) AS n FROM prices`));
    expect(await count(sql`SELECT SUM(f.n) AS n FROM search_facets f JOIN search_terms t ON t.id = f.term_id WHERE t.term = '瑞舒伐他汀钙片'`)).toBe(0);
    expect(await count(GROUPS_DRIFT)).toBe(0);
    expect(await count(PAIRS_DRIFT)).toBe(0);
    expect(await count(CODES_DRIFT)).toBe(0);
    expect(await count(CODE_PRICES_DRIFT)).toBe(0);
    expect(await count(CODE_PRICE_CELLS_DRIFT)).toBe(0);
    expect(await count(EQUIV_DRIFT)).toBe(0);
    expect(await count(CELLS_DRIFT)).toBe(0);
    expect(await count(PRICE_CELLS_DRIFT)).toBe(0);
  });
});
