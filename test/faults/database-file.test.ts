import { existsSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterEach, describe, expect, it } from "vitest";
import { createTestWorld, getJson, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

let world: TestWorld | undefined;
afterEach(() => {
  world?.close();
  world = undefined;
});

describe("/health checks the schema, and a running server never makes a fresh empty database", () => {
  it("answers 503 when the tables are gone, not ok for a database that merely opens", async () => {
    world = await createTestWorld({ seed: false });
    expect((await getJson(world.app, "/health")).status).toBe(200);
    const other = createClient({ url: world.url });
    await other.execute("PRAGMA foreign_keys = OFF");
    await other.execute("DROP TABLE prices");
    other.close();
    const health = await getJson(world.app, "/health");
    expect(health.status).toBe(503);
    expect(health.body.error.code).toBe("database_unavailable");
  });

  it("after the file is deleted: /health and searches answer 503, and no new empty file appears, even after a busy error", async () => {
    world = await createTestWorld();
    expect((await getJson(world.app, "/api/v1/prices?q=阿托伐他汀")).status).toBe(200);
    const file = world.url.slice("file:".length);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
    const health = await getJson(world.app, "/health");
    expect(health.status).toBe(503);
    expect(health.body.error.message).toContain("removed or replaced");
    const search = await getJson(world.app, "/api/v1/prices?q=阿托伐他汀");
    expect(search.status).toBe(503);
    const page = await world.app.request("/");
    expect(page.status).toBe(503);
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
      expect((await getJson(world.app, "/health")).status).toBe(503);
    } finally {
      other.close();
    }
    unlinkSync(file);
  });
});
