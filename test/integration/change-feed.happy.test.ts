import { sql } from "drizzle-orm";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { errorJson } from "../support/client";
import { type Api, apiClients, useTestWorld } from "../support/world";

/**
 * The nightly sync of README "Change feed": walk `updatedSince` a page at a time until
 * `nextCursor` is null, keep `meta.syncToken` for the next night.
 */
async function syncPrices(api: Api, since: string, filters: { q?: string; batch?: string } = {}) {
  const changes: { id: number; kind: string; tombstone: boolean; chosenPrice: number }[] = [];
  let cursor: string | undefined;
  let token = "";
  for (let pages = 0; pages < 100; pages++) {
    const res = await api.prices.$get({ query: { ...filters, updatedSince: since, limit: "2", ...(cursor ? { cursor } : {}) } });
    if (!res.ok) throw new Error(`feed answered ${res.status}: ${await res.text()}`);
    const page = await res.json();
    for (const p of page.data) changes.push({ id: p.id, kind: p.change!.kind, tombstone: p.change!.tombstone, chosenPrice: p.chosenPrice });
    token = page.meta.syncToken!;
    if (!page.meta.nextCursor) break;
    cursor = page.meta.nextCursor;
  }
  return { changes, token };
}

const PRICES_HEADER = "batch,genericName,dosageForm,spec,packageQty,manufacturer,chosenPrice,referencePrice,referenceKind,cycleStart,cycleEnd";

