import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWorkbookTable } from "../../src/import/xlsx/read-workbook";
import { runImport } from "../../src/services/imports";
import { createTestWorld, type TestWorld } from "../support/test-db";

/** A workbook as the 4+7 results table is published: merged title, merged 序号/品种名 over strengths, formulas, a note row. */
async function fourPlusSevenWorkbook(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet("说明").addRow(["本工作簿为测试用，数据取自 4+7 结果表的格式"]);
  const ws = wb.addWorksheet("4+7中选结果");
  ws.addRow(["4+7城市药品集中采购拟中选结果表（测试）"]);
  ws.mergeCells("A1:L1");
  ws.addRow([
    "序号",
    "品种名",
    "剂型",
    "规格",
    "采购数量\n（万片/万袋/万支）",
    "拟中选企业",
    "中选规格包装",
    "每盒价格",
    "最小规格价格",
    "企业近三年平均价\n（最小规格）",
    "降幅",
    "供应地区",
  ]);
  // Row 3: a strength listed without a winner; row 4: the same molecule's chosen strength (序号/品种名 merged over both).
  ws.addRow([1, "测试他汀", "口服常释片剂", "10mg", 8724.36]);
  ws.addRow([
    null,
    null,
    "口服常释片剂",
    "20mg*",
    15672.18,
    "测试嘉林",
    "20mg*7",
    6.6,
    { formula: "H4/7", result: 6.6 / 7 },
    5.8,
    { formula: "I4/J4-1", result: 6.6 / 7 / 5.8 - 1 },
    "北京，新疆\n（含兵团）",
  ]);
  ws.mergeCells("A3:A4");
  ws.mergeCells("B3:B4");
  ws.addRow([
    2,
    "测试沙坦",
    "口服常释片剂",
    "(150mg+12.5mg)*",
    9215.6,
    "测试华海",
    "(150mg+12.5mg)*14",
    15.26,
    1.09,
    3.72,
    -0.706989247311828,
    "湖 北、内蒙古 乌海市",
  ]);
  ws.addRow([3, "测试霉素", "注射", "0.5g*", 38.03, "测试普利", null, null, "流标", 153]);
  ws.addRow(["注：测试霉素流标"]);
  ws.mergeCells("A7:L7");
  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

describe(".xlsx workbooks in the 4+7 layout: merged cells, title and note rows, formulas, packaging text", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(() => world.close());
  const read = (genericName: string) =>
    world.db.all<Record<string, unknown>>(sql`SELECT pr.generic_name, pr.spec, pr.package_qty, pr.manufacturer, p.chosen_price_e4, p.unit_price_e4,
        p.pre_vbp_price_e4, p.pre_vbp_discount_bp, p.supply_regions FROM prices p JOIN products pr ON pr.id = p.product_id
      WHERE pr.generic_name = ${genericName} AND p.batch_id = 'national-drug-4'`);

  it("takes the sheet whose header it recognises, fills merged cells, reads cached formula values and 20mg*7", async () => {
    const bytes = await fourPlusSevenWorkbook();
    const report = await runImport(world.db, { kind: "prices", bytes, batch: "national-drug-4", readWorkbook: openWorkbookTable, fileName: "4+7.xlsx" });
    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({ format: "xlsx", sheet: "4+7中选结果", rowsTotal: 5, rowsValid: 3, rowsSkipped: 2 });
    expect(report.warnings).toEqual(
      expect.arrayContaining([
        'read sheet "4+7中选结果" (header in row 2)',
        "rows left out: 1 row(s) a strength listed without a chosen firm or price (rows 3); 1 row(s) are notes (注：…) (rows 7)",
        "1 losing bid(s) (是否中标 = 否 or 流标) kept as bids of the batch, not as chosen prices",
      ]),
    );
    // 序号 and 品种名 were merged over rows 3–4: row 4 is 测试他汀 too. 6.6 per box of 7; 5.8 per tablet before.
    expect(await read("测试他汀")).toEqual([
      {
        generic_name: "测试他汀",
        spec: "20mg",
        package_qty: 7,
        manufacturer: "测试嘉林",
        chosen_price_e4: 66000,
        unit_price_e4: 9429,
        pre_vbp_price_e4: 406000,
        pre_vbp_discount_bp: 8374,
        supply_regions: "11,65,660000",
      },
    ]);
    expect(await read("测试沙坦")).toMatchObject([{ spec: "150mg+12.5mg", package_qty: 14, chosen_price_e4: 152600, supply_regions: "42,15,150300" }]);
    const bids = await world.db.all<{ manufacturer: string; bid_price_e4: number | null }>(
      sql`SELECT manufacturer, bid_price_e4 FROM bids WHERE generic_name = '测试霉素'`,
    );
    expect(bids).toEqual([{ manufacturer: "测试普利", bid_price_e4: null }]);
  });

  it("chooses a sheet by name or position, and names the sheets when the one asked for is missing", async () => {
    const bytes = await fourPlusSevenWorkbook();
    const byPosition = await runImport(world.db, {
      kind: "prices",
      bytes,
      batch: "national-drug-4",
      sheet: "2",
      dryRun: true,
      readWorkbook: openWorkbookTable,
    });
    expect(byPosition).toMatchObject({ sheet: "4+7中选结果", rowsValid: 3, errors: [] });
    const wrong = await runImport(world.db, {
      kind: "prices",
      bytes,
      batch: "national-drug-4",
      sheet: "第九批",
      dryRun: true,
      readWorkbook: openWorkbookTable,
    });
    expect(wrong.errors).toEqual([{ row: 0, column: null, message: 'the workbook has no sheet "第九批"; its sheets are 1: "说明", 2: "4+7中选结果"' }]);
    const notAHeader = await runImport(world.db, {
      kind: "prices",
      bytes,
      batch: "national-drug-4",
      sheet: "说明",
      dryRun: true,
      readWorkbook: openWorkbookTable,
    });
    expect(notAHeader.errors[0]!.message).toMatch(/^sheet "说明": no header row found/);
  });

  it("refuses a legacy .xls saying how to convert it, and an .xlsx where no reader is given", async () => {
    const xls = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const report = await runImport(world.db, { kind: "prices", bytes: xls, batch: "national-drug-4", readWorkbook: openWorkbookTable });
    expect(report.errors).toEqual([
      { row: 0, column: null, message: expect.stringMatching(/legacy Excel 97-2003 workbook \(\.xls\).*save it as an Excel workbook \(\.xlsx\) or as CSV/) },
    ]);
    const noReader = await runImport(world.db, { kind: "prices", bytes: await fourPlusSevenWorkbook(), batch: "national-drug-4" });
    expect(noReader.errors[0]!.message).toMatch(/cannot read.*npm run import/);
  });
});

