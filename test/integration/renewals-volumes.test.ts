import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport } from "../../src/services/imports";
import { okJson, typedClient } from "../support/client";
import { createTestWorld, type TestWorld } from "../support/test-db";

/**
 * Renewals (续约), both baselines on one price, and regional agreed volumes (issue 15).
 */
const csv = (text: string) => new TextEncoder().encode(text);

const REGIONS = `code,name,parentCode,level
33,浙江省,,province
3301,杭州市,33,city
32,江苏省,,province
`;

// Three cycles of one award: the first batch, its renewal, and the renewal's renewal.
const BATCHES = `id,name,level,category,announced,cycleStart,cycleEnd,source
r1,测试批次,national,drug,2019-01,2019-04-01,2021-03-31,fixture
r1-renewal,测试批次接续采购,alliance,drug,2021-02,2021-04-01,2023-03-31,fixture
r1-renewal-2,测试批次第二次接续,alliance,drug,2023-02,2023-04-01,2025-03-31,fixture
`;

const PRICES = `batch,genericName,dosageForm,spec,packageQty,manufacturer,nhsaCode,chosenPrice,最高有效申报价,集采前价格,supplyRegions,source
r1,测试续约片,片剂,10mg,10,续约药业,TRN0001,10,40,100,,fixture
r1,测试对照片,片剂,10mg,10,对照药业,TRN0002,6,,,浙江省、江苏省,fixture
`;
const RENEWAL = `batch,renews,genericName,dosageForm,spec,packageQty,manufacturer,nhsaCode,chosenPrice,source
r1-renewal,r1,测试续约片,片剂,10mg,10,续约药业,TRN0001,8,fixture
`;
const RENEWAL_2 = `批次,续约原批次,通用名,剂型,规格,转换比,生产企业,医保编码,中选价格,来源
r1-renewal-2,r1-renewal,测试续约片,片剂,10mg,10,续约药业,TRN0001,9,fixture
`;

let world: TestWorld;
let api: ReturnType<typeof typedClient>["api"]["v1"];
const importCsv = async (kind: "regions" | "batches" | "prices" | "volumes" | "agreedVolumes", text: string) => runImport(world.db, { kind, bytes: csv(text) });
beforeAll(async () => {
  world = await createTestWorld({ seed: false });
  api = typedClient(world.app).api.v1;
  for (const [kind, text] of [
    ["regions", REGIONS],
    ["batches", BATCHES],
    ["prices", PRICES],
    ["prices", RENEWAL],
    ["prices", RENEWAL_2],
  ] as const) {
    expect((await importCsv(kind, text)).errors, kind).toEqual([]);
  }
});
afterAll(() => world.close());

const productOf = async (code: string) => {
  const body = await okJson(api.prices.$get({ query: { q: code, include: "ended" } }));
  return body.data[0]!.product.id;
};

describe("renewals", () => {
  it("history shows a chain of three cycles, each linked to the price it renews, with the change at each step and its state", async () => {
    const body = await okJson(api.products[":id"].$get({ param: { id: String(await productOf("TRN0001")) }, query: { asOf: "2024-01-01" } }));
    const history = body.data.history;
    expect(history.map((h) => [h.batch.id, h.chosenPrice, h.state, h.changeFromPrevious])).toEqual([
      ["r1", 10, "ended", null],
      ["r1-renewal", 8, "ended", { chosenPrice: -2, pct: -20 }],
      ["r1-renewal-2", 9, "in_force", { chosenPrice: 1, pct: 12.5 }],
    ]);
    expect(history[0]!.renews).toBeNull();
    expect(history[1]!.renews).toBe(history[0]!.id);
    expect(history[2]!.renews).toBe(history[1]!.id);
    expect(history.map((h) => h.renewedBy)).toEqual([history[1]!.id, history[2]!.id, null]);
  });

  it("re-importing a renewal changes nothing; a renewal naming its own batch is rejected by row and column", async () => {
    const again = await importCsv("prices", RENEWAL);
    expect(again.errors).toEqual([]);
    const own = await importCsv("prices", RENEWAL.replace("r1-renewal,r1,", "r1-renewal,r1-renewal,"));
    expect(own.errors).toEqual([{ row: 2, column: "renews", message: expect.stringContaining("own batch") }]);
    // A renewal whose predecessor is missing is imported with a warning: test/integration/renewal-links.test.ts.
  });

  it("a price whose cycle ends before it starts is rejected, naming the row", async () => {
    const bad = await importCsv(
      "prices",
      `batch,genericName,spec,manufacturer,chosenPrice,cycleStart,cycleEnd\nr1,测试倒置片,10mg,某药业,1,2022-05-01,2022-04-30\n`,
    );
    expect(bad.errors).toEqual([{ row: 2, column: "cycleEnd", message: "cycle ends (2022-04-30) before it starts (2022-05-01)" }]);
  });
});

