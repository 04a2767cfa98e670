import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport } from "../../src/services/imports";
import { searchPrices } from "../../src/services/prices";
import { errorJson, okJson, typedClient } from "../support/client";
import { recording } from "../support/recording-db";
import { createTestWorld, type TestWorld } from "../support/test-db";
import type { Api } from "../support/world";

/**
 * Time and place of a price (issue 15): lists show what is in force (or of unknown cycle) on asOf,
 * and what a hospital in the province asked about can buy: supplied to it, to one of its cities, or
 * nationwide. 新疆生产建设兵团 (660000) buys on its own, apart from 新疆.
 */
const csv = (text: string) => new TextEncoder().encode(text);

const REGIONS = `code,name,parentCode,level
33,浙江省,,province
3301,杭州市,33,city
3302,宁波市,33,city
32,江苏省,,province
65,新疆维吾尔自治区,,province
660000,新疆生产建设兵团,,province
`;

const BATCHES = `id,name,level,category,announced,cycleStart,cycleEnd,source
y2024,测试批次2024,national,drug,2023-11,2024-01-01,2024-12-31,fixture
m2024,测试批次（按月）,alliance,drug,2024-01,2024-03,2024-05,fixture
open,测试批次（周期未公布）,provincial,drug,2024-01,,,fixture
`;

// 测试他汀片 from five firms in y2024, each supplying somewhere else; one more in each other batch.
const PRICES = `batch,genericName,dosageForm,spec,packageQty,manufacturer,chosenPrice,supplyRegions,source
y2024,测试他汀片,片剂,10mg,10,全国药业,10,,fixture
y2024,测试他汀片,片剂,10mg,10,浙江药业,9,浙江省,fixture
y2024,测试他汀片,片剂,10mg,10,杭州药业,8,杭州市,fixture
y2024,测试他汀片,片剂,10mg,10,江苏药业,7,江苏省,fixture
y2024,测试他汀片,片剂,10mg,10,兵团药业,6,新疆生产建设兵团,fixture
y2024,测试他汀片,片剂,10mg,10,新疆药业,5,新疆维吾尔自治区,fixture
m2024,测试他汀片,片剂,10mg,10,按月药业,4,,fixture
open,测试他汀片,片剂,10mg,10,未知药业,3,,fixture
`;

let world: TestWorld;
beforeAll(async () => {
  world = await createTestWorld({ seed: false });
  for (const [kind, text] of [
    ["regions", REGIONS],
    ["batches", BATCHES],
    ["prices", PRICES],
  ] as const) {
    const report = await runImport(world.db, { kind, bytes: csv(text) });
    expect(report.errors).toEqual([]);
  }
});
afterAll(() => world.close());

const Q = "测试他汀";
type PricesQuery = Parameters<Api["prices"]["$get"]>[0]["query"];
const api = () => typedClient(world.app).api.v1;
const prices = (query: PricesQuery) => api().prices.$get({ query });
async function firms(query: PricesQuery): Promise<Array<string | null>> {
  const body = await okJson(prices(query));
  const qs = JSON.stringify(query);
  expect(body.meta.total, qs).toBe(body.data.length);
  return body.data.map((d) => d.product.manufacturer).sort();
}
/** The same question through relevance ranking (q) and through a plain sort: one filter, two paths. */
async function bothPaths(query: PricesQuery): Promise<Array<string | null>> {
  const ranked = await firms({ q: Q, ...query });
  const sorted = await firms({ sort: "unitPrice", ...query });
  expect(sorted, JSON.stringify(query)).toEqual(ranked);
  return ranked;
}

const Y2024 = ["全国药业", "兵团药业", "新疆药业", "杭州药业", "江苏药业", "浙江药业"].sort();

