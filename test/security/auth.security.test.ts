import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import type { LogLine } from "../../src/middleware/request-context";
import { errorJson, okJson } from "../support/client";
import { createTestWorld, TEST_ADMIN_TOKEN } from "../support/test-db";
import { apiClients, useTestWorld } from "../support/world";

const CSV = "code,name,level\n990001,测试区,province\n";

describe("token-protected writes", () => {
  const world = useTestWorld();
  const { api } = apiClients(world);

  const post = (headers: Record<string, string>, path = "/api/v1/imports?kind=regions") =>
    world.app.request(path, { method: "POST", headers: { "content-type": "text/csv", ...headers }, body: CSV });

  it("refuses every near miss of the token with 401 and writes nothing", async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: "" },
      { authorization: "Bearer" },
      { authorization: "Bearer " },
      { authorization: `Basic ${btoa(`admin:${TEST_ADMIN_TOKEN}`)}` },
      { authorization: `Bearer ${TEST_ADMIN_TOKEN.slice(0, -1)}` },
      { authorization: `Bearer ${TEST_ADMIN_TOKEN}x` },
      { authorization: `Bearer ${TEST_ADMIN_TOKEN.toUpperCase()}` },
      { authorization: `Bearer ${TEST_ADMIN_TOKEN.slice(0, 8)}` },
      { "x-admin-token": TEST_ADMIN_TOKEN },
      { cookie: `token=${TEST_ADMIN_TOKEN}` },
    ];
    for (const headers of attempts) {
      const res = await post(headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect((await res.json()).error.code).toBe("unauthorized");
    }
    const inQuery = await post({}, `/api/v1/imports?kind=regions&token=${TEST_ADMIN_TOKEN}`);
    expect(inQuery.status).toBe(401);
    const rows = await world.db.all(sql`SELECT code FROM regions WHERE code = '990001'`);
    expect(rows).toEqual([]);
    const audit = await errorJson(api.imports.$get({ query: {} }));
    expect(audit.status).toBe(401);
    expect(audit.body.error.code).toBe("unauthorized");
  });

  it("answers 403 with how to enable imports when no token is configured, whatever is sent", async () => {
    const open = await createTestWorld({ seed: false, adminToken: null });
    try {
      for (const authorization of ["", "Bearer ", "Bearer undefined", "Bearer null", `Bearer ${TEST_ADMIN_TOKEN}`]) {
        const res = await open.app.request("/api/v1/imports?kind=regions", {
          method: "POST",
          headers: { "content-type": "text/csv", authorization },
          body: CSV,
        });
        expect(res.status).toBe(403);
        expect((await res.json()).error.message).toContain("ADMIN_TOKEN");
      }
    } finally {
      open.close();
    }
  });

  it("never writes the token or the query string to the request log", async () => {
    const lines: LogLine[] = [];
    const app = createApp({ deps: () => ({ db: world.db, adminToken: TEST_ADMIN_TOKEN, importBodyLimitBytes: 1 << 20 }), log: (l) => lines.push(l) });
    await app.request(`/api/v1/imports?kind=regions&dryRun=true`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv" },
      body: CSV,
    });
    await app.request(`/api/v1/prices?q=${encodeURIComponent("患者张三的药")}`);
    expect(lines).toHaveLength(2);
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain(TEST_ADMIN_TOKEN);
    expect(logged).not.toContain("张三");
    expect(lines[0]).toMatchObject({ method: "POST", path: "/api/v1/imports", status: 200 });
  });
});

describe("hostile ids and queries", () => {
  const world = useTestWorld();
  const { api } = apiClients(world);

  it("treats path traversal in ids as a bad or unknown id", async () => {
    for (const id of ["..%2F..%2Fetc%2Fpasswd", "%2E%2E", "1%00", "1;DROP TABLE prices", "0x1", "1e3"]) {
      // Raw requests on purpose: the ids are already percent-encoded, which the typed client would encode again.
      const price = await world.app.request(`/api/v1/prices/${id}`);
      expect([400, 404], id).toContain(price.status);
      const batch = await world.app.request(`/api/v1/batches/${id}`);
      expect([400, 404], id).toContain(batch.status);
      expect(await batch.text()).not.toContain("root:");
    }
  });

  it("reads SQL and FTS syntax in queries as plain text and leaves the data intact", async () => {
    const before = await world.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM prices`);
    for (const q of ["'; DROP TABLE prices; --", '" OR ""="', "阿托伐他汀 OR 1=1", "NEAR(阿托 他汀)", "*", "AND", "(10mg)", "\\"]) {
      const res = await okJson(api.prices.$get({ query: { q } }));
      expect(Array.isArray(res.data), q).toBe(true);
      const manufacturer = await okJson(api.prices.$get({ query: { manufacturer: q } }));
      expect(Array.isArray(manufacturer.data), q).toBe(true);
    }
    expect(await world.db.all(sql`SELECT count(*) AS n FROM prices`)).toEqual(before);
  });

  it("refuses oversized query values and bodies with a 4xx", async () => {
    // Raw on purpose: a query value longer than the contract allows, which the typed client would also send as is.
    const long = await world.app.request(`/api/v1/prices?q=${"药".repeat(5000)}`);
    expect(long.status).toBe(400);
    const big = await world.app.request("/api/v1/imports?kind=regions", {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv", "content-length": String(6 * 1024 * 1024) },
      body: "x".repeat(6 * 1024 * 1024),
    });
    expect(big.status).toBe(413);
  });
});
