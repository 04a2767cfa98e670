import { describe, expect, it } from "vitest";
import { runImport } from "../../src/services/imports";
import { okJson } from "../support/client";
import { type Api, apiClients, useTestWorld } from "../support/world";

/**
 * The 4+7 pilot (national-drug-1) bought for eleven cities, not the nation (seeds/batches.csv names
 * them and its sources). Its real prices (seeds/prices-national.csv) publish no supply regions, so
 * they are supplied to the batch's scope: a hospital in 广东 (广州, 深圳) can buy them, one in 浙江
 * cannot. A city resolves to its province for province=.
 */
const world = useTestWorld();
const { api } = apiClients(world);

type PricesQuery = Parameters<Api["prices"]["$get"]>[0]["query"];
async function prices(query: PricesQuery) {
  const body = await okJson(api.prices.$get({ query: { ...query, include: "ended", limit: "200" } }));
  expect(body.meta.total, JSON.stringify(query)).toBe(body.data.length);
  return body.data;
}
type Item = Awaited<ReturnType<typeof prices>>[number];
const PILOT_CITIES = ["北京市", "天津市", "上海市", "重庆市", "沈阳市", "大连市", "厦门市", "广州市", "深圳市", "成都市", "西安市"];
const pilot = (xs: Item[]) => xs.filter((x) => x.batch.id === "national-drug-1");

describe("the 4+7 pilot's places, on the real seeds", () => {
  it("the batch names its eleven cities, with the source that lists them", async () => {
    const body = await okJson(api.batches[":id"].$get({ param: { id: "national-drug-1" } }));
    expect(body.data.regionScope?.split("、")).toEqual(PILOT_CITIES);
    expect(body.data.source).toContain("国办发〔2019〕2号");
  });

  it("its national-table prices are supplied to the eleven cities; the article's 大同市 price keeps its own place", async () => {
    const all = pilot(await prices({ batch: "national-drug-1" }));
    const fromTables = all.filter((x) => !x.supplyRegions.some((r) => r.name === "大同市"));
    expect(fromTables.length).toBe(26);
    for (const x of fromTables) expect(x.supplyRegions.map((r) => r.name)).toEqual(PILOT_CITIES);
    expect(all.length - fromTables.length).toBe(1);
  });

  it("浙江 sees none of them, 广东 and its cities (广州) all, as do 北京 and 四川 (成都)", async () => {
    expect(pilot(await prices({ batch: "national-drug-1", province: "浙江" }))).toEqual([]);
    const tables = pilot(await prices({ batch: "national-drug-1" })).filter((x) => x.supplyRegions.some((r) => r.name === "广州市"));
    for (const place of ["广东", "44", "广州", "深圳市", "北京", "四川"]) {
      expect(
        pilot(await prices({ batch: "national-drug-1", province: place }))
          .map((x) => x.id)
          .sort(),
        place,
      ).toEqual(tables.map((x) => x.id).sort());
    }
    // A search in 浙江 keeps the atorvastatin 浙江 can buy (the expansion's) and drops the pilot's.
    const zhejiang = await prices({ q: "阿托伐他汀", province: "浙江" });
    expect(zhejiang.length).toBeGreaterThan(0);
    expect(pilot(zhejiang)).toEqual([]);
    expect(pilot(await prices({ q: "阿托伐他汀", province: "广东" })).map((x) => x.product.manufacturer)).toEqual(["北京嘉林"]);
  });

  it("an import: a row without supply regions takes its batch's scope, a row with its own keeps them, a nationwide batch stays nationwide", async () => {
    const batches = `id,name,level,category,regionScope,source
test-pilot,测试试点批次,alliance,drug,广州市、深圳市,test file
test-national,测试全国批次,national,drug,全国,test file
test-unknown,测试未知地区批次,alliance,drug,广州市、不存在市,test file
`;
    expect((await runImport(world.db, { kind: "batches", bytes: new TextEncoder().encode(batches) })).errors).toEqual([]);
    const file = `batch,genericName,dosageForm,spec,manufacturer,chosenPrice,supplyRegions,source
test-pilot,测试药甲,片剂,10mg,测试企业甲,1.5,,test file
test-pilot,测试药甲,片剂,20mg,测试企业甲,2.5,浙江省,test file
test-national,测试药甲,片剂,30mg,测试企业甲,3.5,,test file
test-unknown,测试药甲,片剂,40mg,测试企业甲,4.5,,test file
`;
    const report = await runImport(world.db, { kind: "prices", bytes: new TextEncoder().encode(file) });
    expect(report.errors).toEqual([]);
    expect(report.warnings.join("\n")).toMatch(/batch test-unknown: .*不存在市/);
    const regions = async (batch: string) => (await prices({ batch })).map((x) => x.supplyRegions.map((r) => r.name).join("、")).sort();
    expect(await regions("test-pilot")).toEqual(["广州市、深圳市", "浙江省"]);
    expect(await regions("test-national")).toEqual([""]);
    expect(await regions("test-unknown")).toEqual([""]);
  });
});
