import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRows } from "../../src/db/read-rows";
import { PRICE_COLUMNS_SQL, PRICE_FROM_SQL } from "../../src/services/price-view";
import { createTestWorld, type TestWorld } from "../support/test-db";

/**
 * Plans that must survive ANALYZE (or PRAGMA optimize, which operators and D1 run): statistics
 * that show a column almost always empty must not turn an index lookup into a scan of every price.
 * Replaying a service's own statements cannot find such a plan; EXPLAIN QUERY PLAN can.
 */
let world: TestWorld;
beforeAll(async () => {
  world = await createTestWorld();
  await world.db.run(sql`ANALYZE`);
});
afterAll(() => world.close());

async function plan(statement: string): Promise<string[]> {
  const rows = await readRows<{ detail: string }>(world.db, `EXPLAIN QUERY PLAN ${statement}`);
  return rows.map((r) => r.detail);
}

describe("query plans after ANALYZE, on the real seeds (no price renews another)", () => {
  it("a page of price items finds each price's renewal through prices_renews_idx, never by scanning prices", async () => {
    const steps = await plan(`SELECT ${PRICE_COLUMNS_SQL} FROM ${PRICE_FROM_SQL} WHERE p.id IN (1, 2, 3)`);
    const renewal = steps.filter((s) => / r\b/.test(s) && !/^SEARCH (p|pr|b) /.test(s));
    expect(renewal, steps.join("\n")).toEqual([
      expect.stringMatching(/^SEARCH r USING COVERING INDEX prices_renews_idx \(renews_price_id>\? AND renews_price_id<\?\)$/),
    ]);
  });
});
