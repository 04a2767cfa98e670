import { describe, expect, it } from "vitest";
import { call, importCsv, q } from "./support";

describe("HTTP and edge caching on Workers", () => {
  const path = `/api/v1/prices?q=${q("冠脉支架")}&limit=5`;

  it("answers with ETag and a short Cache-Control, and 304 when the ETag matches", async () => {
    const first = await call(path);
    expect(first.status).toBe(200);
    const etag = first.res.headers.get("etag");
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(first.res.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=600");
    const again = await call(path, { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
    expect(again.res.headers.get("etag")).toBe(etag);
    const other = await call(path, { headers: { "if-none-match": 'W/"something-else"' } });
    expect(other.status).toBe(200);
  });

  it("serves a repeated search from the edge cache, with the query order ignored", async () => {
    const a = `/api/v1/prices?limit=7&q=${q("人工膝关节")}`;
    const b = `/api/v1/prices?q=${q("人工膝关节")}&limit=7`;
    const miss = await call(a);
    const hit = await call(b);
    expect(miss.res.headers.get("x-cache")).toBe("MISS");
    expect(hit.res.headers.get("x-cache")).toBe("HIT");
    expect(hit.body).toEqual(miss.body);
    expect(hit.res.headers.get("x-request-id")).not.toBe(miss.res.headers.get("x-request-id"));
  });

  it("never hides a new import: the cache key carries the data version every import bumps", async () => {
    const search = `/api/v1/prices?q=${q("缓存测试药")}`;
    expect((await call(search)).body.data).toEqual([]);
    expect((await call(search)).res.headers.get("x-cache")).toBe("HIT");
    const imported = await importCsv("kind=prices", "批次,药品通用名,中选价格\nnational-drug-3,缓存测试药片,3.3");
    expect(imported.status).toBe(200);
    const after = await call(search);
    expect(after.res.headers.get("x-cache")).toBe("MISS");
    expect(after.body.data.map((p: any) => p.product.genericName)).toEqual(["缓存测试药片"]);
  });

  it("does not cache errors or the admin's import log", async () => {
    const bad = await call(`/api/v1/prices?sort=nope`);
    expect(bad.status).toBe(400);
    expect(bad.res.headers.get("cache-control")).toBe("no-store");
    expect(bad.res.headers.get("etag")).toBeNull();
    const log = await call(`/api/v1/imports`, { headers: { authorization: "Bearer nope-nope-nope-nope" } });
    expect(log.res.headers.get("etag")).toBeNull();
    expect(log.res.headers.get("x-cache")).toBeNull();
  });
});
