import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { okJson, typedClient } from "../support/client";
import type { TestWorld } from "../support/test-db";
import { createSearchWorld } from "./search-world";

/**
 * The relevance suite, over every price whatever its state (include=ended; the default of prices in
 * force is test/search/state-place.test.ts's): what a pharmacist types and what must come first. `top` is the generic name
 * of the first result; `firm` (optional) its manufacturer; `all` (optional) names every result must
 * have; `total` (optional) the exact size of the matched set.
 */
type Case = { q: string; top: string; firm?: string; all?: string[]; total?: number; why: string };

const CASES: Case[] = [
  // Chinese prefixes
  { q: "阿托伐", top: "阿托伐他汀钙片", all: ["阿托伐他汀钙片"], total: 5, why: "name prefix" },
  { q: "阿托伐他汀", top: "阿托伐他汀钙片", total: 5, why: "longer prefix" },
  { q: "阿托伐他汀钙片", top: "阿托伐他汀钙片", total: 5, why: "exact name" },
  { q: "瑞舒伐", top: "瑞舒伐他汀钙片", total: 2, why: "prefix of another statin" },
  { q: "厄贝沙坦片", top: "厄贝沙坦片", why: "exact name beats the longer name it prefixes" },
  { q: "厄贝沙坦", top: "厄贝沙坦片", total: 2, why: "prefix of two names; cheaper unit price first within the tier" },
  { q: "冠状动脉", top: "冠状动脉球囊扩张导管", why: "device prefix" },
  { q: "复方氨基酸", top: "复方氨基酸注射液(18AA)", why: "prefix of a name with brackets" },
  { q: "人工膝", top: "人工膝关节", why: "device prefix" },
  // two-character and one-character queries (trigram cannot answer them)
  {
    q: "他汀",
    top: "瑞舒伐他汀钙片",
    all: ["阿托伐他汀钙片", "瑞舒伐他汀钙片", "辛伐他汀片", "匹伐他汀钙片"],
    total: 9,
    why: "two-character fragment; all four names share tier 2, the cheapest in-cycle unit price leads",
  },
  { q: "冠脉", top: "冠脉支架", all: ["冠脉支架"], total: 2, why: "two-character device prefix" },
  { q: "阿胶", top: "阿胶", total: 2, why: "two characters, exact name first, then 复方阿胶浆" },
  { q: "沙坦", top: "氯沙坦钾片", total: 3, why: "fragment in three names, cheapest unit price first" },
  { q: "胰岛", top: "重组人胰岛素注射液", why: "two-character fragment in the middle" },
  { q: "嘉林", top: "阿托伐他汀钙片", firm: "北京嘉林药业股份有限公司", total: 2, why: "two-character manufacturer" },
  {
    q: "阿",
    top: "阿司匹林肠溶片",
    all: ["阿托伐他汀钙片", "阿司匹林肠溶片", "阿莫西林胶囊", "阿胶", "复方阿胶浆"],
    total: 9,
    why: "one character: names starting with it first, cheapest unit price first",
  },
  { q: "at", top: "阿托伐他汀钙片", why: "two-letter initials prefix" },
  // 拼音码 and full pinyin
  { q: "atfttgp", top: "阿托伐他汀钙片", all: ["阿托伐他汀钙片"], total: 5, why: "full initials" },
  { q: "atf", top: "阿托伐他汀钙片", total: 5, why: "initials prefix" },
  { q: "ATF", top: "阿托伐他汀钙片", why: "upper-case initials" },
  { q: "rsfttgp", top: "瑞舒伐他汀钙片", why: "initials of rosuvastatin" },
  { q: "lstjp", top: "氯沙坦钾片", why: "initials with 氯 (lǜ)" },
  { q: "ej", top: "阿胶", why: "阿胶 is ē jiāo (override), exact initials" },
  { q: "czryds", top: "重组人胰岛素注射液", why: "重组 is chóng zǔ (override)" },
  { q: "guanmai", top: "冠脉支架", why: "full pinyin prefix" },
  { q: "atuofatating", top: "阿托伐他汀钙片", why: "full pinyin" },
  // English
  { q: "atorvastatin", top: "阿托伐他汀钙片", total: 5, why: "English name" },
  { q: "Atorva", top: "阿托伐他汀钙片", why: "English prefix, mixed case" },
  { q: "statin", top: "瑞舒伐他汀钙片", all: ["阿托伐他汀钙片", "瑞舒伐他汀钙片", "辛伐他汀片", "匹伐他汀钙片"], why: "English fragment" },
  { q: "coronary stent", top: "冠脉支架", total: 2, why: "English name with a space" },
  { q: "clopidogrel", top: "硫酸氢氯吡格雷片", why: "English" },
  // codes
  { q: "国药准字H20193286", top: "阿托伐他汀钙片", firm: "齐鲁制药有限公司", total: 1, why: "approval number" },
  { q: "H20193286", top: "阿托伐他汀钙片", firm: "齐鲁制药有限公司", total: 1, why: "approval number without its prefix" },
  { q: "XC10AAA052A001010300003", top: "阿托伐他汀钙片", firm: "浙江华海药业股份有限公司", total: 1, why: "insurance code" },
  { q: "xc10aaa078", top: "瑞舒伐他汀钙片", total: 2, why: "insurance code prefix, lower case" },
  { q: "国械注准20173460001", top: "冠脉支架", firm: "微创医疗器械（上海）有限公司", total: 1, why: "device registration number" },
  // manufacturers
  { q: "北京嘉林药业", top: "阿托伐他汀钙片", firm: "北京嘉林药业股份有限公司", total: 2, why: "manufacturer" },
  { q: "华海", top: "氯沙坦钾片", firm: "浙江华海药业股份有限公司", total: 4, why: "two-character manufacturer, cheapest unit price first" },
  { q: "东阿阿胶", top: "复方阿胶浆", firm: "东阿阿胶股份有限公司", total: 2, why: "manufacturer whose name contains a drug name" },
  // mixed words
  { q: "阿托伐 20mg", top: "阿托伐他汀钙片", all: ["阿托伐他汀钙片"], total: 3, why: "name and strength" },
  { q: "阿托伐 40mg", top: "阿托伐他汀钙片", firm: "石药集团欧意药业有限公司", total: 1, why: "name and strength" },
  { q: "atf 10mg", top: "阿托伐他汀钙片", firm: "浙江华海药业股份有限公司", total: 1, why: "initials and strength" },
  { q: "他汀 齐鲁", top: "阿托伐他汀钙片", firm: "齐鲁制药有限公司", total: 1, why: "fragment and manufacturer" },
  { q: "阿托伐他汀钙片（20mg）", top: "阿托伐他汀钙片", total: 3, why: "strength in full-width brackets" },
  // full-width input
  { q: "ＡＴＦＴＴＧＰ", top: "阿托伐他汀钙片", why: "full-width initials" },
  { q: "ａｔｏｒｖａｓｔａｔｉｎ", top: "阿托伐他汀钙片", why: "full-width English" },
  { q: "　阿托伐　", top: "阿托伐他汀钙片", why: "ideographic spaces around" },
  { q: "复方氨基酸注射液（18AA）", top: "复方氨基酸注射液(18AA)", total: 1, why: "full-width brackets of the name itself" },
];

