import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLibsql } from "../../src/db/client";
import { etagFromDigest } from "../../src/middleware/cache";
import { MemoryResponseCache } from "../../src/node-http/memory-response-cache";
import { readDataVersion } from "../../src/services/data-version";
import { runImport } from "../../src/services/imports";
import { createTestWorld, type TestWorld } from "../support/test-db";

describe("the Node server's response cache", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld({ responseCacheBytes: 8 * 1024 * 1024 });
  });
  afterAll(() => world.close());

  const search = () => world.app.request(`/api/v1/prices?q=${encodeURIComponent("冠脉")}`);

  it("answers a repeated search from memory with the same body and ETag", async () => {
    const first = await search();
    expect(first.headers.get("x-cache")).toBe("MISS");
    const again = await search();
    expect(again.headers.get("x-cache")).toBe("HIT");
    expect(await again.text()).toBe(await first.text());
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(again.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
  });

  it("tags a search and a product answer with the hash of the bytes sent, and answers 304 to it", async () => {
    for (const path of [`/api/v1/prices?q=${encodeURIComponent("阿托伐他汀")}&limit=5`, "/api/v1/products/1"]) {
      const res = await world.app.request(path);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(res.headers.get("etag"), path).toBe(etagFromDigest(createHash("sha256").update(bytes).digest()));
      const revalidated = await world.app.request(path, { headers: { "if-none-match": res.headers.get("etag")! } });
      expect(revalidated.status, path).toBe(304);
    }
  });

  it("never hides an import: the next search reads the new data", async () => {
    const before = await (await search()).json();
    const csv =
      "batch,genericName,category,manufacturer,chosenPrice,referencePrice,referenceKind\nnational-device-stent,冠脉球囊,device,测试医疗,300,3000,pre_vbp\n";
    const report = await runImport(world.db, { kind: "prices", bytes: new TextEncoder().encode(csv) });
    expect(report.errors).toEqual([]);
    const after = await search();
    expect(after.headers.get("x-cache")).toBe("MISS");
    const body = await after.json();
    expect(body.meta.total).toBe(before.meta.total + 1);
    expect(body.data.map((p: any) => p.product.genericName)).toContain("冠脉球囊");
  });

  it("is not used for errors, exports or the admin's import log", async () => {
    const bad = await world.app.request("/api/v1/prices?limit=999");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("x-cache")).toBeNull();
    const csv = await world.app.request("/api/v1/prices.csv?batch=national-device-stent");
    expect(csv.headers.get("x-cache")).toBeNull();
  });
});

describe("MemoryResponseCache", () => {
  it("keeps within its byte budget, dropping the least recently used answer first", async () => {
    const cache = new MemoryResponseCache(10_000);
    const put = (k: string) => cache.put(new Request(`https://c/${k}`), new Response("x".repeat(1000)));
    for (const k of ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]) await put(k);
    expect(cache.size).toEqual({ entries: 10, bytes: 10_000 });
    expect(await cache.match(new Request("https://c/a"))).toBeDefined(); // a is now the most recent
    await put("k");
    expect(cache.size.bytes).toBeLessThanOrEqual(10_000);
    expect(await cache.match(new Request("https://c/b"))).toBeUndefined();
    expect(await (await cache.match(new Request("https://c/a")))!.text()).toBe("x".repeat(1000));
  });

  it("does not let one huge answer evict everything", async () => {
    const cache = new MemoryResponseCache(10_000);
    await cache.put(new Request("https://c/small"), new Response("s"));
    await cache.put(new Request("https://c/huge"), new Response("h".repeat(5000)));
    expect(await cache.match(new Request("https://c/huge"))).toBeUndefined();
    expect(await cache.match(new Request("https://c/small"))).toBeDefined();
  });
});

describe("identical requests that arrive together", () => {
  it("are answered from one computation with identical bodies", async () => {
    const world = await createTestWorld({ responseCacheBytes: 8 * 1024 * 1024 });
    try {
      const path = `/api/v1/prices?q=${encodeURIComponent("人工膝关节")}`;
      const answers = await Promise.all(Array.from({ length: 8 }, () => world.app.request(path)));
      const statuses = answers.map((r) => r.headers.get("x-cache"));
      expect(statuses.filter((s) => s === "MISS")).toHaveLength(1);
      expect(statuses.filter((s) => s === "HIT")).toHaveLength(7);
      const bodies = await Promise.all(answers.map((r) => r.text()));
      expect(new Set(bodies).size).toBe(1);
      expect(JSON.parse(bodies[0]!).data[0].discountPct).toBe(81.44);
    } finally {
      world.close();
    }
  });
});

describe("the data version cached answers are keyed by", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld({ responseCacheBytes: 8 * 1024 * 1024 });
  });
  afterAll(() => world.close());

  it("sees an import by another process (the CLI) within a second, and one through this process at once", async () => {
    const search = () => world.app.request(`/api/v1/prices?q=${encodeURIComponent("他汀")}`);
    const now = Date.now();
    const v = await readDataVersion(world.db, now);
    // Another connection to the same file, as `npm run import` would have.
    const other = openLibsql(world.url);
    await other.client.execute("UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'");
    other.close();
    expect(await readDataVersion(world.db, now + 500)).toBe(v);
    expect(await readDataVersion(world.db, now + 1001)).toBe(String(Number(v) + 1));

    await search();
    expect((await search()).headers.get("x-cache")).toBe("HIT");
    const csv = "batch,genericName,category,manufacturer,chosenPrice,referencePrice,referenceKind\nnational-drug-4,阿托伐他汀钙片,drug,测试药业,1,10,pre_vbp\n";
    expect((await runImport(world.db, { kind: "prices", bytes: new TextEncoder().encode(csv) })).errors).toEqual([]);
    expect((await search()).headers.get("x-cache")).toBe("MISS");
  });
});
