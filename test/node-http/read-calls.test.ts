import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors";
import { createReadPool, type ReadPool } from "../../src/node-http/read-pool";
import { resultSet } from "../../src/node-http/result-set";
import { type GroupQuery, searchGroups } from "../../src/services/grouped-results";
import { encodeJson, type JsonBytes, priceListBody, productBody } from "../../src/services/json-bodies";
import { type PriceQuery, searchPrices } from "../../src/services/prices";
import { getProduct, type ProductQuery } from "../../src/services/products";
import { createTestFile } from "../support/test-db";

// Keeps one thread's SQLite busy for a few hundred ms (as in read-pool.test.ts).
const SLOW = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 6000000) SELECT count(*) AS n FROM c";

let file: Awaited<ReturnType<typeof createTestFile>>;
let handle: Awaited<ReturnType<typeof createTestFile>>["handle"];
let pool: ReadPool;
beforeAll(async () => {
  file = await createTestFile("vbp-calls-");
  handle = file.handle;
  pool = createReadPool({ path: file.path, size: 2, budgetMs: 20_000, calls: true });
  expect(await pool.callsReady(60_000)).toBe(true);
}, 90_000);
afterAll(async () => {
  await pool.close();
  file.remove();
});

/** An encoded body as its text, to compare with what this thread encodes. */
const text = (body: JsonBytes<unknown> | null | undefined) => new TextDecoder().decode(body!);

// What pharmacists and integrators send, on the real seeds (national batches 1–4).
const QUERIES: PriceQuery[] = [
  { q: "阿莫西林" },
  { q: "amlodipine" },
  { q: "aml", sort: "unitPrice" },
  { q: "片", limit: 5 },
  { sort: "-discount", limit: 20 },
  { category: "drug", sort: "unitPrice", limit: 7 },
  { batch: "national-drug-4", sort: "-unitPrice" },
  { q: "氨氯地平", region: "广东省" },
  { minDiscount: 50, maxUnitPrice: 1 },
  { q: "zzzz-nothing-matches" },
];

describe("searches run whole on a read thread", () => {
  it.each(QUERIES)("answer exactly the body the API would encode from the service's answer in this thread: %o", async (query) => {
    const here = encodeJson(priceListBody(await searchPrices(handle.db, query)));
    const there = await pool.call("priceListJson", query);
    expect(there).toBeInstanceOf(Uint8Array);
    expect(text(there)).toBe(text(here));
  });

  it.each<GroupQuery>([
    { q: "阿莫西林", includeEnded: false, synthetic: false, sort: "relevance", page: 1, pageSize: 20 },
    { q: "氨氯地平", province: "44", includeEnded: true, synthetic: false, sort: "relevance", page: 1, pageSize: 20 },
    { includeEnded: true, synthetic: false, sort: "relevance", page: 2, pageSize: 10 },
  ])("give the search page (查询) the same groups: %o", async (query) => {
    const here = await searchGroups(handle.db, query);
    expect(here.groups.length).toBeGreaterThan(0);
    expect(await pool.call("searchGroups", query)).toEqual(here);
  });

  it.each<[string, ProductQuery]>([
    ["氨氯地平", {}],
    ["氨氯地平", { province: "广东省" }],
    ["阿莫西林", { include: "ended", alternativesLimit: 3 }],
    ["阿托伐他汀", { asOf: "2019-06-01", unitsPerDay: 2 }],
  ])("give the product answer (产品, /api/v1/products/:id) the same history, alternatives and bids: %s %o", async (q, query) => {
    // A product the place can buy, so the history asked about is not empty.
    const id = (await searchPrices(handle.db, { q, limit: 1, province: query.province })).items[0]!.product.id;
    const here = await getProduct(handle.db, id, query);
    expect(here.history.length).toBeGreaterThan(0);
    expect(await pool.call("getProduct", id, query)).toEqual(here);
    expect(text(await pool.call("productJson", id, query))).toBe(text(encodeJson(productBody(here))));
  });

  it("answer 404 for a product that does not exist, as the service does", async () => {
    for (const there of [
      await pool.call("getProduct", 987654, {})!.catch((e: unknown) => e),
      await pool.call("productJson", 987654, {})!.catch((e: unknown) => e),
    ]) {
      expect(there).toBeInstanceOf(AppError);
      expect(there).toMatchObject({ status: 404, code: "not_found" });
    }
  });

  it("follow a cursor to the same next page", async () => {
    const first = await searchPrices(handle.db, { sort: "unitPrice", limit: 3 });
    expect(first.nextCursor).not.toBeNull();
    const next = { sort: "unitPrice" as const, limit: 3, cursor: first.nextCursor! };
    expect(text(await pool.call("priceListJson", next))).toBe(text(encodeJson(priceListBody(await searchPrices(handle.db, next)))));
  });

  it("turn a refused request into the same error answer (status, code, message)", async () => {
    const query: PriceQuery = { sort: "unitPrice", cursor: "not-a-cursor" };
    const here = await searchPrices(handle.db, query).catch((e: unknown) => e);
    expect(here).toBeInstanceOf(AppError);
    const there = await pool.call("priceListJson", query)!.catch((e: unknown) => e);
    expect(there).toBeInstanceOf(AppError);
    expect(there).toMatchObject({ status: (here as AppError).status, code: (here as AppError).code, message: (here as AppError).message });
  });

  it("answer 503 with Retry-After when the call runs past its budget, and the pool takes calls again after", async () => {
    const tight = createReadPool({ path: file.path, size: 1, budgetMs: 150, calls: true });
    try {
      expect(await tight.callsReady(60_000)).toBe(true);
      const slow = tight.execute(SLOW, []).catch((e: unknown) => e);
      const queued = await tight.call("priceListJson", { q: "阿莫西林" })!.catch((e: unknown) => e);
      expect(queued).toBeInstanceOf(AppError);
      expect(queued).toMatchObject({ status: 503, code: "query_timeout", headers: { "Retry-After": "2" } });
      expect(await slow).toMatchObject({ status: 503, code: "query_timeout" });
      // The replacement thread loads the search code again; until then calls are refused (null), not queued.
      expect(await tight.callsReady(60_000)).toBe(true);
      const next = tight.call("priceListJson", { q: "阿莫西林", limit: 1 });
      expect(next).not.toBeNull();
      expect(JSON.parse(text(await next)).data[0].product.genericName).toBe("阿莫西林");
    } finally {
      await tight.close();
    }
  }, 120_000);
});

describe("rows built from a thread's answer", () => {
  it("read by column name and by index, with only the names enumerable, as @libsql/client's are", () => {
    const [row] = resultSet(["id", "name", "id"], [[7, "阿莫西林", 8]]).rows;
    expect(Object.keys(row!)).toEqual(["id", "name"]);
    expect({ ...row }).toEqual({ id: 7, name: "阿莫西林" });
    expect(row!.id).toBe(7);
    expect([row![0], row![1], row![2], row!.length]).toEqual([7, "阿莫西林", 8, 3]);
    expect(Array.prototype.slice.call(row)).toEqual([7, "阿莫西林", 8]);
    expect(JSON.stringify(row)).toBe('{"id":7,"name":"阿莫西林"}');
  });

  it("keep index and name apart when a column's name is a number (SELECT 1, 0)", () => {
    const [row] = resultSet(["1", "0"], [["a", "b"]]).rows;
    expect([row![0], row![1], row!.length]).toEqual(["a", "b", 2]);
    expect(Array.prototype.slice.call(row)).toEqual(["a", "b"]);
  });
});
