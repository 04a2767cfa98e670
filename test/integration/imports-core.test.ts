import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport } from "../../src/services/imports";
import { createTestWorld, type TestWorld } from "../support/test-db";

const csv = (text: string) => new TextEncoder().encode(text);

const HEADER = "batch,genericName,dosageForm,spec,packageQty,manufacturer,chosenPrice,referencePrice,referenceKind,supplyRegions\n";

async function snapshot(world: TestWorld) {
  const tables = ["batches", "products", "prices", "price_regions", "regions", "volumes", "batch_stats"];
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = await world.db.all(sql.raw(`SELECT * FROM ${t} ORDER BY 1`));
  return out;
}

describe("imports are all or nothing and idempotent", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(() => world.close());

  it("rejects a whole file for one bad row, naming its row and column, and writes nothing", async () => {
    const before = await snapshot(world);
    const file =
      HEADER +
      "national-drug-3,好药片,片剂,10mg,7,甲公司,1.5,3,ceiling,\n" +
      "national-drug-3,坏药片,片剂,10mg,7,乙公司,abc,3,ceiling,\n" +
      "national-drug-3,远药片,片剂,10mg,7,丙公司,1.2,3,ceiling,火星\n";
    for (const dryRun of [false, true]) {
      const report = await runImport(world.db, { kind: "prices", bytes: csv(file), dryRun });
      expect(report.rowsTotal).toBe(3);
      expect(report.rowsImported).toBe(0);
      expect(report.errors).toEqual([
        { row: 3, column: "chosenPrice", message: expect.stringContaining("abc") },
        { row: 4, column: "supplyRegions", message: expect.stringContaining("火星") },
      ]);
    }
    expect(await snapshot(world)).toEqual(before);
  });

  it("imports a good file, and importing it again changes nothing", async () => {
    const file = `${HEADER}national-drug-3,好药片,片剂,10mg,7,甲公司,1.5,3,ceiling,内蒙古自治区、乌海市\n`;
    const first = await runImport(world.db, { kind: "prices", bytes: csv(file) });
    expect(first.errors).toEqual([]);
    expect(first.rowsImported).toBe(1);
    const after = await snapshot(world);
    const again = await runImport(world.db, { kind: "prices", bytes: csv(file) });
    expect(again.errors).toEqual([]);
    expect(await snapshot(world)).toEqual(after);
    const row = (after.prices as any[]).find((p) => p.chosen_price_e4 === 15000);
    expect(row).toMatchObject({ reference_price_e4: 30000, discount_bp: 5000, unit_price_e4: 2143, supply_regions: "15,150300" });
  });

  it("a dry run of a good file reports what it would write and writes nothing", async () => {
    const before = await snapshot(world);
    const file = `${HEADER}national-drug-3,新药片,片剂,5mg,7,丁公司,2,4,ceiling,\n`;
    const report = await runImport(world.db, { kind: "prices", bytes: csv(file), dryRun: true });
    expect(report).toMatchObject({ dryRun: true, rowsTotal: 1, rowsImported: 1, errors: [] });
    expect(await snapshot(world)).toEqual(before);
  });

  it("reports duplicates within a file and an unknown batch", async () => {
    const file =
      HEADER +
      "national-drug-3,双药片,片剂,10mg,7,甲公司,1.5,3,ceiling,\n" +
      "national-drug-3,双药片,片剂,10mg,7,甲公司,1.4,3,ceiling,\n" +
      "no-such-batch,单药片,片剂,10mg,7,甲公司,1.5,3,ceiling,\n";
    const report = await runImport(world.db, { kind: "prices", bytes: csv(file) });
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [3, null],
      [4, "batch"],
    ]);
    expect(report.errors[0]!.message).toContain("row 2");
  });

  it("leaves an audit row for every attempt, dry run or not", async () => {
    const rows = await world.db.all<{ status: string; dry_run: number }>(sql`SELECT status, dry_run FROM imports ORDER BY id`);
    expect(rows.some((r) => r.status === "rejected")).toBe(true);
    expect(rows.some((r) => r.dry_run === 1)).toBe(true);
    expect(rows.some((r) => r.status === "succeeded" && r.dry_run === 0)).toBe(true);
  });
});
