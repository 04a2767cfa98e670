import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestWorld, getJson, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

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

const PATHS = [
  "/api/v1/prices?q=atfttgp",
  "/api/v1/prices?q=他汀&sort=-discount",
  "/api/v1/prices?sort=unitPrice&limit=2",
  "/api/v1/batches",
  "/api/v1/batches/national-drug-4",
  "/api/v1/suggest?q=at",
  "/api/v1/savings?groupBy=batch",
];

describe("reads on threads answer as the server's own connection does", () => {
  it("gives the same answers", async () => {
    for (const path of PATHS) {
      const a = await getJson(plain.app, path);
      const b = await getJson(pooled.app, path);
      expect(b.status, path).toBe(a.status);
      expect(JSON.stringify(b.body.data ?? b.body), path).toBe(JSON.stringify(a.body.data ?? a.body));
    }
  });

  it("sees an import at once", async () => {
    const before = await getJson(pooled.app, "/api/v1/batches");
    const res = await pooled.app.request("/api/v1/imports?kind=batches", {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv" },
      body: "id,name,level,category\ntest-pool-batch,读线程测试批次,provincial,drug\n",
    });
    expect(res.status).toBe(200);
    const after = await getJson(pooled.app, "/api/v1/batches");
    expect(after.body.meta.total).toBe(before.body.meta.total + 1);
  });
});
