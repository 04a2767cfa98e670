import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BATCH_COLUMNS, type BatchColumn, PRICE_COLUMNS, type PriceColumn, REGION_COLUMNS, type RegionColumn } from "../../../src/synthetic/index.js";
import { factsPath, readCsv, repoPath } from "./helpers.js";

const batches = readCsv<BatchColumn>(repoPath("seeds/batches.csv"));
const regions = readCsv<RegionColumn>(repoPath("seeds/regions.csv"));
const prices = readCsv<PriceColumn>(repoPath("seeds/prices.csv"));
const published = readCsv<
  | "key"
  | "name_zh"
  | "level"
  | "category"
  | "announced"
  | "items"
  | "products_chosen"
  | "firms_chosen"
  | "avg_discount_pct"
  | "max_discount_pct"
  | "stated_savings"
  | "source"
>(factsPath("published-batches.csv")).rows;

describe("seeds/*.csv files", () => {
  it("have the exact canonical headers, UTF-8 without BOM", () => {
    for (const [file, cols] of [
      ["seeds/batches.csv", BATCH_COLUMNS],
      ["seeds/regions.csv", REGION_COLUMNS],
      ["seeds/prices.csv", PRICE_COLUMNS],
    ] as const) {
      const bytes = readFileSync(repoPath(file));
      expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), file).toBe(false);
      expect(bytes.toString("utf8").split("\n")[0], file).toBe(cols.join(","));
    }
  });

  it("contain no synthetic row", () => {
    for (const r of [...batches.rows, ...prices.rows]) expect(r.synthetic).toBe("false");
    for (const r of batches.rows) expect(r.id.startsWith("synthetic")).toBe(false);
    for (const r of prices.rows) expect(r.nhsaCode.startsWith("SYN")).toBe(false);
  });

  it("give every row a source", () => {
    for (const r of [...batches.rows, ...prices.rows]) expect(r.source.trim()).not.toBe("");
  });
});

describe("seeds/batches.csv", () => {
  it("has one row per published batch, with its published figures", () => {
    expect(batches.rows.map((r) => r.id)).toEqual(published.map((p) => p.key));
    for (const p of published) {
      const b = batches.rows.find((r) => r.id === p.key);
      expect(b).toMatchObject({
        name: p.name_zh,
        level: p.level,
        category: p.category,
        announced: p.announced,
        publishedItems: p.items,
        publishedProducts: p.products_chosen,
        publishedFirms: p.firms_chosen,
        publishedAvgDiscountPct: p.avg_discount_pct,
        publishedMaxDiscountPct: p.max_discount_pct,
        publishedSavings: p.stated_savings,
      });
      // The published figures' source comes first; cycle dates add the page that states them.
      expect(b?.source.startsWith(p.source), p.key).toBe(true);
    }
  });

  it("fills a cycle date only where a named page states it, and leaves the others empty", () => {
    for (const b of batches.rows) {
      for (const [field, value] of [
        ["cycleStart", b.cycleStart],
        ["cycleEnd", b.cycleEnd],
      ] as const) {
        if (value === "") continue;
        expect(value, `${b.id} ${field}`).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
        const note = b.source.slice(b.source.indexOf(`${field} ${value}`));
        expect(b.source, `${b.id} ${field}`).toContain(`${field} ${value}`);
        expect(note, `${b.id} ${field}`).toMatch(/^[^;]*\(https?:\/\/[^\s)]+\)/);
      }
    }
    const filled = batches.rows.filter((b) => b.cycleStart !== "").map((b) => b.id);
    expect(filled).toEqual(["national-drug-1", "national-drug-2", "national-drug-5", "national-drug-6", "national-drug-7", "national-device-stent"]);
  });

  it("names the national organizers and scope", () => {
    const byId = new Map(batches.rows.map((r) => [r.id, r]));
    expect(byId.get("national-drug-4")?.organizer).toBe("国家组织药品联合采购办公室");
    expect(byId.get("national-device-stent")?.organizer).toBe("国家组织高值医用耗材联合采购办公室");
    for (const r of batches.rows) {
      expect(r.organizer).toBe(r.category === "drug" ? "国家组织药品联合采购办公室" : "国家组织高值医用耗材联合采购办公室");
      // Every national batch bought for the nation but the 4+7 pilot, which bought for eleven cities.
      if (r.level === "national" && r.id !== "national-drug-1") expect(r.regionScope).toBe("全国");
    }
    expect(byId.get("national-drug-1")?.regionScope).toBe("北京市、天津市、上海市、重庆市、沈阳市、大连市、厦门市、广州市、深圳市、成都市、西安市");
    expect(byId.get("national-drug-4")?.publishedSavings).toBe("12.4 bn CNY a year");
    expect(byId.get("national-drug-1")?.announced).toBe("2018-12");
  });
});

