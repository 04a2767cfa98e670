import ExcelJS from "exceljs";
import { parseAtomFeed } from "feedsmith";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/cli/demo";
import { priceState } from "../../src/domain/state";
import { okJson, typedClient } from "../support/client";
import { createTestWorld, type TestWorld } from "../support/test-db";

/**
 * The filters integrators asked for (synthetic, state, province, asOf, updatedSince) on every list
 * that carries them: the prices search, its CSV, .xlsx and Atom forms, products and batches. The
 * seeds hold real national results; the demo data beside them is synthetic.
 */
describe("filters integrators asked for, on every list", () => {
  let world: TestWorld;
  let api: ReturnType<typeof typedClient>["api"]["v1"];
  beforeAll(async () => {
    world = await createTestWorld();
    await loadDemo(world.db, 300);
    api = typedClient(world.app).api.v1;
  });
  afterAll(() => world.close());

  /** The `synthetic` column of a CSV export with English headers, one value per row. */
  const csvSynthetic = async (query: string) => {
    const res = await api["prices.csv"].$get({ query: { headers: "en", include: "ended", ...Object.fromEntries(new URLSearchParams(query)) } });
    expect(res.status).toBe(200);
    const [header, ...rows] = Papa.parse<string[]>((await res.text()).replace(/^\ufeff/, ""), { skipEmptyLines: true }).data;
    return rows.map((r) => r[header!.indexOf("synthetic")]);
  };

  it("synthetic=false keeps real prices only and synthetic=true demo prices only, in the search and its CSV, .xlsx and Atom forms", async () => {
    const totalOf = async (synthetic?: "true" | "false", q?: string) => {
      const res = await api.prices.$get({ query: { include: "ended", limit: "200", ...(synthetic ? { synthetic } : {}), ...(q ? { q } : {}) } });
      if (!res.ok) throw new Error(`search answered ${res.status}`);
      const page = await res.json();
      if (synthetic) expect(page.data.every((p) => p.synthetic === (synthetic === "true"))).toBe(true);
      return page.meta.total;
    };
    const [all, real, demo] = [await totalOf(), await totalOf("false"), await totalOf("true")];
    expect(real).toBeGreaterThan(500); // the seeds' national results
    expect(demo).toBeGreaterThan(100); // the demo data
    expect(real + demo).toBe(all);
    // A ranked text search splits the same way: 氨氯地平 is both a real national price and demo data.
    const ranked = [await totalOf(undefined, "氨氯地平"), await totalOf("false", "氨氯地平"), await totalOf("true", "氨氯地平")];
    expect(ranked[1]).toBeGreaterThan(0);
    expect(ranked[2]).toBeGreaterThan(0);
    expect(ranked[1]! + ranked[2]!).toBe(ranked[0]);

    const realRows = await csvSynthetic("synthetic=false");
    expect(realRows).toHaveLength(real);
    expect(new Set(realRows)).toEqual(new Set(["false"]));
    const demoRows = await csvSynthetic("synthetic=true");
    expect(demoRows).toHaveLength(demo);
    expect(new Set(demoRows)).toEqual(new Set(["true"]));

    const xlsx = await api["prices.xlsx"].$get({ query: { include: "ended", synthetic: "false" } });
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const ws = wb.worksheets[0]!;
    const col = (ws.getRow(1).values as unknown[]).indexOf("合成数据");
    const flags = new Set<unknown>();
    ws.eachRow((row, n) => n > 1 && flags.add(row.getCell(col).value));
    expect(ws.actualRowCount - 1).toBe(real);
    expect(flags).toEqual(new Set(["否"]));

    const feedOf = async (synthetic: "true" | "false") => {
      const res = await api["prices.atom"].$get({ query: { synthetic } });
      expect(res.status).toBe(200);
      return parseAtomFeed(await res.text()).entries ?? [];
    };
    const demoFeed = await feedOf("true");
    expect(demoFeed.length).toBeGreaterThan(0);
    // Every demo entry says so; no real entry does.
    for (const e of demoFeed) expect(e.summary?.value).toContain("合成演示数据");
    const realFeed = await feedOf("false");
    expect(realFeed.length).toBeGreaterThan(0);
    for (const e of realFeed) expect(e.summary?.value).not.toContain("合成演示数据");
  });

  it("synthetic filters products and batches the same way", async () => {
    for (const synthetic of ["true", "false"] as const) {
      const products = await api.products.$get({ query: { synthetic, limit: "500" } });
      if (!products.ok) throw new Error(`products answered ${products.status}`);
      const page = await products.json();
      expect(page.data.length).toBeGreaterThan(0);
      expect(page.data.every((p) => p.synthetic === (synthetic === "true"))).toBe(true);
      const batches = await api.batches.$get({ query: { synthetic } });
      if (!batches.ok) throw new Error(`batches answered ${batches.status}`);
      const ids = (await batches.json()).data.map((b) => b.id);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.every((id) => id.startsWith("synthetic-") === (synthetic === "true"))).toBe(true);
    }
  });

  it("state and asOf pick batches by their cycle on that day", async () => {
    const all = await okJson(api.batches.$get({ query: {} }));
    const inForce2020 = await okJson(api.batches.$get({ query: { state: "in_force", asOf: "2020-01-01" } }));
    const expected = all.data.filter((b) => priceState(b.cycleStart, b.cycleEnd, "2020-01-01") === "in_force").map((b) => b.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.data.length);
    expect(inForce2020.data.map((b) => b.id)).toEqual(expected);
    // The first demo batch (2019-04-01 … 2021-03-31) was in force then and has ended since.
    expect(inForce2020.data.map((b) => b.id)).toContain("synthetic-drug-1");
    const ended = await okJson(api.batches.$get({ query: { state: "ended,upcoming", asOf: "2026-12-01" } }));
    expect(ended.data.map((b) => b.id)).toContain("synthetic-drug-1");
    const now = await okJson(api.batches.$get({ query: { state: "in_force", asOf: "2026-12-01" } }));
    expect(now.data.map((b) => b.id)).not.toContain("synthetic-drug-1");
  });

  it("state, province and asOf filter the exports and the feed as they filter the search", async () => {
    const query = { q: "阿托伐他汀", state: "ended", asOf: "2026-12-01", province: "浙江" };
    const res = await api.prices.$get({ query: { ...query, limit: "200" } });
    if (!res.ok) throw new Error(`search answered ${res.status}`);
    const page = await res.json();
    expect(page.meta.total).toBeGreaterThan(0);
    expect(page.data.every((p) => p.state === "ended")).toBe(true);
    const csv = await api["prices.csv"].$get({ query: { ...query, headers: "en" } });
    const rows = Papa.parse<string[]>((await csv.text()).replace(/^\ufeff/, ""), { skipEmptyLines: true }).data;
    expect(rows.length - 1).toBe(page.meta.total);
    // A state no price has on that day empties both.
    const none = await api["prices.csv"].$get({ query: { ...query, state: "upcoming", headers: "en" } });
    expect(Papa.parse((await none.text()).replace(/^\ufeff/, ""), { skipEmptyLines: true }).data).toHaveLength(1);
    const feed = await api["prices.atom"].$get({ query: { q: "阿托伐他汀", province: "浙江" } });
    expect(feed.status).toBe(200);
    expect(parseAtomFeed(await feed.text()).title?.value).toContain("浙江");
  });

  /** Every page of a list, as a client walks it: `meta.nextCursor` until null. */
  async function walk<T>(page: (cursor?: string) => Promise<{ data: T[]; meta: { nextCursor: string | null } }>): Promise<T[]> {
    const all: T[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 100; n++) {
      const { data, meta } = await page(cursor);
      all.push(...data);
      if (!meta.nextCursor) return all;
      cursor = meta.nextCursor;
    }
    throw new Error("the list did not end");
  }
  const productIds = (query: Record<string, string>) =>
    walk((cursor) => okJson(api.products.$get({ query: { ...query, limit: "500", ...(cursor ? { cursor } : {}) } }))).then((d) => new Set(d.map((p) => p.id)));
  const pricesOf = (query: Record<string, string>) =>
    walk((cursor) => okJson(api.prices.$get({ query: { ...query, limit: "200", ...(cursor ? { cursor } : {}) } })));

  it("province, state and asOf keep the products the prices list shows a price of for the same three; a city means its province", async () => {
    const all = await productIds({});
    const queries: Record<string, string>[] = [
      { province: "浙江" },
      { province: "浙江", state: "ended", asOf: "2026-12-01" },
      { state: "upcoming", asOf: "2019-01-01" },
      { province: "330000", state: "in_force,unknown,ended" },
    ];
    for (const query of queries) {
      const expected = new Set((await pricesOf(query)).map((p) => p.product.id));
      const got = await productIds(query);
      expect(got.size, JSON.stringify(query)).toBeGreaterThan(0);
      expect(got.size, JSON.stringify(query)).toBeLessThan(all.size);
      expect(got, JSON.stringify(query)).toEqual(expected);
    }
    // 六安 is a city of 安徽: what a province's alliance bought, its cities can buy.
    const anhui = await productIds({ province: "安徽" });
    expect(anhui.size).toBeGreaterThan(0);
    expect(await productIds({ province: "六安" })).toEqual(anhui);
    // A real national price for some provinces only: the 4+7 expansion's atorvastatin from 兴安药业, not supplied to 浙江.
    const xingan = (await pricesOf({ q: "阿托伐他汀", batch: "national-drug-1-expansion", manufacturer: "兴安" }))[0]!;
    expect(xingan.supplyRegions.map((r) => r.name)).not.toContain("浙江省");
    expect(xingan.supplyRegions.map((r) => r.name)).toContain("河南省");
    expect(await productIds({ province: "河南" })).toContain(xingan.product.id);
    expect(await productIds({ province: "浙江" })).not.toContain(xingan.product.id);
  });

  it("province keeps the batches with any price that province can buy, in any state", async () => {
    const all = await okJson(api.batches.$get({ query: {} }));
    for (const province of ["浙江", "西藏", "六安"]) {
      const got = (await okJson(api.batches.$get({ query: { province } }))).data.map((b) => b.id);
      const expected = new Set((await pricesOf({ province, include: "ended" })).map((p) => p.batch.id));
      expect(new Set(got), province).toEqual(expected);
      expect(got.length, province).toBeLessThan(all.data.length);
      // Still in the list's own order (latest announced first).
      expect(got, province).toEqual(all.data.map((b) => b.id).filter((id) => expected.has(id)));
    }
    const withState = await okJson(api.batches.$get({ query: { province: "浙江", state: "in_force", asOf: "2020-01-01" } }));
    expect(withState.data.length).toBeGreaterThan(0);
    for (const b of withState.data) expect(priceState(b.cycleStart, b.cycleEnd, "2020-01-01")).toBe("in_force");
  });

  it("answers a bad value of any of them with 400 and the error body naming the parameter, on every list", async () => {
    const lists = ["/api/v1/prices", "/api/v1/prices.csv", "/api/v1/prices.xlsx", "/api/v1/prices.atom"];
    const bad: Record<string, string> = { synthetic: "no", state: "expired", asOf: "yesterday", updatedSince: "last week", province: "不存在的省" };
    for (const path of [...lists, "/api/v1/products", "/api/v1/batches"]) {
      for (const [name, value] of Object.entries(bad)) {
        const res = await world.app.request(`${path}?${name}=${encodeURIComponent(value)}`);
        expect(res.status, `${path} ${name}=${value}`).toBe(400);
        const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
        expect(body.error.message, `${path} ${name}`).toContain(name === "province" ? "province" : name);
        expect(body.error.requestId).toBeTruthy();
      }
    }
  });
});
