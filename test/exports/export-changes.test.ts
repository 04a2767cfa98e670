import ExcelJS from "exceljs";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/cli/demo";
import { EXPORT_PAGE_SIZE } from "../../src/services/export";
import { errorJson, okJson, typedClient } from "../support/client";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

type Api = ReturnType<typeof typedClient>["api"]["v1"];

/** A CSV export with English headers as records, one per row. */
async function csvRecords(api: Api, query: Record<string, string>): Promise<Record<string, string>[]> {
  const res = await api["prices.csv"].$get({ query: { headers: "en", ...query } });
  if (!res.ok) throw new Error(`export answered ${res.status}: ${await res.text()}`);
  return Papa.parse<Record<string, string>>((await res.text()).replace(/^\ufeff/, ""), { header: true, skipEmptyLines: true }).data;
}

/** The JSON change feed of a search, every page, as a client's nightly sync walks it. */
async function feed(api: Api, query: { q?: string; synthetic?: "true" | "false"; updatedSince: string }) {
  const items = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = await okJson(api.prices.$get({ query: { ...query, limit: "200", ...(cursor ? { cursor } : {}) } }));
    items.push(...page.data);
    if (!page.meta.nextCursor) return { items, syncToken: page.meta.syncToken! };
    cursor = page.meta.nextCursor;
  }
  throw new Error("the feed did not end");
}

/**
 * `updatedSince` on the CSV and .xlsx exports: the change feed of a search as a file, on the seeds'
 * real national prices. A provincial platform that pulls a file each night gets what the JSON feed
 * would give it, tombstones (ended, withdrawn) included and marked in a change column.
 */
