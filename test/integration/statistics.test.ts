import { createClient } from "@libsql/client";
import { afterEach, describe, expect, it } from "vitest";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

let world: TestWorld | undefined;
afterEach(() => world?.close());

async function statRows(url: string): Promise<Array<{ tbl: string; idx: string | null }>> {
  const c = createClient({ url });
  try {
    const has = await c.execute("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'sqlite_stat1'");
    if (!Number(has.rows[0]?.n)) return [];
    return (await c.execute("SELECT tbl, idx FROM sqlite_stat1")).rows.map((r) => ({ tbl: String(r.tbl), idx: r.idx === null ? null : String(r.idx) }));
  } finally {
    c.close();
  }
}

describe("planner statistics stay current", () => {
  it("a database opened for the first time has statistics for its price indexes", async () => {
    world = await createTestWorld({ seed: true });
    const rows = await statRows(world.url);
    expect(rows.some((r) => r.tbl === "prices" && r.idx === "prices_unit_price_idx")).toBe(true);
  });

  it("an import refreshes them: the planner sees the rows it added", async () => {
    world = await createTestWorld({ seed: false });
    const c = createClient({ url: world.url });
    try {
      await c.execute("DELETE FROM sqlite_stat1");
      const res = await world.app.request("/api/v1/imports?kind=regions", {
        method: "POST",
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv" },
        body: "code,name,level\n990000,测试区,province\n990100,测试市,city\n",
      });
      expect(res.status).toBe(200);
      const stat = await c.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'regions' AND idx IS NULL OR tbl = 'regions' AND idx = 'regions_parent_idx'");
      expect(stat.rows.length).toBeGreaterThan(0);
      // The first number of a stat row is the table's row count as the planner will see it.
      expect(Number(String(stat.rows[0]?.stat).split(" ")[0])).toBeGreaterThanOrEqual(2);
    } finally {
      c.close();
    }
  });

  it("a dry run leaves them as they were", async () => {
    world = await createTestWorld({ seed: false });
    const c = createClient({ url: world.url });
    try {
      await c.execute("DELETE FROM sqlite_stat1");
      const res = await world.app.request("/api/v1/imports?kind=regions&dryRun=true", {
        method: "POST",
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv" },
        body: "code,name,level\n990000,测试区,province\n",
      });
      expect(res.status).toBe(200);
      expect((await c.execute("SELECT count(*) AS n FROM sqlite_stat1")).rows[0]?.n).toBe(0);
    } finally {
      c.close();
    }
  });
});
