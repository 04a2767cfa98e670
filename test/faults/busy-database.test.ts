import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { okJson } from "../support/client";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";
import { apiClients } from "../support/world";

// Another process holding the database (a backup tool, a stuck import) must give callers a 503
// they can retry, not a 500. The app's connection waits busy_timeout (5 s) before giving up.
describe("a locked database", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(() => world.close());
  const { api } = apiClients({
    get app() {
      return world.app;
    },
  });

  it("answers a write 503 with Retry-After while another connection holds the write lock, reads keep working, then writes work again", async () => {
    const other = createClient({ url: world.url });
    const tx = await other.transaction("write");
    await tx.execute("INSERT INTO app_meta (key, value) VALUES ('lock-holder', 'x')");
    try {
      // Raw: a text/csv body, which the typed client cannot send (it sends only the multipart form).
      const write = await world.app.request("/api/v1/imports?kind=regions", {
        method: "POST",
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv" },
        body: "code,name,level\n990000,测试区,province\n",
      });
      expect(write.status).toBe(503);
      expect(write.headers.get("retry-after")).toBe("1");
      expect((await write.json()).error.code).toBe("database_busy");
      const read = await api.batches.$get({ query: {} });
      expect(read.status).toBe(200);
    } finally {
      await tx.rollback();
      tx.close();
      other.close();
    }
    const retry = await world.app.request("/api/v1/imports?kind=regions", {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv" },
      body: "code,name,level\n990000,测试区,province\n",
    });
    expect(retry.status).toBe(200);
    const body = await okJson(api.batches.$get({ query: {} }));
    expect(body.meta.total).toBe(14);
  }, 30_000);
});
