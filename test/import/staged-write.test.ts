import { sql } from "drizzle-orm";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { singleBatchWrite, transactionWrite } from "../../src/import/writer";
import { runImport } from "../../src/services/imports";
import { BATCH_COLUMNS, PRICE_COLUMNS, syntheticBatches, syntheticPrices } from "../../src/synthetic";
import { createTestWorld, type TestWorld } from "../support/test-db";

const encode = (rows: object[], columns: readonly string[]) =>
  new TextEncoder().encode(Papa.unparse(rows as Record<string, unknown>[], { columns: [...columns] }));
const text = (s: string) => new TextEncoder().encode(s);
const HEADER = "batch,genericName,dosageForm,spec,packageQty,manufacturer,approvalNo,chosenPrice,referencePrice,referenceKind,supplyRegions\n";

/** The CLI's writer with tiny chunks and slices, so a small file crosses many of both. */
const staged = transactionWrite({ chunkRows: 7, stagedRows: 30 });

/** Everything an import writes or derives, without ids, timestamps or the audit log. */
async function dataOf(world: TestWorld) {
  const q = (text: string) => world.db.all(sql.raw(text));
  return {
    prices: await q(`SELECT p.batch_id, pr.natural_key, pr.category, pr.generic_name, pr.generic_name_en, pr.dosage_form, pr.spec,
        pr.package_text, pr.package_qty, pr.package_unit, pr.smallest_unit, pr.manufacturer, pr.nhsa_code, pr.approval_no, pr.name_norm,
        pr.name_pinyin, pr.name_initials, pr.synthetic AS product_synthetic, p.chosen_price_e4, p.reference_price_e4, p.reference_kind,
        p.unit_price_e4, p.discount_bp, p.supply_regions, p.agreed_volume, p.cycle_start, p.cycle_end, p.source, p.synthetic
      FROM prices p JOIN products pr ON pr.id = p.product_id ORDER BY p.batch_id, pr.natural_key`),
    regions: await q(`SELECT p.batch_id, pr.natural_key, r.region_code FROM price_regions r JOIN prices p ON p.id = r.price_id
      JOIN products pr ON pr.id = p.product_id ORDER BY 1, 2, 3`),
    products: await q("SELECT count(*) AS n FROM products WHERE synthetic = 1"),
    search: await q(`SELECT pr.natural_key, s.batch_id, s.unit_price_e4, s.discount_bp, s.category FROM price_search s
      JOIN products pr ON pr.id = s.product_id ORDER BY 1, 2`),
    stats: await q("SELECT batch_id, stats FROM batch_stats ORDER BY 1"),
  };
}

/** Rows and their rowids: "changes nothing" means not even a delete and re-insert. */
async function rawRows(world: TestWorld) {
  const out: Record<string, unknown[]> = {};
  for (const t of ["products", "prices", "price_regions", "price_search", "batch_stats"]) {
    out[t] = await world.db.all(sql.raw(`SELECT rowid AS rid, * FROM ${t} ORDER BY rowid`));
  }
  return out;
}

describe("the CLI's staged writer (TEMP tables, set-based slices) writes what the HTTP writer writes", () => {
  const worlds: Record<"http" | "cli", TestWorld> = {} as never;
  const file = encode([...syntheticPrices({ count: 240, seed: 7 })], PRICE_COLUMNS);

  beforeAll(async () => {
    for (const name of ["http", "cli"] as const) {
      worlds[name] = await createTestWorld();
      const batches = await runImport(worlds[name].db, { kind: "batches", bytes: encode(syntheticBatches(), BATCH_COLUMNS) });
      expect(batches.errors).toEqual([]);
    }
  });
  afterAll(() => Object.values(worlds).forEach((w) => w.close()));

  const both = async (bytes: Uint8Array) => {
    const http = await runImport(worlds.http.db, { kind: "prices", bytes, write: singleBatchWrite });
    const cli = await runImport(worlds.cli.db, { kind: "prices", bytes, write: staged });
    expect(cli).toEqual({ ...http, importId: cli.importId });
    return cli;
  };

  it("imports a file whose products repeat across batches into the same rows, search index and statistics", async () => {
    const report = await both(file);
    expect(report.errors).toEqual([]);
    expect(report.rowsImported).toBe(240);
    const cli = await dataOf(worlds.cli);
    expect((cli.products[0] as { n: number }).n).toBeLessThan(240);
    expect(cli.regions.length).toBeGreaterThan(0);
    expect(cli).toEqual(await dataOf(worlds.http));
  });

  it("importing the same file again changes no row at all", async () => {
    const before = await rawRows(worlds.cli);
    expect((await both(file)).errors).toEqual([]);
    expect(await rawRows(worlds.cli)).toEqual(before);
  });

  it("a corrected product, price and supply regions replace the old ones (both writers)", async () => {
    const first = `${HEADER}national-drug-3,更正药片,片剂,10mg,7,更正公司,旧文号,1.5,3,ceiling,内蒙古自治区、乌海市\n`;
    const fixed = `${HEADER}national-drug-3,更正药片,片剂,10mg,7,更正公司,新文号,1.2,3,ceiling,乌海市、河北省\n`;
    expect((await both(text(first))).errors).toEqual([]);
    const report = await both(text(fixed));
    expect(report.errors).toEqual([]);
    for (const world of Object.values(worlds)) {
      const rows = await world.db.all<{ approval_no: string; chosen_price_e4: number; supply_regions: string; regions: string }>(sql`
        SELECT pr.approval_no, p.chosen_price_e4, p.supply_regions,
          (SELECT group_concat(region_code, ',') FROM (SELECT region_code FROM price_regions WHERE price_id = p.id ORDER BY 1)) AS regions
        FROM prices p JOIN products pr ON pr.id = p.product_id WHERE pr.generic_name = '更正药片'`);
      expect(rows).toEqual([{ approval_no: "新文号", chosen_price_e4: 12000, supply_regions: "150300,13", regions: "13,150300" }]);
    }
    expect(await dataOf(worlds.cli)).toEqual(await dataOf(worlds.http));
  });

  it("a bad row after several written slices rolls everything back and leaves no staging table", async () => {
    const before = await rawRows(worlds.cli);
    const good = [...syntheticPrices({ count: 100, seed: 11 })];
    const bad = { ...good[95]!, chosenPrice: "-1" };
    const report = await runImport(worlds.cli.db, { kind: "prices", bytes: encode([...good.slice(0, 95), bad], PRICE_COLUMNS), write: staged });
    expect(report.errors).toEqual([{ row: 97, column: "chosenPrice", message: expect.stringContaining("negative") }]);
    expect(report.rowsImported).toBe(0);
    expect(await rawRows(worlds.cli)).toEqual(before);
    expect(await worlds.cli.db.all(sql`SELECT name FROM sqlite_temp_master WHERE name LIKE 'import_%'`)).toEqual([]);
  });
});
