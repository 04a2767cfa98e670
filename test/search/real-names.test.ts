import { describe, expect, it } from "vitest";
import { runImport } from "../../src/services/imports";
import { okJson } from "../support/client";
import { type Api, apiClients, useTestWorld } from "../support/world";

/**
 * Names users type, on the real national results the tracker starts with (seeds/prices-national.csv,
 * built from the analyst workbook): firm short names (生产企业-简称), brand names (商品名) and typos,
 * and what a hospital in one province can buy on one day (issue 15).
 */
const world = useTestWorld();
const { api } = apiClients(world);

type PricesQuery = Parameters<Api["prices"]["$get"]>[0]["query"];
async function search(query: PricesQuery) {
  const body = await okJson(api.prices.$get({ query: { ...query, limit: "200" } }));
  return { items: body.data, total: body.meta.total, didYouMean: body.meta.didYouMean };
}
const q = (text: string) => ({ q: text });

describe("firm short names (生产企业-简称) on the real seeds", () => {
  it("正大天晴 finds the products of every 正大天晴 firm, the short name shown on each", async () => {
    const { items, total } = await search({ ...q("正大天晴"), include: "ended" });
    // The workbook lists 正大天晴 under three full names (and the 4+7 sheet by its short name alone).
    const firms = new Set(items.map((i) => i.product.manufacturer));
    expect(firms).toEqual(new Set(["正大天晴", "正大天晴药业集团股份有限公司", "南京正大天晴制药有限公司", "正大天晴药业集团股份有限"]));
    expect(total).toBe(items.length);
    for (const i of items.filter((x) => x.batch.id !== "national-drug-1")) expect(i.product.manufacturerShort).toBe("正大天晴");
    const names = items.map((i) => i.product.genericName);
    for (const drug of ["恩替卡韦", "吉非替尼", "替格瑞洛", "硼替佐米"]) expect(names).toContain(drug);
  });

  it("a short name that is not part of the full name finds its firm (乐普医疗 → 乐普制药科技有限公司, 华东医药 → 杭州中美华东制药有限公司)", async () => {
    const huadong = await search({ ...q("华东医药"), include: "ended" });
    expect(huadong.items.map((i) => i.product.manufacturer)).toContain("杭州中美华东制药有限公司");
    const lepu = await search({ ...q("乐普医疗"), include: "ended" });
    expect(lepu.items.length).toBeGreaterThan(0);
    for (const i of lepu.items) expect(i.product.manufacturerShort).toBe("乐普医疗");
    expect(new Set(lepu.items.map((i) => i.product.manufacturer))).toEqual(new Set(["乐普制药科技有限公司", "乐普药业股份有限公司"]));
    // With a further word: the short name leads, the drug narrows.
    const both = await search({ ...q("乐普医疗 阿托伐他汀"), include: "ended" });
    expect(both.items.map((i) => `${i.product.genericName} ${i.product.manufacturer}`)).toEqual(["阿托伐他汀 乐普制药科技有限公司"]);
  });
});

describe("English names, on the real seeds", () => {
  it("amlodipine, clopidogrel and atorvastatin find their 4+7 prices (the workbook has no English; seeds/source/generic-names-en.csv gives batch 1's)", async () => {
    for (const [english, chinese] of [
      ["amlodipine", "氨氯地平"],
      ["clopidogrel", "氯吡格雷"],
      ["atorvastatin", "阿托伐他汀"],
      ["Entecavir", "恩替卡韦"],
    ] as const) {
      const { items, total } = await search({ ...q(english), include: "ended" });
      expect(total, english).toBeGreaterThan(0);
      expect(total, english).toBe(items.length);
      for (const i of items) expect(i.product.genericName, english).toContain(chinese);
      const batches = new Set(items.map((i) => i.batch.id));
      expect(batches.has("national-drug-1") && batches.has("national-drug-1-expansion"), english).toBe(true);
    }
  });
});

describe("did you mean, on the real seeds", () => {
  it("Lipitor (no name, and no brand until a file gives it) suggests nothing unrelated, never risperidone (利培酮)", async () => {
    const { total, didYouMean } = await search(q("Lipitor"));
    expect(total).toBe(0);
    expect(didYouMean ?? []).not.toContain("利培酮");
    expect((didYouMean ?? []).filter((n) => !n.includes("阿托伐他汀"))).toEqual([]);
  });

  it("a typo in a 拼音码 finds its name (atftgp → 阿托伐他汀)", async () => {
    const { total, didYouMean } = await search(q("atftgp"));
    expect(total).toBe(0);
    expect(didYouMean?.[0]).toMatch(/^阿托伐他汀/);
    // atfttp is no typo: it is the 拼音码 of 阿托伐他汀片, and finds the tablets themselves.
    const tablets = await search({ ...q("atfttp"), include: "ended" });
    expect(tablets.didYouMean).toBeUndefined();
    expect(new Set(tablets.items.map((i) => i.product.genericName))).toEqual(new Set(["阿托伐他汀"]));
  });

  it("Chinese typos offer Chinese names only, Latin typos compare with pinyin and English names", async () => {
    const zh = await search(q("瑞舒发他汀"));
    expect(zh.didYouMean?.[0]).toBe("瑞舒伐他汀");
    const latin = await search(q("ruishufatading"));
    expect(latin.didYouMean?.[0]).toBe("瑞舒伐他汀");
  });
});

describe("brand names (商品名) and originators (原研)", () => {
  it("a file's 商品名 column makes its brand searchable and shown, with the originator flag", async () => {
    // Pfizer's atorvastatin is sold as 立普妥 (Lipitor); a hospital's file says so.
    const file = `batch,genericName,dosageForm,spec,manufacturer,商品名,是否原研,chosenPrice,source
national-drug-1-expansion,阿托伐他汀,口服常释剂型,20mg,辉瑞制药有限公司,立普妥、Lipitor,是,4.1,test file with brand names
`;
    const report = await runImport(world.db, { kind: "prices", bytes: new TextEncoder().encode(file) });
    expect(report.errors).toEqual([]);
    for (const typed of ["立普妥", "Lipitor", "lipi"]) {
      const { items } = await search({ ...q(typed), include: "ended" });
      expect(
        items.map((i) => i.product.manufacturer),
        typed,
      ).toEqual(["辉瑞制药有限公司"]);
      expect(items[0]?.product.brandNames).toEqual(["立普妥", "Lipitor"]);
      expect(items[0]?.product.originator).toBe(true);
    }
    // Type-ahead offers the generic name sold under the brand; a firm's short name is no name to suggest.
    const suggest = async (typed: string) => (await okJson(api.suggest.$get({ query: { q: typed } }))).data.map((d) => d.name);
    expect(await suggest("立普妥")).toEqual(["阿托伐他汀"]);
    expect(await suggest("乐普医疗")).toEqual([]);
  });
});
