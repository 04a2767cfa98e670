import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors";
import { checkPurchaseList, checkPurchaseListFirst, MAX_PURCHASE_LINES, problemsFirst } from "../../src/services/price-check";
import type { TestWorld } from "../support/test-db";
import { createSavingsWorld } from "./world";

/*
 * fixtures/purchase-list-200.gb18030.csv: a hospital list as Excel on Chinese Windows saves it (GB18030,
 * a title row above the header, full-width and padded spellings), 25 rounds of 8 kinds of line: each
 * match rule at and above the chosen price, a non-chosen firm with a chosen alternative, and a drug
 * with no chosen equivalent. Its last two columns say what each line should get; the API ignores them.
 */
const FIXTURE = new URL("./fixtures/purchase-list-200.gb18030.csv", import.meta.url);

let world: TestWorld;
beforeAll(async () => {
  world = await createSavingsWorld();
});
afterAll(() => world?.close());

async function check(body: BodyInit, type: string | null = "text/csv") {
  const headers: Record<string, string> = type ? { "content-type": type } : {};
  // The list is of purchases in 2022, while the test batch's cycle ran (2022-01-01 … 2022-12-31).
  const res = await world.app.request("/api/v1/price-check?asOf=2022-06-01", { method: "POST", headers, body });
  return { status: res.status, body: (await res.json()) as any };
}

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * The same 200 lines as a hospital system exports them to Excel: a cover sheet first, then the list
 * under its merged title row, with numbers (序号, 进价, 采购数量) as numbers.
 */
async function fixtureWorkbook(): Promise<Uint8Array<ArrayBuffer>> {
  const rows = Papa.parse<string[]>(new TextDecoder("gb18030").decode(readFileSync(FIXTURE))).data.filter((r) => r.length > 1 || r[0]);
  const book = new ExcelJS.Workbook();
  book.addWorksheet("说明").addRow(["本工作簿第二个工作表为采购目录"]);
  const sheet = book.addWorksheet("采购目录");
  sheet.addRow(rows[0]);
  sheet.mergeCells("A1:L1");
  sheet.addRow(rows[1]);
  for (const r of rows.slice(2)) sheet.addRow(r.map((cell, i) => ([0, 8, 9].includes(i) && cell !== "" ? Number(cell) : cell)));
  return new Uint8Array(await book.xlsx.writeBuffer()) as Uint8Array<ArrayBuffer>;
}