describe("the change feed: updatedSince on prices, products and batches", () => {
  const world = useTestWorld();
  const { api, admin } = apiClients(world);
  const importPrices = async (rows: string[]) => {
    const file = new File([[PRICES_HEADER, ...rows].join("\r\n")], "prices.csv", { type: "text/csv" });
    const res = await admin.imports.$post({ query: { kind: "prices" }, form: { file } });
    expect(res.status, await res.clone().text()).toBe(200);
  };

  it("answers nothing when nothing changed, and a token to start from", async () => {
    const start = await syncPrices(api, new Date(Date.now() + 1000).toISOString());
    expect(start.changes).toEqual([]);
    expect(start.token).toMatch(/^s1\./);
    // The token of an unchanged database finds nothing either.
    expect((await syncPrices(api, start.token)).changes).toEqual([]);
  });

  it("a nightly sync gets what an import added or changed, page by page, and nothing the next night", async () => {
    const { token: lastNight } = await syncPrices(api, new Date().toISOString());
    await importPrices([
      "national-drug-1,变更测试片,片剂,10mg,7,测试药业甲,2.1,10,ceiling,,",
      "national-drug-1,变更测试片,片剂,20mg,7,测试药业甲,3.1,10,ceiling,,",
      "national-drug-1,变更测试片,片剂,40mg,7,测试药业甲,5.1,10,ceiling,,",
    ]);
    const first = await syncPrices(api, lastNight);
    expect(first.changes.map((c) => c.kind)).toEqual(["added", "added", "added"]);
    // Re-importing the same rows changes nothing; changing one price is one change.
    await importPrices([
      "national-drug-1,变更测试片,片剂,10mg,7,测试药业甲,2.1,10,ceiling,,",
      "national-drug-1,变更测试片,片剂,20mg,7,测试药业甲,2.9,10,ceiling,,",
      "national-drug-1,变更测试片,片剂,40mg,7,测试药业甲,5.1,10,ceiling,,",
    ]);
    const second = await syncPrices(api, first.token);
    expect(second.changes).toEqual([{ id: first.changes[1]!.id, kind: "changed", tombstone: false, chosenPrice: 2.9 }]);
    expect((await syncPrices(api, second.token)).changes).toEqual([]);
    // Filters apply to the feed as to a search.
    expect((await syncPrices(api, lastNight, { q: "阿托伐他汀" })).changes).toEqual([]);
  });

  it("sends prices whose cycle ended since the last sync as tombstones, and no ended price from before", async () => {
    await importPrices([
      "national-drug-1,周期测试片,片剂,10mg,7,测试药业乙,1.5,10,ceiling,2024-01-01,2026-03-31",
      "national-drug-1,周期测试片,片剂,20mg,7,测试药业乙,2.5,10,ceiling,2024-01-01,2025-12-31",
    ]);
    // As if both were written long ago: only the calendar has changed them since.
    await world.db.run(
      sql`UPDATE prices SET updated_at = '2025-06-01T00:00:00.000Z' WHERE product_id IN (SELECT id FROM products WHERE generic_name = '周期测试片')`,
    );
    const feed = await syncPrices(api, "2026-01-01T00:00:00+08:00", { q: "周期测试片" });
    expect(feed.changes).toHaveLength(1);
    expect(feed.changes[0]).toMatchObject({ kind: "ended", tombstone: true, chosenPrice: 1.5 });
    const res = await api.prices.$get({ query: { q: "周期测试片", updatedSince: "2026-01-01T00:00:00+08:00" } });
    if (!res.ok) throw new Error(String(res.status));
    // It ended when the last day of its cycle was over in China: 2026-03-31 24:00 +08:00.
    expect((await res.json()).data[0]!.change!.at).toBe("2026-03-31T16:00:00.000Z");
  });

  it("feeds products and batches the same way", async () => {
    const since = new Date(Date.now() - 1).toISOString();
    const none = await api.products.$get({ query: { updatedSince: new Date(Date.now() + 1000).toISOString() } });
    if (!none.ok) throw new Error(String(none.status));
    expect((await none.json()).data).toEqual([]);
    await importPrices(["national-drug-4,产品订阅测试片,片剂,5mg,14,测试药业丙,9.9,20,ceiling,,"]);
    const products = await api.products.$get({ query: { updatedSince: since } });
    if (!products.ok) throw new Error(String(products.status));
    const page = await products.json();
    expect(page.data.map((p) => p.genericName)).toEqual(["产品订阅测试片"]);
    expect(page.meta.syncToken).toMatch(/^s1\./);
    const batches = await api.batches.$get({ query: { updatedSince: since } });
    if (!batches.ok) throw new Error(String(batches.status));
    // The batch's statistics changed with its new price.
    expect((await batches.json()).data.map((b) => b.id)).toEqual(["national-drug-4"]);
  });

  it("answers Last-Modified beside the ETag: when an import last changed the data", async () => {
    const before = await api.prices.$get({ query: { limit: "1" } });
    expect(before.headers.get("etag")).toBeTruthy();
    const stamp = before.headers.get("last-modified")!;
    expect(new Date(stamp).toUTCString()).toBe(stamp);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await importPrices(["national-drug-1,时间戳测试片,片剂,10mg,7,测试药业丁,1.1,10,ceiling,,"]);
    const after = await api.batches.$get({ query: {} });
    expect(Date.parse(after.headers.get("last-modified")!)).toBeGreaterThan(Date.parse(stamp));
    expect(Date.parse(after.headers.get("last-modified")!)).toBeLessThanOrEqual(Date.now());
  });

  it("names a malformed updatedSince", async () => {
    const prices = await errorJson(api.prices.$get({ query: { updatedSince: "yesterday" } }));
    expect(prices.status).toBe(400);
    expect(prices.body.error.message).toContain("updatedSince");
    const products = await errorJson(api.products.$get({ query: { updatedSince: "s1.nonsense" } }));
    expect(products.status).toBe(400);
  });

  it("a real seed price an import changed and a withdrawal put back comes to the next sync as changed, with its old values", async () => {
    const query = { q: "阿托伐他汀", batch: "national-drug-1" };
    // The CSV export imports back as the same data: take the search's first row and change its price.
    const exported = await (await api["prices.csv"].$get({ query: { ...query, headers: "en" } })).text();
    const [header, row] = Papa.parse<string[]>(exported.replace(/^\ufeff/, ""), { skipEmptyLines: true }).data as [string[], string[]];
    const published = Number(row[header.indexOf("chosenPrice")]);
    row[header.indexOf("chosenPrice")] = "1.2345";
    row[header.indexOf("unitPrice")] = "";
    row[header.indexOf("discountPct")] = "";
    const { token: lastNight } = await syncPrices(api, new Date().toISOString(), query);
    const imported = await admin.imports.$post({
      query: { kind: "prices" },
      form: { file: new File([Papa.unparse([header, row])], "change.csv", { type: "text/csv" }) },
    });
    expect(imported.status, await imported.clone().text()).toBe(200);
    const { importId } = (await imported.json()) as { importId: number };
    const first = await syncPrices(api, lastNight, query);
    expect(first.changes).toEqual([{ id: expect.any(Number), kind: "changed", tombstone: false, chosenPrice: 1.2345 }]);
    const id = first.changes[0]!.id;
    const shown = async () => {
      const res = await api.prices[":id"].$get({ param: { id: String(id) } });
      if (!res.ok) throw new Error(String(res.status));
      return (await res.json()).data;
    };

    const withdrawn = await admin.imports[":id"].$delete({ param: { id: String(importId) } });
    expect(withdrawn.status, await withdrawn.clone().text()).toBe(200);
    // A client that synced after the import hears that the price went back, filtered or not.
    const second = await syncPrices(api, first.token, query);
    expect(second.changes).toEqual([{ id, kind: "changed", tombstone: false, chosenPrice: published }]);
    expect((await syncPrices(api, first.token)).changes).toEqual(second.changes);
    expect((await shown()).chosenPrice).toBe(published);
    expect((await syncPrices(api, second.token)).changes).toEqual([]);
  });

  it("a withdrawn import's prices come back as withdrawn tombstones, once, to the syncs whose search matched them; a later import of them again is added, not shadowed", async () => {
    const header = `${PRICES_HEADER},supplyRegions`;
    const rows = [
      "national-drug-1,撤回测试片,片剂,10mg,7,测试药业戊,1.2,10,ceiling,,,北京市",
      "national-drug-1,撤回测试片,片剂,20mg,7,测试药业戊,2.2,10,ceiling,,,北京市",
      "national-drug-1,撤回测试片,片剂,40mg,7,测试药业戊,4.2,10,ceiling,,,上海市",
    ];
    const { token: lastNight } = await syncPrices(api, new Date().toISOString());
    const file = new File([[header, ...rows].join("\r\n")], "withdraw.csv", { type: "text/csv" });
    const imported = await admin.imports.$post({ query: { kind: "prices" }, form: { file } });
    if (imported.status !== 200) throw new Error(await imported.text());
    const { importId } = (await imported.json()) as { importId: number };
    const first = await syncPrices(api, lastNight);
    expect(first.changes.map((c) => c.kind)).toEqual(["added", "added", "added"]);

    const withdrawn = await admin.imports[":id"].$delete({ param: { id: String(importId) } });
    expect(withdrawn.status, await withdrawn.clone().text()).toBe(200);
    const second = await syncPrices(api, first.token);
    const tombstones = first.changes.map((c) => ({ ...c, kind: "withdrawn", tombstone: true }));
    expect(second.changes).toEqual(tombstones);
    // A filtered sync gets the tombstones its search matched when the prices were there: by name, batch, place.
    const feed = async (filters: Record<string, string>) => {
      const res = await api.prices.$get({ query: { ...filters, updatedSince: first.token, limit: "50" } });
      if (!res.ok) throw new Error(`feed answered ${res.status}: ${await res.text()}`);
      const page = await res.json();
      expect(page.meta.total).toBe(page.data.length);
      return page.data.map((p) => [p.product.spec, p.change!.kind]);
    };
    expect(await feed({ q: "撤回测试片" })).toEqual([
      ["10mg", "withdrawn"],
      ["20mg", "withdrawn"],
      ["40mg", "withdrawn"],
    ]);
    expect(await feed({ q: "撤回测试 20mg" })).toEqual([["20mg", "withdrawn"]]);
    expect(await feed({ q: "阿托伐他汀" })).toEqual([]);
    expect(await feed({ batch: "national-drug-1", manufacturer: "测试药业戊" })).toHaveLength(3);
    expect(await feed({ batch: "national-drug-4" })).toEqual([]);
    expect(await feed({ province: "北京" })).toEqual([
      ["10mg", "withdrawn"],
      ["20mg", "withdrawn"],
    ]);
    expect(await feed({ province: "上海", q: "撤回测试片" })).toEqual([["40mg", "withdrawn"]]);
    expect(await feed({ province: "浙江" })).toEqual([]);
    expect(await feed({ maxUnitPrice: "0.2" })).toEqual([["10mg", "withdrawn"]]);
    expect(await feed({ synthetic: "true" })).toEqual([]);
    const third = await syncPrices(api, second.token);
    expect(third.changes).toEqual([]);
    // The CSV change export lists them as 已撤销 rows.
    const csv = await (await world.app.request(`/api/v1/prices.csv?updatedSince=${encodeURIComponent(first.token)}`)).text();
    expect(csv.split("\r\n").filter((line) => line.includes("撤回测试片") && line.includes("已撤销"))).toHaveLength(3);
    // The products (one per strength) the import had added went with it: the products feed says so, once.
    const products = await api.products.$get({ query: { updatedSince: first.token } });
    if (!products.ok) throw new Error(String(products.status));
    const gone = await products.json();
    expect(gone.data.map((p) => [p.genericName, p.spec, p.change?.kind, p.change?.tombstone])).toEqual(
      ["10mg", "20mg", "40mg"].map((spec) => ["撤回测试片", spec, "withdrawn", true]),
    );
    expect(gone.meta.total).toBe(3);
    const none = await api.products.$get({ query: { updatedSince: gone.meta.syncToken!, category: "drug" } });
    if (!none.ok) throw new Error(String(none.status));
    expect((await none.json()).data).toEqual([]);

    // Imported again: new prices, added after their tombstones, so a client applying the feed in order keeps them.
    await importPrices(rows.map((r) => r.replace(/,[^,]*$/, "")));
    const fourth = await syncPrices(api, third.token);
    expect(fourth.changes.map((c) => [c.kind, c.chosenPrice])).toEqual([
      ["added", 1.2],
      ["added", 2.2],
      ["added", 4.2],
    ]);
    const all = await syncPrices(api, lastNight);
    expect(all.changes.map((c) => c.kind)).toEqual(["withdrawn", "withdrawn", "withdrawn", "added", "added", "added"]);
    const held = new Map<number, number>();
    for (const c of all.changes)
      if (c.tombstone) held.delete(c.id);
      else held.set(c.id, c.chosenPrice);
    expect([...held.values()]).toEqual([1.2, 2.2, 4.2]);
    expect((await syncPrices(api, fourth.token)).changes).toEqual([]);
  });

  it("a batch a withdrawn import had added comes to the batches feed as a withdrawn tombstone, filtered like the batches", async () => {
    const start = await api.batches.$get({ query: { updatedSince: new Date().toISOString() } });
    if (!start.ok) throw new Error(String(start.status));
    const lastNight = (await start.json()).meta.syncToken!;
    const batches =
      "id,name,level,category,announced,cycleStart,cycleEnd,source\r\nwithdraw-test-1,撤回测试批次,alliance,drug,2026-10,2026-11-01,2029-10-31,test\r\n";
    const imported = await admin.imports.$post({ query: { kind: "batches" }, form: { file: new File([batches], "batches.csv", { type: "text/csv" }) } });
    if (imported.status !== 200) throw new Error(await imported.text());
    const { importId } = (await imported.json()) as { importId: number };
    const feed = async (query: Record<string, string>) => {
      const res = await api.batches.$get({ query: { updatedSince: lastNight, ...query } });
      if (!res.ok) throw new Error(String(res.status));
      return (await res.json()).data.map((b) => [b.id, b.change?.kind, b.change?.tombstone]);
    };
    expect(await feed({})).toEqual([["withdraw-test-1", "added", false]]);
    const withdrawn = await admin.imports[":id"].$delete({ param: { id: String(importId) } });
    expect(withdrawn.status, await withdrawn.clone().text()).toBe(200);
    expect(await feed({})).toEqual([["withdraw-test-1", "withdrawn", true]]);
    expect(await feed({ level: "alliance", state: "in_force" })).toEqual([["withdraw-test-1", "withdrawn", true]]);
    expect(await feed({ level: "national" })).toEqual([]);
    const res = await api.batches.$get({ query: { updatedSince: lastNight } });
    if (!res.ok) throw new Error(String(res.status));
    const token = (await res.json()).meta.syncToken!;
    const next = await api.batches.$get({ query: { updatedSince: token } });
    if (!next.ok) throw new Error(String(next.status));
    expect((await next.json()).data).toEqual([]);
  });
});
