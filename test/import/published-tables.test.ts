import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileSource } from "../../src/cli/file-source";
import { openWorkbookTable } from "../../src/import/xlsx/read-workbook";
import { runImport } from "../../src/services/imports";
import { zhImportMessage } from "../../src/ui/import-messages-zh";
import { okJson, typedClient } from "../support/client";
import { createTestWorld, getJson, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

/*
 * Published-layout tables of national batches 2–4 (test/import/published, made from the committed
 * real workbook by make-published-tables.ts) import as they stand, given only the batch, as .xlsx,
 * CSV UTF-8 with BOM and CSV GB18030: the chosen-product counts are the published ones and every
 * reduction equals the one computed from the workbook's own cells.
 */
const DIR = join(import.meta.dirname, "published");
const WORKBOOK = join(import.meta.dirname, "../../seeds/source/national-vbp-results-batches-1-4.xlsx");
const TABLES = [
  { sheet: "第二轮集采", batch: "national-drug-2", file: "batch-2", chosen: 100, firms: 78 },
  { sheet: "第三轮集采", batch: "national-drug-3", file: "batch-3", chosen: 191, firms: 130 },
  { sheet: "第四轮集采", batch: "national-drug-4", file: "batch-4", chosen: 158, firms: 118 },
] as const;
const FORMS = [
  { suffix: ".xlsx", format: "xlsx", encoding: null },
  { suffix: "-utf8-bom.csv", format: "csv", encoding: "utf-8" },
  { suffix: "-gb18030.csv", format: "csv", encoding: "gb18030" },
] as const;

/** Reduction against the ceiling (最高限价) per chosen row of the workbook, from its cells: bid rounded to 4 places as published. */
async function workbookReductions(sheet: string): Promise<number[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(WORKBOOK);
  const ws = wb.getWorksheet(sheet)!;
  const out: number[] = [];
  ws.eachRow((row) => {
    // Formula cells (the ceiling is one in places) count by their cached value.
    const v = (row.values as unknown[]).map((c) => (c && typeof c === "object" && "result" in c ? (c as { result: unknown }).result : c));
    if (v[9] !== "是") return;
    const ceiling = Number(v[10]);
    const bid = Math.round(Number(v[12]) * 10_000) / 10_000;
    out.push(Math.round(((ceiling - bid) / ceiling) * 10_000) / 100);
  });
  return out.sort((a, b) => a - b);
}

describe("published tables of batches 2–4 import with nothing but the batch", () => {
  let world: TestWorld;
  beforeAll(async () => {
    // No seeds beyond regions and batches: the counts below are the file's alone.
    world = await createTestWorld();
    await world.db.run(sql`DELETE FROM price_regions`);
    await world.db.run(sql`DELETE FROM prices`);
    await world.db.run(sql`DELETE FROM bids`);
  });
  afterAll(() => world.close());

  for (const t of TABLES) {
    for (const form of FORMS) {
      it(`${t.file}${form.suffix}: ${t.chosen} chosen products, reductions as in the workbook`, async () => {
        const bytes = readFileSync(join(DIR, `${t.file}${form.suffix}`));
        const report = await runImport(world.db, {
          kind: "prices",
          bytes,
          batch: t.batch,
          fileName: `${t.file}${form.suffix}`,
          readWorkbook: openWorkbookTable,
        });
        expect(report.errors).toEqual([]);
        expect(report).toMatchObject({ format: form.format, encoding: form.encoding });
        if (form.format === "xlsx") expect(report.sheet).toBe(t.sheet);
        const [counts] = await world.db.all<{ n: number; firms: number }>(sql`SELECT count(*) AS n, count(DISTINCT pr.manufacturer) AS firms
          FROM prices p JOIN products pr ON pr.id = p.product_id WHERE p.batch_id = ${t.batch}`);
        expect(counts).toEqual({ n: t.chosen, firms: t.firms });
        const body = await okJson(typedClient(world.app).api.v1.batches[":id"].$get({ param: { id: t.batch } }));
        expect(JSON.stringify(body)).toContain(String(t.chosen));
        const stored = await world.db.all<{ bp: number }>(sql`SELECT discount_bp AS bp FROM prices WHERE batch_id = ${t.batch} ORDER BY discount_bp`);
        expect(stored.map((s) => s.bp / 100)).toEqual(await workbookReductions(t.sheet));
      });
    }
  }

  it("re-importing the same table changes nothing and says so", async () => {
    const bytes = readFileSync(join(DIR, "batch-4-gb18030.csv"));
    const report = await runImport(world.db, { kind: "prices", bytes, batch: "national-drug-4" });
    expect(report).toMatchObject({ rowsValid: 225, rowsImported: 0, rowsUnchanged: 225, errors: [] });
  });

  it("keeps the losing bids (是否中标 = 否) as bids, and names the note row, title rows and rounding", async () => {
    const bytes = readFileSync(join(DIR, "batch-2.xlsx"));
    const report = await runImport(world.db, { kind: "prices", bytes, batch: "national-drug-2", dryRun: true, readWorkbook: openWorkbookTable });
    expect(report.warnings).toEqual(
      expect.arrayContaining([
        'read sheet "第二轮集采" (header in row 3)',
        expect.stringMatching(/^\d+ amount cell\(s\) had more than 4 decimals and were rounded half-up to 4 \(first rows: 4, /),
        "58 losing bid(s) (是否中标 = 否 or 流标) kept as bids of the batch, not as chosen prices",
      ]),
    );
    const [bids] = await world.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM bids WHERE batch_id = 'national-drug-2'`);
    expect(bids!.n).toBe(58);
  });

  it("warns when most ceilings look per package beside prices per unit (the 4+7 expansion's sheet), and not for batches 2–4", async () => {
    const steep = /^the reduction against the ceiling \(最高有效申报价\) is above 90 % for/;
    // The expansion's 最高限价 is the pilot's price per 4+7 box (seeds/source/SOURCES.md): 帕罗西汀 33.4 against 1.559 a tablet.
    const expansion = await runImport(world.db, {
      kind: "prices",
      source: fileSource(WORKBOOK),
      sheet: "第一轮集采联盟地区",
      batch: "national-drug-1-expansion",
      dryRun: true,
      readWorkbook: openWorkbookTable,
    });
    expect(expansion.errors).toEqual([]);
    const warning = expansion.warnings.find((w) => steep.test(w));
    expect(warning).toMatch(/for 46 of the 60 prices that have one \(row 4 \(reduction 98\.18 %\), /);
    expect(warning).toContain("row 10 (reduction 98.95 %) and 41 more); a ceiling per package");
    expect(warning).toContain("check that the ceiling column is per smallest unit");
    expect(zhImportMessage(warning!)).toMatch(/^有最高有效申报价的 60 个价格中，46 个对它的降幅超过 90 %：第 4 行（降幅 98\.18%）/);
    for (const t of TABLES) {
      const report = await runImport(world.db, {
        kind: "prices",
        bytes: readFileSync(join(DIR, `${t.file}.xlsx`)),
        batch: t.batch,
        dryRun: true,
        readWorkbook: openWorkbookTable,
      });
      expect(
        report.warnings.filter((w) => steep.test(w)),
        t.batch,
      ).toEqual([]);
    }
  });

  it("imports over HTTP as an .xlsx body and as a multipart file", async () => {
    const bytes = readFileSync(join(DIR, "batch-3.xlsx"));
    const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    // Raw: an .xlsx body with its own content type, which the typed client cannot send (it sends only the multipart form).
    const direct = await getJson(world.app, "/api/v1/imports?kind=prices&batch=national-drug-3&dryRun=true", {
      method: "POST",
      body: bytes,
      headers: { ...auth, "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
    });
    expect(direct.status).toBe(200);
    expect(direct.body).toMatchObject({ format: "xlsx", sheet: "第三轮集采", rowsValid: 312, errors: [] });
    const admin = typedClient(world.app, auth).api.v1;
    const multipart = await okJson(
      admin.imports.$post({ query: { kind: "prices", batch: "national-drug-3" }, form: { file: new File([bytes], "batch-3.xlsx") } }),
    );
    expect(multipart).toMatchObject({ format: "xlsx", rowsValid: 312, rowsUnchanged: 312, rowsImported: 0 });
  });
});

// The seeds (seeds/prices-national.csv, written by scripts/build-real-seeds.ts) and the published
// tables (written by ExcelJS from the same workbook) come from it by two roads: their amounts must
// agree to the 0.0001 yuan. They once did not: the seeds had lost the trailing zeros of 27 whole-yuan
// amounts (a 2500 ceiling stored as 25).
describe("the seeded national prices of batches 2–4 hold the amounts their published tables import", () => {
  let seeded: TestWorld;
  let published: TestWorld;
  beforeAll(async () => {
    seeded = await createTestWorld();
    published = await createTestWorld();
    await published.db.run(sql`DELETE FROM price_regions`);
    await published.db.run(sql`DELETE FROM prices`);
    await published.db.run(sql`DELETE FROM bids`);
  });
  afterAll(() => {
    seeded.close();
    published.close();
  });
  const amounts = (world: TestWorld, batch: string) =>
    world.db.all<Record<string, string | number | null>>(sql`SELECT pr.natural_key AS product, p.chosen_price_e4 AS chosen, p.unit_price_e4 AS unit,
        p.ceiling_unit_price_e4 AS ceiling, p.pre_vbp_unit_price_e4 AS preVbp, p.discount_bp AS discount
      FROM prices p JOIN products pr ON pr.id = p.product_id WHERE p.batch_id = ${batch} ORDER BY pr.natural_key`);

  for (const t of TABLES) {
    it(`${t.batch}: every chosen price, ceiling and pre-procurement median as the published table has it`, async () => {
      const bytes = readFileSync(join(DIR, `${t.file}-utf8-bom.csv`));
      const report = await runImport(published.db, { kind: "prices", bytes, batch: t.batch });
      expect(report.errors).toEqual([]);
      const fromTable = await amounts(published, t.batch);
      expect(fromTable).toHaveLength(t.chosen);
      expect(await amounts(seeded, t.batch)).toEqual(fromTable);
    });
  }
});
