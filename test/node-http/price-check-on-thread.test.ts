import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors";
import { openWorkbookTable } from "../../src/import/xlsx/read-workbook";
import { createReadPool, type ReadPool } from "../../src/node-http/read-pool";
import { encodeJson } from "../../src/services/json-bodies";
import { checkPurchaseList, type PriceCheckQuery, problemsFirst } from "../../src/services/price-check";
import { resultCsv } from "../../src/services/price-check-report";
import { searchPrices } from "../../src/services/prices";
import { createTestFile, createTestWorld, type TestWorld } from "../support/test-db";

/*
 * A hospital's purchase list is checked on a read thread, as searches are: a year's list of tens of
 * thousands of lines takes seconds of a core to match and encode, and on the event loop those seconds
 * stalled every other request, /health included (50,000 lines: /health waited 3.0 s).
 */

let file: Awaited<ReturnType<typeof createTestFile>>;
let pool: ReadPool;
/** Chosen prices of the real seeds (national batches 1–4) that a list names. */
let chosen: Array<{ genericName: string; dosageForm: string | null; spec: string | null; manufacturer: string; price: number }>;

beforeAll(async () => {
  file = await createTestFile("vbp-check-");
  pool = createReadPool({ path: file.path, size: 2, budgetMs: 20_000, calls: true });
  expect(await pool.callsReady(60_000)).toBe(true);
  const { items } = await searchPrices(file.handle.db, { category: "drug", limit: 100, include: "ended" });
  chosen = items
    .filter((p) => p.chosenPrice !== null && p.product.spec && p.product.manufacturer)
    .map((p) => ({ ...p.product, manufacturer: p.product.manufacturer!.replace(/\s+/g, ""), price: p.chosenPrice! }));
  expect(chosen.length).toBeGreaterThan(50);
}, 90_000);
afterAll(async () => {
  await pool.close();
  file.remove();
});

/** Rows of a list: at the chosen price, above it, another firm's (a chosen alternative), and a drug with none. */
function listRows(lines: number): string[][] {
  return Array.from({ length: lines }, (_, i) => {
    const p = chosen[(i * 7) % chosen.length]!;
    const kind = i % 4;
    return [
      kind === 3 ? `没有中选的药${i % 13}` : p.genericName,
      p.dosageForm ?? "",
      p.spec ?? "",
      kind === 2 ? "某某未中选制药有限公司" : p.manufacturer,
      (kind === 1 ? p.price * 1.25 : p.price).toFixed(4),
      String(1 + (i % 40)),
    ];
  });
}
const HEADER = ["通用名", "剂型", "规格", "生产企业", "进价", "数量"];
const csvList = (lines: number) =>
  new TextEncoder().encode(`${[HEADER, ...listRows(lines)].map((r) => r.map((v) => v.replace(/,/g, "，")).join(",")).join("\n")}\n`);

async function workbookList(lines: number): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("2026年11月");
  sheet.addRow(["某某医院药品采购清单"]);
  sheet.addRow(HEADER);
  for (const r of listRows(lines)) sheet.addRow([...r.slice(0, 4), Number(r[4]), Number(r[5])]);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** A body as text, whole or in the parts a long answer comes in. */
const text = (bytes: Uint8Array | readonly Uint8Array[]) => new TextDecoder().decode(Array.isArray(bytes) ? Buffer.concat(bytes) : (bytes as Uint8Array));
const here = (list: Uint8Array, { sheet, ...where }: PriceCheckQuery = {}) =>
  checkPurchaseList(file.handle.db, list, where, { readWorkbook: openWorkbookTable, sheet });

