import type { Client, InStatement } from "@libsql/client";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUERY_CLASSES, type QueryClass, userQueries } from "../../bench/user-queries";
import { loadDemo } from "../../src/cli/demo";
import { type PriceChangeQuery, pricesChangedSince } from "../../src/services/price-feed";
import { type PriceQuery, searchPrices } from "../../src/services/prices";
import { getProduct } from "../../src/services/products";
import { DEFAULT_SEARCH_TUNING } from "../../src/services/search-tuning";
import { recording } from "../support/recording-db";
import { createTestWorld, type TestWorld } from "../support/test-db";

/**
 * Not a timing: the plan SQLite chooses for every statement a user's query sends. At a million
 * prices a full SCAN of prices, products, price_search or volumes is a query that grows with the
 * table, so none may appear. The one kind of read allowed to step through an index from its start is
 * a walk in a sort's own order that a LIMIT ends (the listing window, src/services/price-listing.ts).
 */
const FULL_SCAN = /^SCAN (p|pr|ps|r|v|t|prices|products|price_search|volumes|tombstones)\b/;
const ORDERED_WALK = /^SCAN p USING (COVERING )?INDEX prices_(unit_price|discount_sort|discount_sort_desc)_idx$/;

let world: TestWorld;
beforeAll(async () => {
  world = await createTestWorld();
  await loadDemo(world.db, 1500);
}, 120_000);
afterAll(() => world.close());

async function fullScans(statements: InStatement[]): Promise<string[]> {
  const client = (world.db as unknown as { $client: Client }).$client;
  const found: string[] = [];
  for (const st of statements) {
    const text = typeof st === "string" ? st : st.sql;
    const args = typeof st === "string" ? [] : (st.args ?? []);
    const plan = await client.execute({ sql: `EXPLAIN QUERY PLAN ${text}`, args: args as never });
    for (const row of plan.rows) {
      const line = String(row.detail);
      if (FULL_SCAN.test(line) && !(ORDERED_WALK.test(line) && /\bLIMIT\b/.test(text)))
        found.push(`${line}\n    in: ${text.replace(/\s+/g, " ").slice(0, 300)}`);
    }
  }
  return found;
}