describe("POST /api/v1/price-check", () => {
  it("classes all 200 lines of a GB18030 list by the rule that matched them", async () => {
    const bytes = readFileSync(FIXTURE);
    const expected = Papa.parse<string[]>(new TextDecoder("gb18030").decode(bytes))
      .data.slice(2)
      .filter((r) => r.length > 1);
    expect(expected).toHaveLength(200);
    const { status, body } = await check(bytes);
    expect(status).toBe(200);
    expect(body.meta.encoding).toBe("gb18030");
    expect(body.data).toHaveLength(200);
    body.data.forEach((line: any, i: number) => {
      const [, , , , , , , , , , cls, rule] = expected[i]!;
      expect({ row: line.row, class: line.class, rule: line.matchedBy ?? "" }).toEqual({ row: i + 3, class: cls, rule });
    });
    expect(body.meta.totals.byClass).toEqual({ at_chosen_price: 75, above_chosen_price: 75, alternative_available: 25, no_equivalent: 25 });
    expect(body.meta.totals.byRule).toEqual({ nhsaCode: 50, approvalNo: 50, nameSpecManufacturer: 50 });
    // Per round: overpay 14 + 7 + 2.88, switching saves 12.80 (worked out line by line below).
    expect(body.meta.totals.overpayTotal).toBe(597);
    expect(body.meta.totals.savingIfSwitchedTotal).toBe(320);
    expect(body.meta.warnings.join(" ")).toContain("序号");
  });

  it("sends a long list's answer as it is checked: one JSON body, with its length, the same as the whole answer encoded at once", async () => {
    const fixture = new TextDecoder("gb18030").decode(readFileSync(FIXTURE)).split(/\r?\n/);
    // The 200 lines ten times over (rows 3 to 2002): an answer of ~1.5 MB, written in many parts.
    const list = [fixture[1], ...Array.from({ length: 10 }, () => fixture.slice(2).filter((l) => l.trim())).flat()].join("\n");
    const res = await world.app.request("/api/v1/price-check?asOf=2022-06-01", { method: "POST", headers: { "content-type": "text/csv" }, body: list });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.byteLength).toBeGreaterThan(1_000_000);
    expect(Number(res.headers.get("content-length"))).toBe(bytes.byteLength);
    const whole = await checkPurchaseList(world.db, new TextEncoder().encode(list), { asOf: "2022-06-01" });
    expect(new TextDecoder().decode(bytes)).toBe(JSON.stringify(whole));
    expect(whole.meta.total).toBe(2000);
    expect(whole.data.at(-1)!.row).toBe(2001);
    expect(whole.meta.totals.overpayTotal).toBe(5970);
  });

  it("gives the 比价 page the same totals and the first lines problems first, however many it shows", async () => {
    const bytes = readFileSync(FIXTURE);
    const whole = await checkPurchaseList(world.db, bytes, { asOf: "2022-06-01" });
    for (const shown of [1, 30, 80, 200, 5000]) {
      const first = await checkPurchaseListFirst(world.db, bytes, shown, { asOf: "2022-06-01" });
      expect(first.meta).toEqual(whole.meta);
      expect(first.data).toEqual(problemsFirst(whole.data).slice(0, shown));
    }
    // The fixture's 75 lines above the chosen price come first, then the 25 with a chosen alternative.
    const first = await checkPurchaseListFirst(world.db, bytes, 80, { asOf: "2022-06-01" });
    expect(first.data.map((l) => l.class).slice(74, 77)).toEqual(["above_chosen_price", "alternative_available", "alternative_available"]);
  });

  it("prices each class by hand-checkable figures", async () => {
    const { body } = await check(readFileSync(FIXTURE));
    const [code, codeAbove, approvalBelow, approvalAbove, nameAt, nameAbove, alternative, none] = body.data;
    expect(code).toMatchObject({ class: "at_chosen_price", matchedBy: "nhsaCode", overpayTotal: 0, chosen: { chosenPrice: 3.6, unitPrice: 0.5143 } });
    // 5 vs 3.6 a box of 7: 0.2 a tablet, 70 tablets.
    expect(codeAbove).toMatchObject({ class: "above_chosen_price", units: 70, paidUnitPrice: 0.7143, overpayPerUnit: 0.2, overpayTotal: 14 });
    expect(approvalBelow).toMatchObject({ class: "at_chosen_price", matchedBy: "approvalNo", overpayTotal: 0 });
    // 2.8 vs 1.4 a box of 14: 0.1 a tablet, 5 boxes.
    expect(approvalAbove).toMatchObject({ overpayPerUnit: 0.1, overpayTotal: 7, amountPaid: 14 });
    expect(nameAt).toMatchObject({ matchedBy: "nameSpecManufacturer", chosen: { product: { manufacturer: "丙药业" } } });
    // (1.5 − 0.78) / 7 = 0.102857… a tablet; 4 boxes → 2.88.
    expect(nameAbove).toMatchObject({ overpayPerUnit: 0.1029, overpayTotal: 2.88 });
    // 丁药业 is not chosen; 甲药业's 3.6 a box is: (10 − 3.6) × 2 boxes = 12.80.
    expect(alternative).toMatchObject({
      class: "alternative_available",
      chosen: null,
      alternative: { product: { manufacturer: "甲药业" } },
      savingIfSwitched: 12.8,
    });
    expect(none).toMatchObject({ class: "no_equivalent", chosen: null, alternative: null, units: 24 });
  });

  it("reads UTF-8 with the other accepted headers and as a multipart file", async () => {
    const csv = "通用名,规格,生产企业,采购价,数量,医保编码\n阿托伐他汀钙片,20mg,甲药业,3.6,1,xa01test0001\n";
    const plain = await check(csv);
    expect(plain.body.data[0]).toMatchObject({ class: "at_chosen_price", matchedBy: "nhsaCode" });
    const form = new FormData();
    form.set("file", new File(["单价,采购数量,批准文号\n1.4,2,国药准字H00000002\n"], "list.csv", { type: "text/csv" }));
    const multi = await check(form, null);
    expect(multi.body.error ?? null).toBeNull();
    expect(multi.body.data[0]).toMatchObject({ class: "at_chosen_price", matchedBy: "approvalNo" });
  });

  it("reads the list as an .xlsx workbook, as the body or a multipart file, with the answer the CSV gets", async () => {
    const csv = await check(readFileSync(FIXTURE));
    const xlsx = await fixtureWorkbook();
    const asBody = await check(xlsx, XLSX_TYPE);
    expect(asBody.status).toBe(200);
    expect(asBody.body.meta).toMatchObject({ format: "xlsx", encoding: null, sheet: "采购目录" });
    expect(csv.body.meta).toMatchObject({ format: "csv", encoding: "gb18030", sheet: null });
    // Every line the same: its row number in the sheet, its class, its figures; and the totals.
    expect(asBody.body.data).toEqual(csv.body.data);
    expect(asBody.body.meta.totals).toEqual(csv.body.meta.totals);
    const form = new FormData();
    form.set("file", new File([xlsx], "采购目录.xlsx", { type: XLSX_TYPE }));
    const multi = await check(form, null);
    expect(multi.status).toBe(200);
    expect(multi.body.meta.totals.byClass).toEqual({ at_chosen_price: 75, above_chosen_price: 75, alternative_available: 25, no_equivalent: 25 });
  });

  it("picks a workbook's sheet as asked, says which it read, and the .xlsx answer checks with the same query", async () => {
    const xlsx = await fixtureWorkbook();
    const post = (path: string, query: string) => world.app.request(`${path}?${query}`, { method: "POST", headers: { "content-type": XLSX_TYPE }, body: xlsx });
    const second = (await (await post("/api/v1/price-check", "asOf=2022-06-01&sheet=2")).json()) as any;
    expect(second.meta.sheet).toBe("采购目录");
    expect(second.meta.warnings[0]).toBe('read sheet "采购目录" (header in row 2)');
    const missing = (await (await post("/api/v1/price-check", "sheet=2023年")).json()) as any;
    expect(missing.error).toMatchObject({ code: "unreadable_file", message: expect.stringContaining("its sheets are") });
    // The test batch's prices (2022) go to 乌海 and 大同 only: 内蒙古 buys them, 浙江 none. The JSON and the workbook answer agree on each.
    for (const [province, atChosen] of [
      ["内蒙古自治区", 75],
      ["浙江省", 0],
    ] as const) {
      const query = `province=${encodeURIComponent(province)}&asOf=2022-06-01`;
      const json = (await (await post("/api/v1/price-check", query)).json()) as any;
      expect(json.meta.totals.byClass.at_chosen_price).toBe(atChosen);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await (await post("/api/v1/price-check.xlsx", query)).arrayBuffer()) as ArrayBuffer);
      const classes = book.getWorksheet("比价结果")!.getColumn(10).values.slice(2);
      expect(classes).toHaveLength(200);
      expect(classes.filter((c) => c === "按中选价")).toHaveLength(atChosen);
      expect(classes.filter((c) => c === "无对应中选产品")).toHaveLength(json.meta.totals.byClass.no_equivalent);
    }
  });

  it("takes at most 50,000 lines, as CSV or as a workbook, and says to check the list in parts", async () => {
    const line = "阿托伐他汀钙片,20mg,甲药业,3.6,1\n";
    const csv = await check(`通用名,规格,生产企业,进价,数量\n${line.repeat(MAX_PURCHASE_LINES + 1)}`);
    expect(csv.status).toBe(422);
    expect(csv.body.error).toMatchObject({ code: "too_many_lines", message: expect.stringContaining("more than 50,000 lines") });
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("全年");
    sheet.addRow(["通用名", "规格", "生产企业", "进价", "数量"]);
    for (let i = 0; i <= MAX_PURCHASE_LINES; i++) sheet.addRow(["阿托伐他汀钙片", "20mg", "甲药业", 3.6, 1]);
    const xlsx = await check(new Uint8Array(await book.xlsx.writeBuffer()) as Uint8Array<ArrayBuffer>, XLSX_TYPE);
    expect(xlsx.status).toBe(422);
    expect(xlsx.body.error.code).toBe("too_many_lines");
    // exactly the limit is checked
    const at = await check(`通用名,规格,生产企业,进价,数量\n${line.repeat(MAX_PURCHASE_LINES)}`);
    expect(at.status).toBe(200);
    expect(at.body.meta.total).toBe(MAX_PURCHASE_LINES);
  }, 60_000);

  it("refuses a legacy .xls saying how to convert it, and a workbook where the runtime cannot read one (Workers) with 415", async () => {
    const xls = await check(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), "application/vnd.ms-excel");
    expect(xls.status).toBe(422);
    expect(xls.body.error.code).toBe("unreadable_file");
    expect(xls.body.error.message).toContain("save it as an Excel workbook (.xlsx) or as CSV");
    // Without a workbook reader, as on Cloudflare Workers:
    const refused = await checkPurchaseList(world.db, await fixtureWorkbook()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 415, code: "xlsx_unsupported" });
    expect((refused as AppError).message).toContain("save the sheet as CSV UTF-8");
  });

  it("checks a workbook uploaded on the 比价 page", async () => {
    const form = new FormData();
    form.set("province", "");
    form.set("file", new File([await fixtureWorkbook()], "采购目录.xlsx", { type: XLSX_TYPE }));
    const res = await world.app.request("/price-check", { method: "POST", body: form });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain("这份清单不能比价");
    expect(text).toContain("高于中选价");
    expect(text).toContain('accept=".xlsx,.csv');
    expect(text).toContain("读取了工作表“采购目录”（表头在第 2 行）");
    // a sheet asked for by name that the workbook lacks: the page names the sheets it has
    form.set("sheet", "12月");
    const missing = await (await world.app.request("/price-check", { method: "POST", body: form })).text();
    expect(missing).toContain("这份清单不能比价");
    expect(missing).toContain("工作簿里没有工作表“12月”，现有工作表：");
  });

  it("names the row and column of every unreadable line, and refuses what is not CSV", async () => {
    const bad = await check("药品名称,进价,数量\n阿托伐他汀钙片,abc,1\n,2,\n");
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe("invalid_purchase_list");
    const errors = bad.body.error.details.errors.map((e: any) => `${e.row}:${e.column}`);
    expect(errors).toEqual(expect.arrayContaining(["2:进价", "3:药品名称", "3:数量"]));
    const missing = await check("药品名称,数量\n阿托伐他汀钙片,1\n");
    expect(missing.status).toBe(422);
    expect(missing.body.error.details.errors[0].message).toContain("进价");
    // CSV as clients label it: Excel's own label for .csv, plain text, bytes; all told apart by their bytes.
    for (const type of ["application/vnd.ms-excel", "text/plain; charset=utf-8", "application/octet-stream", "application/csv"]) {
      const labelled = await check("通用名,规格,生产企业,采购价,数量,医保编码\n阿托伐他汀钙片,20mg,甲药业,3.6,1,xa01test0001\n", type);
      expect({ type, status: labelled.status, class: labelled.body.data?.[0]?.class }).toEqual({ type, status: 200, class: "at_chosen_price" });
    }
    const unlabelled = await check(new TextEncoder().encode("通用名,进价,数量\n甲,1,1\n"), null);
    expect(unlabelled.status).toBe(415);
    expect(unlabelled.body.error).toMatchObject({ code: "unsupported_media_type", message: expect.stringContaining("no Content-Type") });
    const json = await check("{}", "application/json");
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe("unsupported_media_type");
  });
});