describe("state on asOf", () => {
  it("by default shows prices in force and of unknown cycle, hiding the upcoming and the ended", async () => {
    expect(await bothPaths({ asOf: "2023-12-31" })).toEqual(["未知药业"]);
    expect(await bothPaths({ asOf: "2024-01-01" })).toEqual([...Y2024, "未知药业"].sort());
    expect(await bothPaths({ asOf: "2024-12-31" })).toEqual([...Y2024, "未知药业"].sort());
    expect(await bothPaths({ asOf: "2025-01-01" })).toEqual(["未知药业"]);
  });

  it("a cycle published by month runs from the first of its first month to the last of its last", async () => {
    expect(await bothPaths({ asOf: "2024-02-29" })).not.toContain("按月药业");
    expect(await bothPaths({ asOf: "2024-03-01" })).toContain("按月药业");
    expect(await bothPaths({ asOf: "2024-05-31" })).toContain("按月药业");
    expect(await bothPaths({ asOf: "2024-06-01" })).not.toContain("按月药业");
  });

  it("include=ended shows every price, each with its state; state= selects", async () => {
    const body = await okJson(prices({ q: Q, asOf: "2024-04-01", include: "ended" }));
    const byFirm = Object.fromEntries(body.data.map((d) => [d.product.manufacturer, d.state]));
    expect(byFirm).toEqual({ ...Object.fromEntries(Y2024.map((f) => [f, "in_force"])), 按月药业: "in_force", 未知药业: "unknown" });
    const ended = await okJson(prices({ q: Q, asOf: "2025-01-01", include: "ended" }));
    expect(ended.meta.total).toBe(8);
    expect(ended.data.find((d) => d.product.manufacturer === "全国药业")).toMatchObject({ state: "ended", status: "ended" });
    expect(await bothPaths({ asOf: "2023-12-31", state: "upcoming" })).toEqual([...Y2024, "按月药业"].sort());
    expect(await bothPaths({ asOf: "2025-01-01", state: "ended,unknown" })).toEqual([...Y2024, "按月药业", "未知药业"].sort());
  });

  it("never says active, and a bad asOf or state is a clear 400", async () => {
    const body = await okJson(prices({ q: Q, include: "ended" }));
    expect(body.data.every((d) => d.status !== "active")).toBe(true);
    // Raw requests for the values the contract refuses (a typed client could not send state=active).
    for (const [qs, code] of [
      ["asOf=2024-02-30", "invalid_as_of"],
      ["asOf=yesterday", "validation_error"],
      ["state=active", "validation_error"],
    ]) {
      const res = await errorJson(world.app.request(`/api/v1/prices?q=${encodeURIComponent(Q)}&${qs}`));
      expect(res.status, qs).toBe(400);
      expect(res.body.error.code, qs).toBe(code);
    }
  });
});

