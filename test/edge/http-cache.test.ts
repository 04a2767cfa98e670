import { describe, expect, it } from "vitest";
import { runImport } from "../../src/services/imports";
import { apiClients, useTestWorld } from "../support/world";

describe("HTTP caching on Node (no edge cache)", () => {
  const world = useTestWorld();
  const { api } = apiClients(world);

  it("sends ETag and Cache-Control, answers 304 on a match, and a new ETag after an import", async () => {
    const query = { q: "他汀" };
    const first = await api.prices.$get({ query });
    expect(first.status).toBe(200);
    const url = api.prices.$url({ query });
    const path = url.pathname + url.search;
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers.get("cache-control")).toContain("stale-while-revalidate");
    expect(first.headers.get("x-cache")).toBeNull();
    // Raw from here: the test sets If-None-Match itself and reads a 304's empty body.
    const notModified = await world.app.request(path, { headers: { "if-none-match": etag } });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe("");
    const csv = new TextEncoder().encode("批次,药品通用名,中选价格\nnational-drug-3,瑞舒伐他汀钙片,1.1");
    expect((await runImport(world.db, { kind: "prices", bytes: csv })).errors).toEqual([]);
    const changed = await world.app.request(path, { headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("leaves health and errors uncached", async () => {
    expect((await world.app.request("/health")).headers.get("etag")).toBeNull();
    const bad = await world.app.request("/api/v1/prices?limit=0");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("cache-control")).toBe("no-store");
  });
});
