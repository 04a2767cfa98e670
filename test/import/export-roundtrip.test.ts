import { sql } from "drizzle-orm";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport } from "../../src/services/imports";
import { BATCH_COLUMNS, PRICE_COLUMNS, syntheticBatches, syntheticPrices } from "../../src/synthetic";
import { createTestWorld, type TestWorld } from "../support/test-db";

const encode = (rows: object[], columns: readonly string[]) =>
  new TextEncoder().encode(Papa.unparse(rows as Record<string, unknown>[], { columns: [...columns] }));
const HEADER = "batch,genericName,dosageForm,spec,packageQty,manufacturer,chosenPrice,referencePrice,referenceKind,supplyRegions\n";
const HOSTILE =
  HEADER +
  'national-drug-3,"=HYPERLINK(""http://x"",""点我"")",片剂,10mg,7,+公司,1.5,3,ceiling,\n' +
  "national-drug-3,@药片,片剂,-5mg,7,甲公司,2,1,ceiling,内蒙古自治区\n";

/** Every price with its product, as the data a user sees (no ids or timestamps; the cycle a price is in force). */
async function dataOf(world: TestWorld) {
  return world.db.all(sql`SELECT p.batch_id, pr.natural_key, pr.category, pr.generic_name, pr.generic_name_en, pr.dosage_form, pr.spec,
      pr.package_text, pr.package_qty, pr.package_unit, pr.smallest_unit, pr.manufacturer, pr.nhsa_code, pr.approval_no,
      p.chosen_price_e4, p.reference_price_e4, p.reference_kind, p.unit_price_e4, p.discount_bp, p.supply_regions, p.agreed_volume,
      COALESCE(p.cycle_start, b.cycle_start) AS cycle_start, COALESCE(p.cycle_end, b.cycle_end) AS cycle_end, p.source, p.synthetic
    FROM prices p JOIN products pr ON pr.id = p.product_id JOIN batches b ON b.id = p.batch_id ORDER BY p.batch_id, pr.natural_key`);
}

async function load(world: TestWorld) {
  for (const [kind, bytes] of [
    ["batches", encode(syntheticBatches(), BATCH_COLUMNS)],
    ["prices", encode([...syntheticPrices({ count: 400, seed: 3 })], PRICE_COLUMNS)],
    ["prices", new TextEncoder().encode(HOSTILE)],
  ] as const) {
    const report = await runImport(world.db, { kind, bytes });
    expect(report.errors).toEqual([]);
  }
}

describe("GET /api/v1/prices.csv", () => {
  let source: TestWorld;
  beforeAll(async () => {
    source = await createTestWorld();
    await load(source);
  });
  afterAll(() => source.close());

  it("is UTF-8 with a BOM and CRLF, with Chinese headers by default and English on request", async () => {
    const res = await source.app.request("/api/v1/prices.csv?batch=national-drug-3");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split("\r\n")[0]).toMatch(/^批次,类别,药品通用名,/);
    const en = await (await source.app.request("/api/v1/prices.csv?batch=national-drug-3&headers=en")).text();
    expect(en.split("\r\n")[0]).toMatch(/^batch,category,genericName,/);
  });

  it("makes cells that start with = + - @ inert for spreadsheets", async () => {
    const text = await (await source.app.request("/api/v1/prices.csv?batch=national-drug-3&headers=en")).text();
    const rows = Papa.parse<Record<string, string>>(text.replace(/^\ufeff/, ""), { header: true, skipEmptyLines: true }).data;
    const link = rows.find((r) => r.genericName!.includes("HYPERLINK"))!;
    expect(link.genericName).toBe('\'=HYPERLINK("http://x","点我")');
    expect(link.manufacturer).toBe("'+公司");
    const at = rows.find((r) => r.genericName === "'@药片")!;
    expect(at.spec).toBe("'-5mg");
    expect(at.discountPct).toBe("'-100%");
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it("follows the search's filters", async () => {
    const text = await (await source.app.request("/api/v1/prices.csv?category=device&headers=en")).text();
    const rows = Papa.parse<Record<string, string>>(text.replace(/^\ufeff/, ""), { header: true, skipEmptyLines: true }).data;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.category === "device")).toBe(true);
    expect((await source.app.request("/api/v1/prices.csv?minDiscount=abc")).status).toBe(400);
  });

  for (const headers of ["zh", "en"] as const) {
    it(`exported (${headers} headers) then imported into an empty database gives the same data`, async () => {
      // Every price, ended ones too (an export follows the search, which shows prices in force by default).
      const res = await source.app.request(`/api/v1/prices.csv?headers=${headers}&include=ended`);
      const exported = new Uint8Array(await res.arrayBuffer());
      const target = await createTestWorld();
      try {
        expect((await runImport(target.db, { kind: "batches", bytes: encode(syntheticBatches(), BATCH_COLUMNS) })).errors).toEqual([]);
        const report = await runImport(target.db, { kind: "prices", bytes: exported });
        expect(report.errors).toEqual([]);
        expect(report.warnings.filter((w) => w.startsWith("columns ignored"))).toEqual([]);
        expect(await dataOf(target)).toEqual(await dataOf(source));
      } finally {
        target.close();
      }
    });
  }
});

describe("the real seeds exported and imported again", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(() => world.close());

  /** Every stored field of every price and its product, the timestamps too: an unchanged row is not rewritten. */
  const stored = () => world.db.all(sql`SELECT p.*, pr.* FROM prices p JOIN products pr ON pr.id = p.product_id ORDER BY p.id`);

  for (const headers of ["zh", "en"] as const) {
    it(`(${headers} headers) are the same prices: every row unchanged, both baselines kept`, async () => {
      const before = await stored();
      // 乐普's clopidogrel in the 4+7 expansion carries a ceiling and a pre-procurement price (seeds/prices-national.csv).
      const [both] = await world.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM prices p JOIN products pr ON pr.id = p.product_id
        WHERE p.batch_id = 'national-drug-1-expansion' AND pr.generic_name = '氯吡格雷' AND pr.manufacturer = '乐普药业股份有限公司'
          AND p.ceiling_price_e4 IS NOT NULL AND p.pre_vbp_price_e4 IS NOT NULL`);
      expect(both!.n).toBe(1);
      const res = await world.app.request(`/api/v1/prices.csv?headers=${headers}&include=ended`);
      expect(res.status).toBe(200);
      const exported = new Uint8Array(await res.arrayBuffer());
      const report = await runImport(world.db, { kind: "prices", bytes: exported });
      expect(report.errors).toEqual([]);
      expect(report.rowsValid).toBe(before.length);
      expect([report.rowsImported, report.rowsUnchanged]).toEqual([0, before.length]);
      expect(await stored()).toEqual(before);
    });
  }
});