describe("a file's own reduction is checked; per-unit and per-package prices are read from the header", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(() => world.close());

  // 集采前价格 has no （最小规格） in its header, so it is read per box, but the values are per tablet.
  const perUnitBaselineReadPerBox =
    "药品通用名,规格,转换比,中选企业,中选价格,集采前价格,降幅\n" +
    "核对甲片,10mg,7,核对药业,6.6,5.8,83.74%\n" +
    "核对乙片,20mg,28,核对药业,21.8,4.22,81.55%\n" +
    "核对丙片,5mg,1,核对药业,1,4,75%\n";

  it("warns naming the rows whose computed reduction differs from the file's 降幅", async () => {
    const report = await runImport(world.db, {
      kind: "prices",
      bytes: new TextEncoder().encode(perUnitBaselineReadPerBox),
      batch: "national-drug-4",
      dryRun: true,
    });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toContainEqual(
      expect.stringMatching(
        /^the reduction computed from the prices differs from the file's own 降幅 by more than 0\.01 percentage points in 2 row\(s\): row 2 \(the file says 83\.74%, the prices give -13\.79 %\), row 3 \(the file says 81\.55%, the prices give -416\.59 %\);/,
      ),
    );
  });

  it("makes the mismatch an error with --strict, and agrees once the header says per smallest unit", async () => {
    const strict = await runImport(world.db, {
      kind: "prices",
      bytes: new TextEncoder().encode(perUnitBaselineReadPerBox),
      batch: "national-drug-4",
      dryRun: true,
      strict: true,
    });
    expect(strict.errors.map((e) => [e.row, e.column])).toEqual([
      [2, "降幅"],
      [3, "降幅"],
    ]);
    const fixed = perUnitBaselineReadPerBox.replace("集采前价格", "集采前价格（最小规格）");
    const ok = await runImport(world.db, { kind: "prices", bytes: new TextEncoder().encode(fixed), batch: "national-drug-4", dryRun: true, strict: true });
    expect(ok.errors).toEqual([]);
    expect(ok.warnings.filter((w) => w.includes("降幅"))).toEqual([]);
  });

  it("rejects a row whose per-unit and per-package prices disagree", async () => {
    const csv = "药品通用名,规格,转换比,中选企业,中选价格,中选单价\n核对丁片,10mg,7,核对药业,6.6,0.95\n核对戊片,10mg,7,核对药业,6.6,0.94\n";
    const report = await runImport(world.db, { kind: "prices", bytes: new TextEncoder().encode(csv), batch: "national-drug-4", dryRun: true });
    expect(report.errors).toEqual([
      { row: 2, column: "中选单价", message: "0.95 per smallest unit does not agree with 6.6 per package ÷ 7 (中选价格); give one of them or correct one" },
    ]);
  });
});