let world: TestWorld;
beforeAll(async () => {
  world = await createSearchWorld();
});
afterAll(() => world.close());
/** The API through the typed client. */
const api = () => typedClient(world.app).api.v1;
type PriceQuery = NonNullable<Parameters<ReturnType<typeof api>["prices"]["$get"]>[0]>["query"];

describe("relevance suite", () => {
  it("has at least 40 queries", () => expect(CASES.length).toBeGreaterThanOrEqual(40));

  it.each(CASES)("$q → $top ($why)", async ({ q, top, firm, all, total }) => {
    const body = await okJson(api().prices.$get({ query: { q, limit: "50", include: "ended" } }));
    const first = body.data[0];
    expect(first?.product.genericName).toBe(top);
    if (firm) expect(first!.product.manufacturer).toBe(firm);
    if (all) for (const item of body.data) expect(all).toContain(item.product.genericName);
    if (total !== undefined) expect(body.meta.total).toBe(total);
    expect(body.meta.total).toBe(body.data.length);
  });

  it("puts in-cycle prices before cheaper ones whose cycle has ended", async () => {
    const body = await okJson(api().prices.$get({ query: { q: "阿托伐他汀钙片", include: "ended" } }));
    const batches = body.data.map((d) => d.batch.id);
    // The 0.10/片 price of the ended batch is the cheapest, yet comes last.
    expect(batches[batches.length - 1]).toBe("fx-past");
    const units = body.data.slice(0, -1).map((d) => d.unitPrice);
    expect(units).toEqual([...units].sort((a, b) => a - b));
  });

  it("offers the closest names when nothing matches", async () => {
    for (const [q, meant] of [
      ["阿托发他汀", "阿托伐他汀钙片"],
      ["瑞书伐他汀", "瑞舒伐他汀钙片"],
      ["atorvastain", "阿托伐他汀钙片"],
      ["氯吡各雷", "硫酸氢氯吡格雷片"],
    ] as const) {
      const body = await okJson(api().prices.$get({ query: { q } }));
      expect(body.meta.total, q).toBe(0);
      expect(body.meta.didYouMean?.[0], q).toBe(meant);
    }
  });

  it("counts the matched set by batch, category and level", async () => {
    const body = await okJson(api().prices.$get({ query: { q: "他汀", include: "ended" } }));
    expect(body.meta.facets?.batch).toEqual([
      { id: "fx-current", name: "测试批次（执行中）", count: 7 },
      { id: "fx-past", name: "测试批次（已结束）", count: 2 },
    ]);
    expect(body.meta.facets?.category).toEqual([{ category: "drug", count: 9 }]);
    expect(body.meta.facets?.level).toEqual([
      { level: "alliance", count: 7 },
      { level: "national", count: 2 },
    ]);
  });

  it("combines q with every filter", async () => {
    const cases: Array<[Omit<PriceQuery, "include">, number]> = [
      [{ q: "他汀", batch: "fx-past" }, 2],
      [{ q: "他汀", level: "alliance" }, 7],
      [{ q: "他汀", category: "device" }, 0],
      [{ q: "他汀", manufacturer: "齐鲁" }, 1],
      [{ q: "他汀", minDiscount: "90" }, 2],
      [{ q: "他汀", maxUnitPrice: "0.1" }, 2],
      [{ q: "atf", region: "北京市" }, 5],
      [{ q: "atf", region: "上海市" }, 4],
    ];
    for (const [query, total] of cases) {
      const what = JSON.stringify(query);
      const body = await okJson(api().prices.$get({ query: { include: "ended", ...query } }));
      expect(body.meta.total, what).toBe(total);
      expect(body.data.length, what).toBe(total);
      expect(
        body.meta.facets?.batch.reduce((s, b) => s + b.count, 0),
        what,
      ).toBe(total);
    }
  });
});
