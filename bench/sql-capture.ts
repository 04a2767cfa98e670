import { writeFileSync } from "node:fs";
import type { InStatement } from "@libsql/client";
import { openLibsql } from "../src/db/client";
import { tuneEmbedded } from "../src/db/migrate";
import { searchGroups } from "../src/services/grouped-results";
import { latestPriceChanges } from "../src/services/price-atom";
import { getPrice, type PriceQuery, searchPrices } from "../src/services/prices";
import { listProducts } from "../src/services/product-list";
import { getProduct } from "../src/services/products";
import { buildSearchDb } from "./search-load";
import { userQueries } from "./user-queries";

/**
 * `npx tsx bench/sql-capture.ts OUT.json`: every statement the search hot path sends (SQL text with
 * identifier quotes removed, and its params) and every answer, for the 300 queries of
 * bench/user-queries.ts on the 100k bench database, plus grouped results, products and the atom
 * feed. Two runs' files must be identical when a change only re-quotes identifiers, but for the
 * products feed's sync tokens and cursors, which carry the clock. For a baseline, run it in an
 * export of main (`git archive main | tar -x -C DIR`, with node_modules and data/bench linked in).
 */
const out = process.argv[2] ?? "sql-capture.json";
const path = await buildSearchDb(100000);
const url = `file:${path}`;
const handle = openLibsql(url);
await tuneEmbedded(handle, url);
const log: unknown[] = [];
let current: { call: string; statements: unknown[]; answer?: unknown } | null = null;
const norm = (s: InStatement) => (typeof s === "string" ? { sql: s.replaceAll('"', ""), args: [] } : { sql: s.sql.replaceAll('"', ""), args: s.args });
// as unknown as: the client's methods are wrapped in place, to see every statement drizzle and readRows send.
const client = handle.client as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
for (const name of ["execute", "batch"] as const) {
  const orig = client[name]!.bind(client);
  client[name] = (...a: unknown[]) => {
    if (current) current.statements.push({ [name]: name === "execute" ? norm(a[0] as InStatement) : (a[0] as InStatement[]).map(norm) });
    return orig(...a);
  };
}
const jsonSafe = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x)));
async function record(call: string, f: () => Promise<unknown>) {
  current = { call, statements: [] };
  try {
    current.answer = jsonSafe(await f());
  } catch (e) {
    current.answer = { error: String(e) };
  }
  log.push(current);
  current = null;
}

const codeRows = await handle.client.execute(
  "SELECT nhsa_code AS c FROM products WHERE nhsa_code IS NOT NULL AND id % 997 = 1 UNION ALL SELECT approval_no FROM products WHERE approval_no IS NOT NULL AND id % 1999 = 3 LIMIT 400",
);
const cityRows = await handle.client.execute("SELECT name FROM regions WHERE level = 'city' ORDER BY code");
const queries = userQueries(
  300,
  codeRows.rows.map((r) => String(r.c)),
  cityRows.rows.map((r) => String(r.name)),
);
const fixedAsOf = "2025-06-01";
let i = 0;
for (const uq of queries) {
  let query: PriceQuery = { ...uq.query };
  for (let page = 0; page < Math.min(uq.walk ?? 1, 6); page++) {
    let next: string | undefined;
    await record(`prices ${i} ${page} ${JSON.stringify(query)}`, async () => {
      const a = await searchPrices(handle.db, query);
      next = a.nextCursor ?? undefined;
      return a;
    });
    if (!next) break;
    query = { ...query, cursor: next };
  }
  if (i % 10 === 0) {
    const { q, batch, level, category, region, manufacturer, minDiscount, province, asOf } = uq.query as Record<string, never>;
    for (const sort of ["relevance", "unitPrice", "-discount"] as const)
      await record(`groups ${i} ${sort}`, () =>
        searchGroups(handle.db, {
          q,
          batch,
          level,
          category,
          region,
          manufacturer,
          minDiscount,
          province,
          asOf,
          includeEnded: i % 20 === 0,
          synthetic: true,
          sort,
          page: 1 + (i % 3),
          pageSize: 20,
        }),
      );
    await record(`atom ${i}`, () =>
      latestPriceChanges(handle.db, { ...uq.query, limit: undefined, cursor: undefined, sort: undefined } as never, Date.parse("2026-01-01T00:00:00Z")),
    );
  }
  i++;
}
for (const id of [1, 2, 3, 50, 777, 4000, 12345]) {
  await record(`product ${id}`, () => getProduct(handle.db, id, { asOf: fixedAsOf }));
  await record(`product ${id} region`, () => getProduct(handle.db, id, { region: "广东省", include: "ended" } as never));
}
let cursor: string | undefined;
for (let page = 0; page < 3; page++) {
  await record(`products page ${page}`, async () => {
    const a = await listProducts(handle.db, { limit: 100, cursor });
    cursor = (a as { nextCursor?: string }).nextCursor;
    return a;
  });
}
await record("products drug province", () => listProducts(handle.db, { category: "drug", province: "江苏省", asOf: fixedAsOf, limit: 50 }));
await record("products state", () => listProducts(handle.db, { state: ["ended"], limit: 50 } as never));
for (const since of ["1970-01-01T00:00:00Z", "2026-01-01T00:00:00Z"]) {
  let feed: string | undefined;
  for (let page = 0; page < 2; page++)
    await record(`products since ${since} ${page}`, async () => {
      const a = await listProducts(handle.db, { updatedSince: since, category: page ? "drug" : undefined, synthetic: true, limit: 50, cursor: feed });
      feed = (a.meta as { nextCursor?: string }).nextCursor ?? undefined;
      return a;
    });
}
for (const id of [1, 99, 5000]) await record(`price ${id}`, () => getPrice(handle.db, id, fixedAsOf));
for (const q of ["atorvastatin calcium tablets", "amlodipine tablet", "ATORVASTATIN", "片 20mg", "H2002", "X0001 tablets", "syn"])
  await record(`q ${q}`, () => searchPrices(handle.db, { q }));
handle.close();
writeFileSync(out, JSON.stringify(log, null, 1));
console.log(`${log.length} calls, ${log.reduce((n: number, c) => n + (c as { statements: unknown[] }).statements.length, 0)} statements → ${out}`);