describe("headers: did-you-mean, mapping by hand, saved profiles; the report's counts", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(() => world.close());
  const enc = (s: string) => new TextEncoder().encode(s);
  const FILE = "品种,生产企业简称,报价（元/片）\n映射测试片,映射药业,0.5\n";

  it("suggests the closest header for an unknown one and says a required column is missing", async () => {
    const report = await runImport(world.db, { kind: "prices", bytes: enc("药品通用名,中选价钱\n甲,1\n"), batch: "national-drug-4", dryRun: true });
    expect(report.errors[0]!.message).toContain('"中选价钱" looks like 中选价格');
    expect(report.warnings).toContain("columns ignored (not part of a prices file): 中选价钱 (did you mean 中选价格?)");
  });

  it("maps columns by hand, saves the mapping as a profile and reuses it", async () => {
    const map = ["genericName=品种", "manufacturerShort=生产企业简称", "chosenUnitPrice=报价（元/片）"];
    const first = await runImport(world.db, { kind: "prices", bytes: enc(FILE), batch: "national-drug-4", map, saveProfile: "某省联盟" });
    expect(first.errors).toEqual([]);
    expect(first).toMatchObject({ rowsValid: 1, rowsImported: 1, rowsUnchanged: 0 });
    const again = await runImport(world.db, { kind: "prices", bytes: enc(FILE), batch: "national-drug-4", profile: "某省联盟" });
    expect(again).toMatchObject({ rowsValid: 1, rowsImported: 0, rowsUnchanged: 1, errors: [] });
    const unknown = await runImport(world.db, { kind: "prices", bytes: enc(FILE), batch: "national-drug-4", profile: "没有这个" });
    expect(unknown.errors[0]!.message).toMatch(/no saved import profile "没有这个"/);
  });

  it("records a dry run as a dry run in the audit log", async () => {
    const report = await runImport(world.db, {
      kind: "prices",
      bytes: enc(FILE),
      batch: "national-drug-4",
      map: ["genericName=品种", "chosenPrice=报价（元/片）"],
      dryRun: true,
    });
    const [audit] = await world.db.all<{ dry_run: number; rows_imported: number; status: string }>(
      sql`SELECT dry_run, rows_imported, status FROM imports WHERE id = ${report.importId}`,
    );
    expect(audit).toEqual({ dry_run: 1, rows_imported: 0, status: "succeeded" });
    expect(report).toMatchObject({ dryRun: true, rowsValid: 1, rowsUnchanged: null });
  });
});
