import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { okJson, typedClient } from "../support/client";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";
import type { Api } from "../support/world";

/**
 * The Node server with READ_THREADS: every answer is the one the single connection gives, and an
 * import through the server is seen by the next read on any thread.
 */
let plain: TestWorld;
let pooled: TestWorld;
beforeAll(async () => {
  plain = await createTestWorld();
  pooled = await createTestWorld({ readThreads: 2 });
});
afterAll(() => {
  plain?.close();
  pooled?.close();
});

const api = (world: TestWorld): Api => typedClient(world.app).api.v1;

/** Each read, named for the failure message, as a typed call. */
const READS: Array<[string, (api: Api) => Promise<Response>]> = [
  ["prices?q=atfttgp", (api) => api.prices.$get({ query: { q: "atfttgp" } })],
  ["prices?q=他汀&sort=-discount", (api) => api.prices.$get({ query: { q: "他汀", sort: "-discount" } })],
  ["prices?sort=unitPrice&limit=2", (api) => api.prices.$get({ query: { sort: "unitPrice", limit: "2" } })],
  ["batches", (api) => api.batches.$get({ query: {} })],
  ["batches/national-drug-4", (api) => api.batches[":id"].$get({ param: { id: "national-drug-4" } })],
  ["suggest?q=at", (api) => api.suggest.$get({ query: { q: "at" } })],
  ["savings?groupBy=batch", (api) => api.savings.$get({ query: { groupBy: "batch" } })],
];

describe("reads on threads answer as the server's own connection does", () => {
  it("gives the same answers", async () => {
    for (const [name, read] of READS) {
      const a = await read(api(plain));
      const b = await read(api(pooled));
      expect(a.status, name).toBe(200);
      expect(b.status, name).toBe(a.status);
      const [bodyA, bodyB] = [await a.json(), await b.json()];
      expect(JSON.stringify(bodyB.data ?? bodyB), name).toBe(JSON.stringify(bodyA.data ?? bodyA));
    }
  });

  it("sees an import at once", async () => {
    const before = await okJson(api(pooled).batches.$get({ query: {} }));
    // Raw: a text/csv body, which the typed client cannot send (it sends only the multipart form).
    const res = await pooled.app.request("/api/v1/imports?kind=batches", {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv" },
      body: "id,name,level,category\ntest-pool-batch,读线程测试批次,provincial,drug\n",
    });
    expect(res.status).toBe(200);
    const after = await okJson(api(pooled).batches.$get({ query: {} }));
    expect(after.meta.total).toBe(before.meta.total + 1);
  });
});