describe("seeds/regions.csv", () => {
  const byCode = new Map(regions.rows.map((r) => [r.code, r]));

  it("has the 31 provincial-level divisions with GB/T 2260 codes and full names", () => {
    const provinces = regions.rows.filter((r) => r.level === "province");
    expect(provinces).toHaveLength(31);
    for (const p of provinces) {
      expect(p.code).toMatch(/^[1-6]\d$/);
      expect(p.parentCode).toBe("");
    }
    expect(byCode.get("11")?.name).toBe("北京市");
    expect(byCode.get("14")?.name).toBe("山西省");
    expect(byCode.get("15")?.name).toBe("内蒙古自治区");
    expect(byCode.get("34")?.name).toBe("安徽省");
    expect(byCode.get("45")?.name).toBe("广西壮族自治区");
    expect(byCode.get("50")?.name).toBe("重庆市");
    expect(byCode.get("65")?.name).toBe("新疆维吾尔自治区");
    expect(new Set(regions.rows.map((r) => r.code)).size).toBe(regions.rows.length);
    expect(new Set(regions.rows.map((r) => r.name)).size).toBe(regions.rows.length);
  });

  it("has the article cities and the 4+7 pilot cities under their provinces", () => {
    const cities = Object.fromEntries(regions.rows.filter((r) => r.level === "city").map((r) => [r.name, [r.code, r.parentCode]]));
    expect(cities).toEqual({
      大同市: ["140200", "14"],
      呼和浩特市: ["150100", "15"],
      乌海市: ["150300", "15"],
      阿拉善盟: ["152900", "15"],
      六安市: ["341500", "34"],
      // the seven pilot cities below a province (北京, 天津, 上海, 重庆 are provinces of their own), GB/T 2260
      沈阳市: ["210100", "21"],
      大连市: ["210200", "21"],
      厦门市: ["350200", "35"],
      广州市: ["440100", "44"],
      深圳市: ["440300", "44"],
      成都市: ["510100", "51"],
      西安市: ["610100", "61"],
    });
    for (const r of regions.rows.filter((x) => x.level === "city")) {
      expect(byCode.get(r.parentCode)?.level).toBe("province");
      expect(r.code.startsWith(r.parentCode)).toBe(true);
    }
  });

  it("gives 乌海市 its actual employees fund share (72.8 %) and leaves the rest unknown", () => {
    expect(byCode.get("150300")?.fundShare).toBe("72.8");
    expect(regions.rows.filter((r) => r.fundShare !== "").map((r) => r.name)).toEqual(["乌海市"]);
  });
});

describe("seeds/prices.csv", () => {
  const find = (name: string) => prices.rows.find((r) => r.genericName === name);

  it("has exactly the three article prices, not 厄贝沙坦片", () => {
    expect(prices.rows.map((r) => r.genericName).sort()).toEqual(["人工膝关节", "冠脉支架", "阿托伐他汀钙片"].sort());
  });

  it("atorvastatin: 156.8 → 3.6 per box, pre-VBP, national batch 1, 大同市", () => {
    expect(find("阿托伐他汀钙片")).toMatchObject({
      batch: "national-drug-1",
      category: "drug",
      genericNameEn: "atorvastatin calcium",
      dosageForm: "片剂",
      spec: "",
      packageQty: "",
      packageUnit: "盒",
      manufacturer: "",
      chosenPrice: "3.6",
      referencePrice: "156.8",
      referenceKind: "pre_vbp",
      supplyRegions: "大同市",
    });
    expect(find("阿托伐他汀钙片")?.source).toMatch(/000_6fc67b874ba05c0f\.txt.*大同市.*2021-12/);
    expect(find("阿托伐他汀钙片")?.source).toMatch(/batch 1/);
  });

  it("coronary stent: 13000 → 700 per 个 in the stent batch", () => {
    expect(find("冠脉支架")).toMatchObject({
      batch: "national-device-stent",
      category: "device",
      genericNameEn: "coronary stent",
      packageUnit: "个",
      chosenPrice: "700",
      referencePrice: "13000",
      referenceKind: "pre_vbp",
    });
    expect(find("冠脉支架")?.source).toContain("94.6%");
  });

  it("knee joint: 39443 → 7321 per 套 in the joint batch, 阿拉善盟", () => {
    expect(find("人工膝关节")).toMatchObject({
      batch: "national-device-joint",
      category: "device",
      genericNameEn: "artificial knee joint",
      packageUnit: "套",
      chosenPrice: "7321",
      referencePrice: "39443",
      referenceKind: "pre_vbp",
      supplyRegions: "阿拉善盟",
    });
    expect(find("人工膝关节")?.source).toMatch(/001_992b48f911c48a9a\.txt.*阿拉善盟.*32122/);
  });

  it("reproduces the articles’ own figures from the stored prices (exact integer arithmetic)", () => {
    const cents = (s: string | undefined) => Math.round(Number(s) * 100);
    const knee = find("人工膝关节");
    expect(cents(knee?.referencePrice) - cents(knee?.chosenPrice)).toBe(3_212_200); // 费用降低32122元
    const stent = find("冠脉支架");
    const stentPct = ((cents(stent?.referencePrice) - cents(stent?.chosenPrice)) * 1000) / cents(stent?.referencePrice);
    expect(Math.round(stentPct)).toBe(946); // 降幅94.6%
  });

  it("refers only to seeded batches and regions, with valid enums", () => {
    const batchIds = new Set(batches.rows.map((r) => r.id));
    const regionNames = new Set(regions.rows.flatMap((r) => [r.name, r.code]));
    for (const r of prices.rows) {
      expect(batchIds.has(r.batch), r.batch).toBe(true);
      expect(["drug", "device"]).toContain(r.category);
      expect(["ceiling", "pre_vbp"]).toContain(r.referenceKind);
      expect(r.category).toBe(batches.rows.find((b) => b.id === r.batch)?.category);
      for (const p of r.supplyRegions.split("、").filter(Boolean)) expect(regionNames.has(p), p).toBe(true);
      expect(r.chosenPrice).toMatch(/^\d+(\.\d{1,4})?$/);
      expect(r.referencePrice).toMatch(/^\d+(\.\d{1,4})?$/);
    }
  });
});