describe("every class of query users send reads through an index", () => {
  it("no statement of 300 generated searches, listings, filters, sorts and deep pages scans a whole table", async () => {
    // Planned on the statistics the imports left (PRAGMA optimize after each), as a server's are:
    // statistics, not their absence, are what once turned an index lookup into a scan.
    const stats = await world.db.all<{ tbl: string }>(sql`SELECT DISTINCT tbl FROM sqlite_stat1 WHERE tbl IN ('prices', 'products')`);
    expect(stats.map((s) => s.tbl).sort()).toEqual(["prices", "products"]);
    const codes = (await world.db.all<{ c: string }>(sql`SELECT nhsa_code AS c FROM products WHERE nhsa_code IS NOT NULL LIMIT 40`)).map((r) => r.c);
    const cities = (await world.db.all<{ name: string }>(sql`SELECT name FROM regions WHERE level = 'city' ORDER BY code`)).map((r) => r.name);
    const queries = userQueries(300, codes, cities);
    const seen = new Set<QueryClass>();
    const problems: string[] = [];
    for (const uq of queries) {
      const { db, statements } = recording(world.db);
      let query: PriceQuery = uq.query;
      // A deep page: follow the cursor a few pages, as a client paging through does.
      for (let page = 0; page < Math.min(uq.walk ?? 0, 4); page++) {
        const answer = await searchPrices(world.db, query).catch(() => null);
        if (!answer?.nextCursor) break;
        query = { ...query, cursor: answer.nextCursor };
      }
      // Every place and code comes from this database, so every query has an answer.
      const answered = await searchPrices(db, query).then(
        () => "ok",
        (e: Error) => e.message,
      );
      expect(answered, JSON.stringify(query)).toBe("ok");
      seen.add(uq.cls);
      for (const scan of await fullScans(statements)) problems.push(`${uq.cls} ${JSON.stringify(query)}: ${scan}`);
    }
    expect([...seen].sort()).toEqual([...QUERY_CLASSES].sort());
    expect(problems).toEqual([]);
  }, 300_000);

  it("a name typed with its salt and form (atfttgp, 二甲双胍缓释片) reads the shorter name's prices through an index", async () => {
    const queries: PriceQuery[] = [];
    for (const q of ["atfttgp", "阿托伐他汀钙片", "二甲双胍缓释片", "ejsgp", "阿托伐他汀钙片 10mg"]) {
      queries.push({ q }, { q, province: "33" }, { q, province: "33", sort: "unitPrice" }, { q, include: "ended", limit: 2 });
    }
    for (const query of queries) {
      const { db, statements } = recording(world.db);
      const answer = await searchPrices(db, query);
      expect(answer.total, JSON.stringify(query)).toBeGreaterThan(0);
      expect(await fullScans(statements), JSON.stringify(query)).toEqual([]);
    }
  });

  it("a listing by unit price over many groups reads each group's first price, then only the groups that reach the page", async () => {
    // The groups' ranges, not the window (src/services/price-listing.ts): every price, and a filter
    // on places that only some prices of each group meet.
    const tuning = { ...DEFAULT_SEARCH_TUNING, maxScanWindow: 0 };
    for (const query of [
      { sort: "-unitPrice", limit: 5 },
      { sort: "unitPrice", limit: 3, province: "33", category: "drug" },
    ] as PriceQuery[]) {
      const { db, statements } = recording(world.db);
      const answer = await searchPrices(db, query, tuning);
      expect(answer.items.length, JSON.stringify(query)).toBe(query.limit);
      const text = (st: InStatement) => (typeof st === "string" ? st : st.sql);
      // The groups' keys in one list, each group's first price one correlated read of its range.
      const firsts = statements.filter((st) => text(st).includes("AS arm") && text(st).includes("FROM (VALUES"));
      expect(firsts, JSON.stringify(query)).toHaveLength(1);
      const keys = (text(firsts[0] as InStatement).match(/\(\d+, \d+, '/g) ?? []).length;
      expect(keys, JSON.stringify(query)).toBeGreaterThan(query.limit ?? 0);
      const client = (world.db as unknown as { $client: Client }).$client;
      const plan = await client.execute(`EXPLAIN QUERY PLAN ${text(firsts[0] as InStatement)}`);
      const reads = plan.rows.map((r) => String(r.detail)).filter((d) => /^(SCAN|SEARCH) ps /.test(d));
      // One limited read of a group's range each, in the rank index's own order (no sort of a group),
      // and the first price's row by its id.
      expect(reads.sort(), JSON.stringify(query)).toEqual([
        "SEARCH ps USING COVERING INDEX price_search_name_rank_idx (name_id=? AND batch_id=? AND cycle_start=? AND cycle_end=?)",
        "SEARCH ps USING INTEGER PRIMARY KEY (rowid=?)",
      ]);
      expect(plan.rows.some((r) => /USE TEMP B-TREE FOR ORDER BY/.test(String(r.detail)))).toBe(false);
      expect(await fullScans(statements), JSON.stringify(query)).toEqual([]);
    }
  });

  it("a start of a code shared by many products reads its prices as one range of search_code_prices", async () => {
    const tuning = { ...DEFAULT_SEARCH_TUNING, maxCodeIds: 5 };
    const [row] = await world.db.all<{ c: string }>(sql`SELECT substr(nhsa_code, 1, 8) AS c FROM products WHERE nhsa_code IS NOT NULL
      GROUP BY 1 HAVING count(*) > 5 ORDER BY count(*) DESC LIMIT 1`);
    expect(row).toBeDefined();
    const query: PriceQuery = { q: row?.c ?? "", limit: 5 };
    const { db, statements } = recording(world.db);
    const answer = await searchPrices(db, query, tuning);
    expect(answer.items.length, JSON.stringify(query)).toBe(5);
    const text = (st: InStatement) => (typeof st === "string" ? st : st.sql);
    const [range] = statements.filter((st) => text(st).replaceAll('"', "").includes("FROM search_code_prices ps"));
    expect(range, "the page reads search_code_prices").toBeDefined();
    const client = (world.db as unknown as { $client: Client }).$client;
    const plan = await client.execute(`EXPLAIN QUERY PLAN ${text(range as InStatement)}`);
    expect(plan.rows.map((r) => String(r.detail))).toContain("SEARCH ps USING PRIMARY KEY (code>? AND code<?)");
    expect(await fullScans(statements), JSON.stringify(query)).toEqual([]);
  });

  it("a listing by reduction over the matched groups reads each group's range from its rank index, up to the maximum unit price", async () => {
    // Ranges, not the window: a share of all prices too small for it (src/services/price-listing.ts);
    // one SELECT per range, or all ranges as one arm (their keys as a list, one correlated read each).
    for (const groupsArmFrom of [1_000_000, 1]) {
      const tuning = { ...DEFAULT_SEARCH_TUNING, maxScanWindow: 0, groupsArmFrom };
      const query: PriceQuery = { sort: "discount", limit: 5, maxUnitPrice: 2, category: "drug", synthetic: false, asOf: "2025-06-01" };
      const { db, statements } = recording(world.db);
      const answer = await searchPrices(db, query, tuning);
      expect(answer.items.length).toBeGreaterThan(0);
      const text = (st: InStatement) => (typeof st === "string" ? st : st.sql);
      const [union] = statements.filter((st) => text(st).startsWith("SELECT id, v FROM"));
      expect(union).toBeDefined();
      const client = (world.db as unknown as { $client: Client }).$client;
      const plan = (await client.execute(`EXPLAIN QUERY PLAN ${text(union as InStatement)}`)).rows.map((r) => String(r.detail));
      const reads = plan.filter((d) => /^(SCAN|SEARCH) ps /.test(d));
      if (groupsArmFrom === 1) expect(reads, plan.join("\n")).toHaveLength(1);
      else expect(reads.length).toBeGreaterThan(1);
      for (const d of reads) expect(d).toMatch(/^SEARCH ps USING COVERING INDEX price_search_name_rank_idx \(.*unit_price_e4<\?\)$/);
      // Never an index built on the fly over every price (the correlated keys once made SQLite build one).
      expect(plan.join("\n")).not.toMatch(/AUTOMATIC/);
      expect(await fullScans(statements)).toEqual([]);
      expect(await searchPrices(world.db, query, tuning)).toEqual(await searchPrices(world.db, query, { ...tuning, groupsArmFrom: 1_000_000 }));
    }
  });

  it("a count under a minimum reduction and a maximum above most prices reads the reduction's cells and the dearer prices' index ranges", async () => {
    const { db, statements } = recording(world.db);
    const answer = await searchPrices(db, { minDiscount: 61.81, maxUnitPrice: 5000, sort: "-discount", limit: 5 });
    expect(answer.total).toBeGreaterThan(0);
    const text = (st: InStatement) => (typeof st === "string" ? st : st.sql);
    const [count] = statements.filter((st) => text(st).includes("(SELECT 'n' AS kind"));
    const client = (world.db as unknown as { $client: Client }).$client;
    const plan = (await client.execute(`EXPLAIN QUERY PLAN ${text(count as InStatement)}`)).rows.map((r) => String(r.detail));
    expect(plan.some((d) => /^SEARCH c USING PRIMARY KEY/.test(d))).toBe(true);
    expect(plan.some((d) => /^SEARCH ps USING COVERING INDEX price_search_name_rank_idx \(.*unit_price_e4>\?\)$/.test(d))).toBe(true);
    expect(await fullScans(statements)).toEqual([]);
  });

  it("the product page (history and the cheapest equivalents in force) reads through an index", async () => {
    const ids = await world.db.all<{ id: number }>(sql`SELECT id FROM products ORDER BY id LIMIT 5`);
    for (const { id } of ids) {
      const { db, statements } = recording(world.db);
      await getProduct(db, id, { province: "33" });
      expect(await fullScans(statements), `product ${id}`).toEqual([]);
    }
  });

  it("the change feed, withdrawn prices' tombstones included, reads every page through an index", async () => {
    // Tombstones as a withdrawal leaves them (src/services/import-withdrawal.ts), for ids no price has.
    await world.db.run(sql`INSERT INTO tombstones (tbl, row_id, import_id, withdrawn_at, last, search)
      SELECT 'prices', CAST(1000000 + value AS TEXT), 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '{}',
        json_object('price_id', 1000000 + value, 'batch_id', 'national-drug-1', 'category', 'drug', 'regions', '', 'region_mask', 0) FROM json_each('[1,2,3,4,5]')`);
    const since = new Date(Date.now() - 86_400_000).toISOString();
    const queries: PriceChangeQuery[] = [
      { updatedSince: since, limit: 20 },
      { updatedSince: since, q: "阿托伐他汀", limit: 5 },
      { updatedSince: since, province: "33", limit: 20 },
      { updatedSince: "2020-01-01T00:00:00Z", category: "drug", limit: 50 },
    ];
    for (const first of queries) {
      let query = first;
      for (let page = 0; page < 3; page++) {
        const { db, statements } = recording(world.db);
        const answer = await pricesChangedSince(db, query);
        expect(await fullScans(statements), JSON.stringify(query)).toEqual([]);
        if (!answer.nextCursor) break;
        query = { ...first, cursor: answer.nextCursor };
      }
    }
  });
});
