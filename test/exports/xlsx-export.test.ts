import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { loadDemo } from "../../src/cli/demo";
import { errorJson, okJson, typedClient } from "../support/client";
import { createTestWorld, type TestWorld } from "../support/test-db";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");

/** Columns the workbook stores as numbers; every other column is text, as in the CSV. */
const NUMERIC = new Set(["转换比", "中选价格", "参考价", "最高有效申报价", "集采前价格", "约定采购量", "中选单价", "降幅"]);

async function workbookOf(res: Response): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}

describe("GET /api/v1/prices.xlsx", () => {
  let world: TestWorld;
  let api: ReturnType<typeof typedClient>["api"]["v1"];
  let dir: string;
  beforeAll(async () => {
    world = await createTestWorld();
    api = typedClient(world.app).api.v1;
    await loadDemo(world.db, 300);
    dir = mkdtempSync(join(tmpdir(), "vbp-xlsx-"));
  });
  afterAll(() => {
    world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes Chinese headers, numbers as numbers with their formats, a frozen header and fitted widths", async () => {
    const res = await api["prices.xlsx"].$get({ query: { q: "阿托伐他汀" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("content-disposition")).toMatch(/filename\*=UTF-8''%E9%9B%86%E9%87%87/);
    const ws = (await workbookOf(res)).worksheets[0]!;
    expect(ws.name).toBe("中选价格");
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 3)).toEqual(["批次", "类别", "药品通用名"]);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const col = (name: string) => headers.indexOf(name) + 1;
    const json = await okJson(api.prices.$get({ query: { q: "阿托伐他汀", limit: "200" } }));
    expect(ws.actualRowCount - 1).toBe(json.meta.total);
    const first = ws.getRow(2);
    const price = json.data[0]!;
    expect(first.getCell(col("中选价格")).value).toBe(price.chosenPrice);
    expect(first.getCell(col("中选价格")).numFmt).toBe("0.0000");
    expect(first.getCell(col("中选单价")).value).toBe(price.unitPrice);
    const withDiscount = json.data.findIndex((p) => p.discountPct !== null);
    const discount = ws.getRow(withDiscount + 2).getCell(col("降幅"));
    expect(discount.numFmt).toBe("0.00%");
    expect(discount.value).toBeCloseTo(json.data[withDiscount]!.discountPct! / 100, 8);
    // Widths fit: the generic name column is wider than the category column, within bounds.
    expect(ws.getColumn(col("药品通用名")).width!).toBeGreaterThan(ws.getColumn(col("类别")).width!);
    expect(ws.getColumn(col("来源")).width!).toBeLessThanOrEqual(60);
  });

  it("opens in LibreOffice with the same rows and numbers as the CSV export", { timeout: 240_000 }, async () => {
    execFileSync("bash", [join(root, "scripts/ensure-libreoffice.sh")], { stdio: "inherit", timeout: 600_000 });
    const query = { category: "drug" } as const;
    const xlsx = await api["prices.xlsx"].$get({ query });
    expect(xlsx.status).toBe(200);
    writeFileSync(join(dir, "prices.xlsx"), new Uint8Array(await xlsx.arrayBuffer()));
    // Its own profile folder: another test run may have LibreOffice open at the same time.
    await run(
      "soffice",
      [
        `-env:UserInstallation=file://${join(dir, "profile")}`,
        "--headless",
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76,1",
        "--outdir",
        dir,
        join(dir, "prices.xlsx"),
      ],
      {
        timeout: 180_000,
      },
    );
    const converted = Papa.parse<string[]>(readFileSync(join(dir, "prices.csv"), "utf8"), { skipEmptyLines: true }).data;
    const csvText = (await (await api["prices.csv"].$get({ query })).text()).replace(/^\ufeff/, "");
    const exported = Papa.parse<string[]>(csvText, { skipEmptyLines: true }).data;
    expect(converted.length).toBeGreaterThan(100);
    expect(converted.length).toBe(exported.length);
    expect(converted[0]).toEqual(exported[0]);
    const header = exported[0]!;
    const number = (s: string) => (s === "" ? null : Number(s.replace(/[,%]/g, "")));
    const differences: string[] = [];
    for (let r = 1; r < exported.length; r++) {
      header.forEach((name, i) => {
        const fromCsv = exported[r]![i]!.replace(/^'(?=[=+\-@])/, "");
        const fromXlsx = converted[r]![i] ?? "";
        const same = NUMERIC.has(name) ? number(fromCsv) === number(fromXlsx) : fromCsv === fromXlsx;
        if (!same) differences.push(`row ${r + 1} ${name}: csv ${JSON.stringify(fromCsv)} xlsx ${JSON.stringify(fromXlsx)}`);
      });
    }
    expect(differences.slice(0, 10)).toEqual([]);
    // What LibreOffice shows is the number format: 4 decimals for prices, a percent for reductions.
    const priceCol = header.indexOf("中选价格");
    expect(converted[1]![priceCol]).toMatch(/^\d+\.\d{4}$/);
    expect(
      converted
        .slice(1)
        .map((r) => r[header.indexOf("降幅")])
        .find((v) => v),
    ).toMatch(/^-?\d+\.\d{2}%$/);
  });

  it("refuses a bad filter before the download starts", async () => {
    const { status, body } = await errorJson(api["prices.xlsx"].$get({ query: { region: "不存在的地方" } }));
    expect(status).toBe(400);
    expect(body.error.code).toBe("unknown_region");
  });

  it("says so where the runtime writes no workbook (Workers)", async () => {
    const app = createApp({ deps: () => ({ db: world.db, importBodyLimitBytes: 1024 }) });
    const { status, body } = await errorJson(typedClient(app).api.v1["prices.xlsx"].$get({ query: {} }));
    expect(status).toBe(501);
    expect(body.error).toMatchObject({ code: "xlsx_unavailable" });
  });

  it("exports the savings report and a price check as workbooks with the JSON answers' figures", async () => {
    const savingsJson = await okJson(api.savings.$get({ query: { groupBy: "batch" } }));
    const savings = (await workbookOf(await api["savings.xlsx"].$get({ query: { groupBy: "batch" } }))).worksheets[0]!;
    expect(savings.actualRowCount).toBe(savingsJson.data.length + 2);
    const last = savings.getRow(savings.actualRowCount);
    expect(last.getCell(2).value).toBe("合计");
    expect(last.getCell(6).value).toBe(savingsJson.meta.totals.spendSaved);
    expect(last.getCell(6).numFmt).toBe("#,##0.00");

    const list = "通用名,规格,生产企业,进价,数量\r\n阿托伐他汀钙片,20mg,辉瑞制药有限公司,35.5,100\r\n不存在的药,1g,某企业,1,1\r\n";
    const checked = await api["price-check"].$post({ form: { file: new File([list], "list.csv", { type: "text/csv" }) }, query: {} });
    if (!checked.ok) throw new Error(`price check answered ${checked.status}`);
    const body = await checked.json();
    const res = await api["price-check.xlsx"].$post({ form: { file: new File([list], "list.csv", { type: "text/csv" }) }, query: {} });
    expect(res.status).toBe(200);
    const wb = await workbookOf(res);
    const lines = wb.getWorksheet("比价结果")!;
    expect(lines.actualRowCount).toBe(body.data.length + 1);
    expect(lines.getRow(2).getCell(7).value).toBe(35.5);
    expect(lines.getRow(3).getCell(10).value).toBe("无对应中选产品");
    expect(wb.getWorksheet("合计")!.getRow(2).getCell(2).value).toBe(body.meta.totals.amountPaid);
  });
});