describe("both baselines", () => {
  it("one price keeps its ceiling and its pre-procurement price side by side, each with its own reduction", async () => {
    const body = await okJson(api.prices.$get({ query: { q: "TRN0001", batch: "r1", include: "ended" } }));
    const price = body.data[0]!;
    // 10 per box of 10 against a ceiling of 40 (75 %) and a pre-procurement price of 100 (90 %).
    expect(price.baselines).toEqual([
      { kind: "ceiling", label: "最高有效申报价", price: 40, unitPrice: 4, discountPct: 75 },
      { kind: "pre_vbp", label: "集采前价格", price: 100, unitPrice: 10, discountPct: 90 },
    ]);
    // The primary baseline stays the ceiling for existing clients.
    expect([price.referenceKind, price.referencePrice, price.discountPct]).toEqual(["ceiling", 40, 75]);
  });
});

describe("regional agreed volumes and 完成率", () => {
  it("imports 约定采购量 per province and institution, and progress gives each its own 完成率 and the nation their sum", async () => {
    const agreed = `批次,医保编码,省份,医疗机构,约定采购量,已采购量
r1,TRN0002,浙江,,1000,
r1,TRN0002,江苏省,,3000,
r1,TRN0002,浙江省,杭州市第一人民医院,200,150
`;
    expect((await importCsv("agreedVolumes", agreed)).errors).toEqual([]);
    const volumes = `batch,nhsaCode,region,month,units
r1,TRN0002,3301,2019-05,400
r1,TRN0002,33,2019-06,100
r1,TRN0002,32,2019-05,1500
`;
    expect((await importCsv("volumes", volumes)).errors).toEqual([]);
    const body = await okJson(api.progress.$get({ query: { batch: "r1", asOf: "2020-04-01" } }));
    const item = body.data.find((d) => d.product.genericName === "测试对照片")!;
    expect(item.regions).toEqual([
      { region: { code: "32", name: "江苏省" }, institution: null, agreedVolume: 3000, purchased: 1500, completionPct: 50 },
      { region: { code: "33", name: "浙江省" }, institution: null, agreedVolume: 1000, purchased: 500, completionPct: 50 },
      { region: { code: "33", name: "浙江省" }, institution: "杭州市第一人民医院", agreedVolume: 200, purchased: 150, completionPct: 75 },
    ]);
    // National: 2000 of 4000 agreed by the provinces.
    expect([item.agreedVolumeFrom, item.agreedVolume, item.purchased, item.completionPct]).toEqual(["regions", 4000, 2000, 50]);
    const zhejiang = await okJson(api.progress.$get({ query: { batch: "r1", asOf: "2020-04-01", region: "33" } }));
    expect(zhejiang.data.find((d) => d.product.genericName === "测试对照片")!.regions.map((r) => r.region.code)).toEqual(["33", "33"]);
  });

  it("rejects an agreed volume for an unknown region or product by row and column", async () => {
    const report = await importCsv("agreedVolumes", `批次,医保编码,省份,约定采购量\nr1,TRN0002,火星,10\nr1,NOPE,浙江,10\n`);
    expect(report.errors).toEqual([
      { row: 2, column: "省份", message: expect.stringContaining("火星") },
      { row: 3, column: "医保编码", message: expect.stringContaining("NOPE") },
    ]);
  });
});

describe("therapy cost on the product page", () => {
  it("counts the price in force per smallest unit, with units per day as asked, else 1 and says so", async () => {
    const id = await productOf("TRN0001");
    const given = await okJson(api.products[":id"].$get({ param: { id: String(id) }, query: { asOf: "2024-01-01", unitsPerDay: "2" } }));
    // 9 per box of 10 (r1-renewal-2, in force): 0.9 × 2 × 30 = 54
    expect(given.data.therapy).toEqual({ priceId: given.data.history[2]!.id, monthlyCost: 54, unitsPerDay: 2, unitsPerDaySource: "given", note: null });
    const assumed = await okJson(api.products[":id"].$get({ param: { id: String(id) }, query: { asOf: "2024-01-01" } }));
    expect(assumed.data.therapy).toMatchObject({ monthlyCost: 27, unitsPerDay: 1, unitsPerDaySource: "default", note: expect.stringContaining("DDD") });
  });
});
