import { existsSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterEach, describe, expect, it } from "vitest";
import { errorJson, okJson, typedClient } from "../support/client";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

let world: TestWorld | undefined;
afterEach(() => {
  world?.close();
  world = undefined;
});

/** The typed client over this test's world. */
const client = () => {
  if (!world) throw new Error("no test world yet");
  return typedClient(world.app);
};
const health = () => client().health.$get();
const search = () => client().api.v1.prices.$get({ query: { q: "阿托伐他汀" } });

describe("/health checks the schema, and a running server never makes a fresh empty database", () => {
  it("answers 503 when the tables are gone, not ok for a database that merely opens", async () => {
    world = await createTestWorld({ seed: false });
    expect(await okJson(health())).toEqual({ status: "ok" });
    const other = createClient({ url: world.url });
    await other.execute("PRAGMA foreign_keys = OFF");
    await other.execute("DROP TABLE prices");
    other.close();
    const gone = await errorJson(health());
    expect(gone.status).toBe(503);
    expect(gone.body.error.code).toBe("database_unavailable");
  });

  it("after the file is deleted: /health and searches answer 503, and no new empty file appears, even after a busy error", async () => {
    world = await createTestWorld();
    expect((await search()).status).toBe(200);
    const file = world.url.slice("file:".length);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
    const gone = await errorJson(health());
    expect(gone.status).toBe(503);
    expect(gone.body.error.message).toContain("removed or replaced");
    expect((await search()).status).toBe(503);
    const page = await world.app.request("/");
    expect(page.status).toBe(503);
    // Raw: a text/csv body, which the typed client cannot send (it sends only the multipart form).
    const write = await world.app.request("/api/v1/imports?kind=regions", {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv" },
      body: "code,name,level\n990000,测试区,province\n",
    });
    expect(write.status).toBe(503);
    expect(existsSync(file)).toBe(false);
  });

  it("treats a file replaced under the server (moved away, another put in its place) as gone", async () => {
    world = await createTestWorld({ seed: false });
    const file = world.url.slice("file:".length);
    const other = await createTestWorld({ seed: false });
    try {
      renameSync(file, join(world.dir, "moved.db"));
      renameSync(other.url.slice("file:".length), file);
      expect((await health()).status).toBe(503);
    } finally {
      other.close();
    }
    unlinkSync(file);
  });
});