describe("a price check on a read thread", () => {
  it.each<PriceCheckQuery>([{}, { province: "广东省" }, { province: "新疆生产建设兵团", asOf: "2021-06-01" }, { include: "ended" }])(
    "answers the body the service would encode in this thread, for the place and day asked: %o",
    async (query) => {
      const list = csvList(400);
      const answer = await here(list, query);
      expect(answer.meta.totals.byClass.no_equivalent).toBeGreaterThanOrEqual(100);
      // 400 lines come in parts (src/services/price-check.ts), which joined are the very bytes of the whole answer.
      const parts = await pool.call("priceCheckJson", list, query)!;
      expect(parts.length).toBeGreaterThan(1);
      expect(text(parts)).toBe(text(encodeJson(answer)));
    },
  );

  it("reads a workbook there too, from the sheet asked for, and says which it read", async () => {
    const book = await workbookList(120);
    const there = JSON.parse(text(await pool.call("priceCheckJson", book, { sheet: "1" })!));
    expect(there.meta).toMatchObject({ format: "xlsx", sheet: "2026年11月", total: 120 });
    expect(there).toEqual(JSON.parse(text(encodeJson(await here(book, { sheet: "1" })))));
    expect(there.meta.totals.byClass.at_chosen_price + there.meta.totals.byClass.above_chosen_price).toBeGreaterThanOrEqual(60);
  });

  it("gives the page its totals and the first lines, problems first, and the workbook answer every line", async () => {
    const list = csvList(300);
    const answer = await here(list);
    const page = await pool.call("priceCheck", list, {}, 25)!;
    expect(page.meta).toEqual(answer.meta);
    expect(page.data).toEqual(problemsFirst(answer.data).slice(0, 25));
    expect(page.data[0]!.class).toBe("above_chosen_price");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await pool.call("priceCheckXlsx", list, {})!).buffer as ArrayBuffer);
    const classes = book.getWorksheet("比价结果")!.getColumn(10).values.slice(2);
    expect(classes).toHaveLength(300);
    expect(classes.filter((c) => c === "高于中选价")).toHaveLength(answer.meta.totals.byClass.above_chosen_price);
    // The page's downloads: every line in the page's words, as this thread would write them.
    // (decoded with its BOM, which Excel needs to read the file as UTF-8)
    const csv = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await pool.call("priceCheckReport", list, {}, "csv")!);
    expect(csv).toBe(resultCsv(problemsFirst(answer.data)));
    expect(csv.trim().split(/\r?\n/)).toHaveLength(301);
    const pageBook = new ExcelJS.Workbook();
    await pageBook.xlsx.load((await pool.call("priceCheckReport", list, {}, "xlsx")!).buffer as ArrayBuffer);
    expect(pageBook.getWorksheet("比价结果")!.getColumn(7).values.slice(2)).toHaveLength(300);
  });

  it("answers 503 with Retry-After when a check outlasts the upload's budget, saying to check the list in parts", async () => {
    const tight = createReadPool({ path: file.path, size: 2, budgetMs: 20_000, uploadBudgetMs: 100, calls: true });
    try {
      expect(await tight.callsReady(60_000)).toBe(true);
      const err = await tight.call("priceCheckJson", csvList(30_000), {})!.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ status: 503, code: "query_timeout", headers: { "Retry-After": "2" } });
      expect((err as AppError).message).toContain("check it in parts");
      // A search keeps its own budget on the other thread.
      const { data } = JSON.parse(text(await tight.call("priceListJson", { q: "阿莫西林", limit: 1 })!));
      expect(data).toHaveLength(1);
    } finally {
      await tight.close();
    }
  }, 60_000);

  it("turns a list it cannot check into the same 422, naming the row and column", async () => {
    const list = new TextEncoder().encode("通用名,规格,生产企业,进价\n阿莫西林胶囊,0.25g,某药业,1.2\n");
    const there = await pool.call("priceCheckJson", list, {})!.catch((e: unknown) => e);
    expect(there).toBeInstanceOf(AppError);
    expect(there).toMatchObject({ status: 422, code: "invalid_purchase_list", details: { errors: [{ row: 1, column: "quantity" }] } });
  });
});

describe("a server checking a long list", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld({ readThreads: 2, readCalls: true });
  }, 90_000);
  afterAll(() => world?.close());

  it("keeps answering /health and searches meanwhile", async () => {
    const lines = 30_000;
    const started = performance.now();
    let done = 0;
    const checked = Promise.resolve(world.app.request("/api/v1/price-check", { method: "POST", headers: { "content-type": "text/csv" }, body: csvList(lines) }))
      .then(async (res) => ({ status: res.status, body: (await res.json()) as any, ms: performance.now() - started }))
      .finally(() => (done = performance.now()));
    const health: number[] = [];
    let searched: { ms: number; total: number } | null = null;
    // Bounded: at most 60 s, one probe every 20 ms, for as long as the check runs.
    while (!done && performance.now() - started < 60_000) {
      const t = performance.now();
      expect((await world.app.request("/health")).status).toBe(200);
      health.push(performance.now() - t);
      if (!searched) {
        const res = await world.app.request("/api/v1/prices?q=阿莫西林");
        searched = { ms: performance.now() - started, total: ((await res.json()) as any).meta.total };
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const { status, body, ms } = await checked;
    expect(status).toBe(200);
    expect(body.meta.total).toBe(lines);
    // The check took long enough to matter, and everything else was answered while it ran.
    expect(ms).toBeGreaterThan(500);
    expect(searched!.total).toBeGreaterThan(0);
    expect(searched!.ms).toBeLessThan(ms);
    expect(health.length).toBeGreaterThan(5);
    expect(Math.max(...health)).toBeLessThan(300);
  }, 90_000);
});
