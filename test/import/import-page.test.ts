import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takeImportLock } from "../../src/services/import-lock";
import { runImport } from "../../src/services/imports";
import { zhImportMessage } from "../../src/ui/import-messages-zh";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

const CORPUS = join(import.meta.dirname, "corpus");

describe("the import page takes workbooks, speaks Chinese and shares the API's lock", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(() => world.close());
  const html = async (fields: Record<string, string | Blob>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const res = await world.app.request("/import", { method: "POST", body: form });
    return { status: res.status, text: await res.text() };
  };

  it("checks a published .xlsx table as it stands and says which sheet it read", async () => {
    const bytes = readFileSync(join(import.meta.dirname, "published", "batch-4.xlsx"));
    const page = await html({ token: TEST_ADMIN_TOKEN, kind: "prices", batch: "national-drug-4", dryRun: "1", file: new File([bytes], "batch-4.xlsx") });
    expect(page.status).toBe(200);
    expect(page.text).toContain("检查通过：225 行都可以导入");
    expect(page.text).toContain("Excel 工作簿，工作表“第四轮集采”");
    expect(page.text).toContain("67 个未中选的报价");
    // Every column is known: no column picker.
    expect(page.text).not.toContain('id="column-picker"');
  });

  it("offers the column picker when a column is not recognised", async () => {
    const csv = "药品通用名,竞价\n选列测试片,0.5\n";
    const page = await html({ token: TEST_ADMIN_TOKEN, kind: "prices", batch: "national-drug-4", dryRun: "1", file: new File([csv], "pick.csv") });
    expect(page.text).toContain("缺少必需的列");
    expect(page.text).toContain('id="column-picker"');
    expect(page.text).toMatch(/<label for="pick-1">竞价<\/label>/);
  });

  it("shows every error of a rejected file in Chinese", async () => {
    const csv = "药品通用名,中选价格,供应省份\n甲片,abc,火星\n";
    const page = await html({ token: TEST_ADMIN_TOKEN, kind: "prices", batch: "national-drug-4", dryRun: "1", file: new File([csv], "bad.csv") });
    expect(page.text).toContain("“abc”不是金额");
    expect(page.text).toContain("地区“火星”不认识");
    expect(page.text).not.toContain("is not an amount of money");
  });

  it("re-checks with the columns chosen in the picker", async () => {
    const csv = "品种,报价\n选列测试片,0.5\n";
    const page = await html({
      token: TEST_ADMIN_TOKEN,
      kind: "prices",
      batch: "national-drug-4",
      dryRun: "1",
      file: new File([csv], "pick.csv"),
      pickHeader0: "品种",
      pickField0: "genericName",
      pickHeader1: "报价",
      pickField1: "chosenUnitPrice",
    });
    expect(page.text).toContain("检查通过：1 行都可以导入");
  });

  it("refuses a second import while one runs (the API's lock), in Chinese", async () => {
    const release = takeImportLock();
    try {
      const page = await html({
        token: TEST_ADMIN_TOKEN,
        kind: "prices",
        batch: "national-drug-4",
        dryRun: "1",
        file: new File(["药品通用名,中选价格\n甲,1\n"], "x.csv"),
      });
      expect(page.status).toBe(409);
      expect(page.text).toContain("另一个导入正在进行");
      const api = await world.app.request("/api/v1/imports?kind=prices&batch=national-drug-4", {
        method: "POST",
        body: "药品通用名,中选价格\n甲,1\n",
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv" },
      });
      expect(api.status).toBe(409);
    } finally {
      release();
    }
  });

  it("a workbook cut short says so on the page and over the API, and the next import is not refused", async () => {
    const real = readFileSync(join(import.meta.dirname, "../../seeds/source/national-vbp-results-batches-1-4.xlsx"));
    const cut = real.subarray(0, 4_000);
    // This file hung the import: the page never answered, and kept the lock until a restart.
    const page = await html({ token: TEST_ADMIN_TOKEN, kind: "prices", batch: "national-drug-3", dryRun: "1", file: new File([cut], "cut.xlsx") });
    expect(page.status).toBe(200);
    expect(page.text).toContain("工作簿不完整：文件在结尾之前就断了");
    expect(page.text).toContain("问题在整个文件，不在某一行");
    expect(page.text).not.toContain("1 行有错误（共 0 行）");
    expect(page.text).toContain("Excel 工作簿（没有读到工作表）");
    const api = await world.app.request("/api/v1/imports?kind=prices&batch=national-drug-3&dryRun=true", {
      method: "POST",
      body: cut,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
    });
    expect(api.status).toBe(422);
    expect(await api.json()).toMatchObject({
      format: "xlsx",
      sheet: null,
      rowsTotal: 0,
      errors: [{ row: 0, column: null, message: expect.stringMatching(/^the workbook is cut short/) }],
    });
    const whole = await html({
      token: TEST_ADMIN_TOKEN,
      kind: "prices",
      batch: "national-drug-3",
      sheet: "第三轮集采",
      dryRun: "1",
      file: new File([real], "real.xlsx"),
    });
    expect(whole.status).toBe(200);
    expect(whole.text).toContain("检查通过：312 行都可以导入");
  });

  it("has a Chinese wording for every error and warning of the bad-file corpus", async () => {
    const expected = JSON.parse(readFileSync(join(CORPUS, "expected.json"), "utf8")) as Record<string, { kind: any }>;
    for (const file of readdirSync(CORPUS).filter((f) => /^\d\d-.*\.csv$/.test(f))) {
      const report = await runImport(world.db, { kind: expected[file]!.kind, bytes: readFileSync(join(CORPUS, file)), dryRun: true, batch: undefined });
      for (const m of [...report.errors.map((e) => e.message), ...report.warnings]) {
        const zh = zhImportMessage(m);
        expect(zh, `${file}: ${m}`).not.toMatch(/^导入提示：/);
        expect(zh, `${file}: ${m}`).toMatch(/[\u4e00-\u9fa5]/);
      }
    }
  });
});