describe("exports with updatedSince", () => {
  let world: TestWorld;
  let api: Api;
  let admin: Api;
  let beforeSeeds: string;
  beforeAll(async () => {
    beforeSeeds = new Date(Date.now() - 1000).toISOString();
    world = await createTestWorld();
    // Demo prices beside the seeds, so a full export reads more than one page, some of them ended.
    await loadDemo(world.db, 600);
    api = typedClient(world.app).api.v1;
    admin = typedClient(world.app, { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` }).api.v1;
  });
  afterAll(() => world.close());

  it("has the JSON feed's rows, in its order, with each row's change and time, in CSV and .xlsx", async () => {
    const json = await feed(api, { q: "阿托伐他汀", synthetic: "false", updatedSince: beforeSeeds });
    // The seeds were written after `beforeSeeds`, and none of their national cycles has a published end.
    expect(json.items.length).toBeGreaterThan(3);
    expect(new Set(json.items.map((p) => p.change!.kind))).toEqual(new Set(["added"]));
    const rows = await csvRecords(api, { q: "阿托伐他汀", synthetic: "false", updatedSince: beforeSeeds });
    expect(rows.map((r) => [r.batch, r.genericName, r.spec, r.manufacturer, Number(r.chosenPrice), r.change, r.changedAt])).toEqual(
      json.items.map((p) => [
        p.batch.id,
        p.product.genericName,
        p.product.spec ?? "",
        p.product.manufacturer ?? "",
        p.chosenPrice,
        p.change!.kind,
        p.change!.at,
      ]),
    );

    const xlsx = await api["prices.xlsx"].$get({ query: { q: "阿托伐他汀", synthetic: "false", updatedSince: beforeSeeds } });
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const ws = wb.worksheets[0]!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(-2)).toEqual(["变更", "变更时间"]);
    const zh = { added: "新增", changed: "变更", ended: "采购周期结束", withdrawn: "已撤销" } as const;
    const sheetRows: unknown[][] = [];
    ws.eachRow((row, n) => {
      if (n > 1)
        sheetRows.push([
          row.getCell(headers.indexOf("中选价格") + 1).value,
          row.getCell(headers.indexOf("变更") + 1).value,
          row.getCell(headers.indexOf("变更时间") + 1).value,
        ]);
    });
    expect(sheetRows).toEqual(json.items.map((p) => [p.chosenPrice, zh[p.change!.kind], p.change!.at]));

    // Every price written since, more than one page of the export's reads: the same rows as the JSON
    // walk, demo prices whose cycle is over among them as tombstones.
    const everything = await feed(api, { updatedSince: beforeSeeds });
    expect(everything.items.length).toBeGreaterThan(EXPORT_PAGE_SIZE);
    expect(everything.items.filter((p) => p.change!.kind === "ended").length).toBeGreaterThan(0);
    const all = await csvRecords(api, { updatedSince: beforeSeeds });
    expect(all.map((r) => `${r.batch} ${r.genericName} ${r.spec} ${r.manufacturer} ${r.change} ${r.changedAt}`)).toEqual(
      everything.items.map(
        (p) => `${p.batch.id} ${p.product.genericName} ${p.product.spec ?? ""} ${p.product.manufacturer ?? ""} ${p.change!.kind} ${p.change!.at}`,
      ),
    );
  });

  it("a nightly export with the last syncToken holds only what an import changed: a corrected price, and an ended one as a tombstone", async () => {
    const { syncToken } = await feed(api, { updatedSince: beforeSeeds });
    expect(await csvRecords(api, { updatedSince: syncToken })).toEqual([]);

    // Real national prices (the 4+7 expansion's atorvastatin), exported and imported back with one
    // chosen price corrected and another's cycle over; an export without updatedSince has no change column.
    const real = await csvRecords(api, { q: "阿托伐他汀", batch: "national-drug-1-expansion" });
    expect(real.length).toBeGreaterThan(1);
    expect(Object.keys(real[0]!)).not.toContain("change");
    // Only these two rows go back: the export carries one reference price of the two some real rows have.
    const corrected = real
      .slice(0, 2)
      .map(({ unitPrice: _u, discountPct: _d, ...r }, i) =>
        i === 0 ? { ...r, chosenPrice: String(Math.round(Number(r.chosenPrice) * 100 + 1) / 100) } : { ...r, cycleEnd: "2025-12-31" },
      );
    const file = new File([Papa.unparse(corrected)], "prices.csv", { type: "text/csv" });
    const imported = await admin.imports.$post({ query: { kind: "prices" }, form: { file } });
    expect(imported.status, await imported.clone().text()).toBe(200);

    const key = (r: Record<string, string>) => [r.batch, r.genericName, r.spec, r.manufacturer, Number(r.chosenPrice)];
    const tonight = await csvRecords(api, { updatedSince: syncToken });
    expect(tonight.map((r) => [...key(r), r.change]).sort()).toEqual(
      [
        [...key(corrected[0]!), "changed"],
        [...key(corrected[1]!), "ended"],
      ].sort(),
    );
    for (const r of tonight) expect(Date.parse(r.changedAt!)).toBeGreaterThan(Date.now() - 60_000);
    // The JSON feed says the same, the ended price as a tombstone; the workbook names the changes in Chinese.
    const json = await feed(api, { updatedSince: syncToken });
    expect(json.items.map((p) => [p.change!.kind, p.change!.tombstone]).sort()).toEqual([
      ["changed", false],
      ["ended", true],
    ]);
    const xlsx = await api["prices.xlsx"].$get({ query: { updatedSince: syncToken } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const ws = wb.worksheets[0]!;
    const col = (ws.getRow(1).values as unknown[]).indexOf("变更");
    expect([ws.getRow(2).getCell(col).value, ws.getRow(3).getCell(col).value].sort()).toEqual(["变更", "采购周期结束"].sort());
    expect(ws.actualRowCount).toBe(3);
  });

  it("answers a malformed updatedSince with 400 naming it", async () => {
    for (const path of ["prices.csv", "prices.xlsx"] as const) {
      const bad = await errorJson(api[path].$get({ query: { updatedSince: "last night" } }));
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain("updatedSince");
    }
  });
});
