import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestWorld, type TestWorld } from "../support/test-db";

/**
 * The savings rollups exist only through triggers. A drizzle-kit table rebuild (__new_x … DROP …
 * RENAME) of volumes, prices, products, regions or a rollup silently drops them, and the answers then
 * drift from the raw rows without any error. After all migrations they must all be there.
 */
const SAVINGS_TRIGGERS: Array<[name: string, table: string]> = [
  ["volumes_rollup_after_insert", "volumes"],
  ["volumes_rollup_before_update", "volumes"],
  ["volumes_rollup_after_update", "volumes"],
  ["volumes_rollup_before_delete", "volumes"],
  ["prices_rollup_before_update", "prices"],
  ["prices_rollup_after_update", "prices"],
  ["products_rollup_before_update", "products"],
  ["products_rollup_after_update", "products"],
  ["regions_rollup_before_update", "regions"],
  ["regions_rollup_after_update", "regions"],
  ["savings_rollup_brm_after_insert", "savings_rollup_batch_region_month"],
  ["savings_rollup_brm_after_update", "savings_rollup_batch_region_month"],
  ["savings_rollup_brm_after_delete", "savings_rollup_batch_region_month"],
];

/** Every rollup the fine one (batch × region × month) feeds. */
const COARSE_ROLLUPS = [
  "savings_rollup_batch_month",
  "savings_rollup_region_month",
  "savings_rollup_batch_region",
  "savings_rollup_batch",
  "savings_rollup_region",
  "savings_rollup_month",
];

let world: TestWorld;
beforeAll(async () => {
  world = await createTestWorld();
});
afterAll(() => world?.close());

describe("savings triggers after all migrations", () => {
  it("exist on their tables", async () => {
    const rows = await world.db.all<{ name: string; tbl: string }>(sql`SELECT name, tbl_name AS tbl FROM sqlite_master WHERE type = 'trigger'`);
    const present = new Map(rows.map((r) => [r.name, r.tbl]));
    for (const [name, table] of SAVINGS_TRIGGERS) expect(present.get(name), name).toBe(table);
  });

  it("feed every coarse rollup from each change of the fine one", async () => {
    const rows = await world.db.all<{ name: string; body: string }>(
      sql`SELECT name, sql AS body FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'savings_rollup_batch_region_month'`,
    );
    expect(rows.map((r) => r.name).sort()).toEqual(["savings_rollup_brm_after_delete", "savings_rollup_brm_after_insert", "savings_rollup_brm_after_update"]);
    for (const r of rows) for (const table of COARSE_ROLLUPS) expect(r.body, `${r.name} → ${table}`).toContain(`INSERT INTO \`${table}\``);
  });
});