describe("province", () => {
  const AS_OF = { asOf: "2024-06-01" };
  it("keeps prices supplied to the province, to one of its cities, and nationwide ones", async () => {
    expect(await bothPaths({ ...AS_OF, province: "浙江" })).toEqual(["全国药业", "杭州药业", "浙江药业", "未知药业"].sort());
    expect(await bothPaths({ ...AS_OF, province: "浙江省" })).toEqual(["全国药业", "杭州药业", "浙江药业", "未知药业"].sort());
    expect(await bothPaths({ ...AS_OF, province: "330000" })).toEqual(["全国药业", "杭州药业", "浙江药业", "未知药业"].sort());
  });

  it("a city resolves to its province: a hospital in 宁波 can buy what 浙江 and 杭州 bought", async () => {
    expect(await bothPaths({ ...AS_OF, province: "宁波市" })).toEqual(["全国药业", "杭州药业", "浙江药业", "未知药业"].sort());
  });

  it("新疆生产建设兵团 buys on its own: neither includes the other's prices", async () => {
    expect(await bothPaths({ ...AS_OF, province: "660000" })).toEqual(["全国药业", "兵团药业", "未知药业"].sort());
    expect(await bothPaths({ ...AS_OF, province: "新疆" })).toEqual(["全国药业", "新疆药业", "未知药业"].sort());
  });

  it("an unknown province is a clear 400", async () => {
    const res = await errorJson(prices({ province: "火星" }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("unknown_province");
  });

  it("a province as published tables write several (新疆（含兵团）) is a 400 that names the ones to choose from", async () => {
    for (const text of ["新疆（含兵团）", "新疆(含兵团)"]) {
      const res = await errorJson(prices({ province: text }));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("unknown_province");
      expect(res.body.error.message).toBe(`province ${JSON.stringify(text)} names 2 regions (新疆维吾尔自治区, 新疆生产建设兵团): ask for one of them`);
    }
    const region = await errorJson(prices({ region: "浙江、江苏" }));
    expect(region.body.error.message).toBe('region "浙江、江苏" names 2 regions (浙江省, 江苏省): ask for one of them');
    // one unknown part: nothing to choose from, the plain answer
    expect((await errorJson(prices({ province: "浙江、火星" }))).body.error.message).toBe('province "浙江、火星" is neither a known code nor a name');
  });

  it("limits the product page's alternatives to what the province can buy, in force on asOf", async () => {
    const list = await okJson(prices({ q: Q, ...AS_OF, province: "浙江" }));
    const zhejiang = list.data.find((d) => d.product.manufacturer === "浙江药业")!;
    type ProductQuery = Parameters<Api["products"][":id"]["$get"]>[0]["query"];
    const alts = async (query: ProductQuery) =>
      (await okJson(api().products[":id"].$get({ param: { id: String(zhejiang.product.id) }, query }))).data.alternatives
        .map((a) => a.product.manufacturer)
        .sort();
    expect(await alts({ ...AS_OF, province: "浙江" })).toEqual(["全国药业", "杭州药业", "未知药业"].sort());
    expect(await alts({ asOf: "2024-04-01", province: "杭州市" })).toEqual(["全国药业", "杭州药业", "按月药业", "未知药业"].sort());
    expect(await alts({ asOf: "2025-06-01", province: "浙江" })).toEqual(["未知药业"]);
    expect(await alts({ asOf: "2025-06-01", province: "浙江", include: "ended" })).toEqual(["全国药业", "杭州药业", "按月药业", "未知药业"].sort());
  });
});

describe("price check for a hospital's province", () => {
  const LIST = "通用名,剂型,规格,转换比,生产企业,进价,数量\n测试他汀片,片剂,10mg,10,江苏药业,12,100\n测试他汀片,片剂,10mg,10,杭州药业,12,100\n";
  const check = async (qs: string) => {
    const res = await world.app.request(`/api/v1/price-check?${qs}`, { method: "POST", headers: { "content-type": "text/csv" }, body: LIST });
    expect(res.status, qs).toBe(200);
    return (await res.json()).data as Array<{
      class: string;
      chosen: { product: { manufacturer: string } } | null;
      alternative: { product: { manufacturer: string } } | null;
    }>;
  };

  it("matches and offers only chosen prices the hospital's province can buy, in force on asOf", async () => {
    const [jiangsu, hangzhou] = await check(`asOf=2024-06-01&province=${encodeURIComponent("浙江")}`);
    // 江苏药业's price supplies 江苏 only: for a hospital in 浙江 it is no chosen price, and the
    // cheapest one it can buy is offered (未知药业, nationwide, cycle not published).
    expect(jiangsu).toMatchObject({ class: "alternative_available", chosen: null, alternative: { product: { manufacturer: "未知药业" } } });
    expect(hangzhou).toMatchObject({ class: "above_chosen_price", chosen: { product: { manufacturer: "杭州药业" } } });
    const [inJiangsu] = await check(`asOf=2024-06-01&province=${encodeURIComponent("江苏")}`);
    expect(inJiangsu).toMatchObject({ class: "above_chosen_price", chosen: { product: { manufacturer: "江苏药业" } } });
    // After the cycle: 江苏药业's price has ended, so it is no longer the chosen price to pay.
    const [ended] = await check(`asOf=2025-06-01&province=${encodeURIComponent("江苏")}`);
    expect(ended).toMatchObject({ chosen: null, alternative: { product: { manufacturer: "未知药业" } } });
  });
});

describe("places read once per data version", () => {
  // The statements that resolve a place (findPlace, its related regions, its bit), not those naming an answer's regions.
  const placeReads = (texts: string[]) => texts.filter((t) => t.includes("parent_code") || t.includes("% 53"));

  it("a place asked again is not read again, and a region imported since counts at once", async () => {
    const { db, texts } = recording(world.db);
    const inZhejiang = async (d: typeof db) =>
      (await searchPrices(d, { q: Q, province: "浙江省", asOf: "2024-06-01" })).items.map((i) => i.product.manufacturer).sort();
    expect(await inZhejiang(db)).toEqual(["全国药业", "杭州药业", "浙江药业", "未知药业"].sort());
    expect(placeReads(texts()).length).toBeGreaterThan(0);
    const before = texts().length;
    expect(await inZhejiang(db)).toEqual(["全国药业", "杭州药业", "浙江药业", "未知药业"].sort());
    expect(placeReads(texts().slice(before))).toEqual([]);
    // 温州 joins 浙江 with a price of its own: 浙江's hospitals can buy it as soon as the import ends.
    expect(await inZhejiang(world.db)).not.toContain("温州药业");
    for (const [kind, text] of [
      ["regions", "code,name,parentCode,level\n3303,温州市,33,city\n"],
      [
        "prices",
        "batch,genericName,dosageForm,spec,packageQty,manufacturer,chosenPrice,supplyRegions,source\ny2024,测试他汀片,片剂,10mg,10,温州药业,8.5,温州市,fixture\n",
      ],
    ] as const) {
      expect((await runImport(world.db, { kind, bytes: csv(text) })).errors).toEqual([]);
    }
    expect(await inZhejiang(world.db)).toContain("温州药业");
  });
});
