import { describe, expect, it } from "vitest";
import { terminalSafe } from "../../src/cli/terminal-safe";
import { splitFusedForm } from "../../src/import/fused-name";
import { closestHeader, matchHeaders, normalizeHeader, parseColumnMap } from "../../src/import/headers";
import { priceFields } from "../../src/import/kinds/prices";
import { parseMoneyRounding, parseReductionCell, parseShareCell } from "../../src/import/numbers";
import { readRegionList } from "../../src/import/region-list";
import { regionLookup } from "../../src/import/region-names";
import { parseSpecPackage } from "../../src/import/spec-package";
import { isNoteRow } from "../../src/import/validate-rows";
import { cellText } from "../../src/import/xlsx/cell-text";

const REGIONS = regionLookup([
  { code: "42", name: "湖北省" },
  { code: "15", name: "内蒙古自治区" },
  { code: "65", name: "新疆维吾尔自治区" },
  { code: "660000", name: "新疆生产建设兵团" },
  { code: "11", name: "北京市" },
  { code: "150300", name: "乌海市" },
]);

describe("region cells as tables write them", () => {
  it("splits on ， 、 , ; spaces and line breaks, and mends a stray space inside a name", () => {
    expect(readRegionList("湖北，内蒙古、北京,乌海市;42", REGIONS)).toEqual({ codes: ["42", "15", "11", "150300"], unknown: [] });
    expect(readRegionList("湖 北 内蒙古\n北京\r\n 乌海", REGIONS)).toEqual({ codes: ["42", "15", "11", "150300"], unknown: [] });
    expect(readRegionList("湖北， 甘肃", REGIONS)).toEqual({ codes: ["42"], unknown: ["甘肃"] });
  });

  it("reads 新疆（含兵团） as 新疆 and the 兵团 (660000), also when the cell wraps before the bracket", () => {
    expect(readRegionList("北京，新疆（含兵团）", REGIONS).codes).toEqual(["11", "65", "660000"]);
    expect(readRegionList("北京，新疆\n（含兵团）", REGIONS).codes).toEqual(["11", "65", "660000"]);
    expect(readRegionList("兵团", REGIONS).codes).toEqual(["660000"]);
  });
});

describe("numbers as spreadsheets hold them", () => {
  it("rounds amounts half-up to 4 decimals and says it did", () => {
    expect(parseMoneyRounding("23.333333333333332")).toEqual({ value: 233333n, rounded: true, decimals: 15 });
    expect(parseMoneyRounding("0.47500000000000003")).toEqual({ value: 4750n, rounded: true, decimals: 17 });
    expect(parseMoneyRounding("1.23455")).toMatchObject({ value: 12346n, rounded: true });
    expect(parseMoneyRounding("￥1,234.5")).toEqual({ value: 12345000n, rounded: false, decimals: 1 });
  });

  it("reads a share written 0.7, 70 or 70% as 70 %, and refuses what is ambiguous or impossible", () => {
    for (const v of ["0.7", "70", "70%", " 70 % ", "0.70"]) expect(parseShareCell(v)).toBe(7000);
    expect(parseShareCell("72.8")).toBe(7280);
    expect(parseShareCell("100%")).toBe(10000);
    expect(() => parseShareCell("1")).toThrow(/ambiguous/);
    expect(() => parseShareCell("150%")).toThrow(/more than 100/);
    expect(() => parseShareCell("七成")).toThrow(/not a share/);
  });

  it("reads a reduction as a cut or as the change analysts write (-0.8374)", () => {
    expect(parseReductionCell("-0.8374384236453202")).toContain(8374);
    expect(parseReductionCell("83.74%")).toContain(8374);
    expect(parseReductionCell("0.35")).toContain(-3500);
  });
});

describe("headers and packaging text of published tables", () => {
  it("keeps the per-unit bracket (（最小规格）) and drops units", () => {
    expect(normalizeHeader("竞标价格\n（最小规格）（元）")).toBe("竞标价格(最小规格)");
    expect(normalizeHeader("企业近三年平均价\n（最小规格）")).toBe("企业近三年平均价(最小规格)");
    expect(normalizeHeader("中选价格（元）")).toBe("中选价格");
    expect(normalizeHeader("采购数量\n（万片/万袋/万支）")).toBe("采购数量");
  });

  it("recognises every header of the analyst and 4+7 layouts", () => {
    const analyst = [
      "序号",
      "药品通用名",
      "是否中标多种规格",
      "规格包装",
      "生产企业-全称",
      "生产企业-简称",
      "是否原研",
      "是否外企",
      "是否中标",
      "最高限价",
      "中标前中位价\n（最小规格）（元）",
      "竞标价格\n（最小规格）（元）",
      "供应省份",
    ];
    const fourPlusSeven = [
      "序号",
      "品种名",
      "剂型",
      "规格",
      "采购数量\n（万片/万袋/万支）",
      "拟中选企业",
      "中选规格包装",
      "每盒价格",
      "最小规格价格",
      "企业近三年平均价\n（最小规格）",
      "降幅",
      "原研企业及市场占比",
      "备注",
      "相关分子",
    ];
    const a = matchHeaders(analyst, priceFields);
    expect(a.unknown).toEqual([]);
    expect([...a.columns.values()]).toContain("chosenUnitPrice");
    expect([...a.columns.values()]).toContain("preVbpUnitPrice");
    const f = matchHeaders(fourPlusSeven, priceFields);
    expect(f.unknown).toEqual([]);
    expect([...f.columns.values()]).toEqual(expect.arrayContaining(["chosenPrice", "chosenUnitPrice", "preVbpUnitPrice", "discountPct", "specPackage"]));
  });

  it("suggests the closest known header for an unknown one, and maps columns by hand", () => {
    expect(closestHeader("中选价钱", priceFields)).toBe("中选价格");
    expect(closestHeader("生产企业简称", priceFields)).toBe("生产企业-简称");
    expect(closestHeader("完全无关的列", priceFields)).toBeNull();
    const { map, errors } = parseColumnMap(["chosenUnitPrice=竞标价格（最小规格）（元）;genericName=品种"], priceFields);
    expect(errors).toEqual([]);
    const m = matchHeaders(["品种", "竞标价格（最小规格）（元）"], priceFields, map);
    expect([...m.columns.values()]).toEqual(["genericName", "chosenUnitPrice"]);
    expect(parseColumnMap(["price=x"], priceFields).errors[0]).toMatch(/"price" is not a field/);
  });

  it("reads 规格包装 like 20mg*7, 0.25g*60片, (150mg+12.5mg)*14 and 50mg/5ml*5", () => {
    expect(parseSpecPackage("20mg*7")).toEqual({ spec: "20mg", packageQty: 7, smallestUnit: null, packageUnit: null });
    expect(parseSpecPackage("0.25g*60片")).toEqual({ spec: "0.25g", packageQty: 60, smallestUnit: "片", packageUnit: null });
    expect(parseSpecPackage("(150mg+12.5mg)*14")).toMatchObject({ spec: "150mg+12.5mg", packageQty: 14 });
    expect(parseSpecPackage("50mg/5ml*5")).toMatchObject({ spec: "50mg/5ml", packageQty: 5 });
    expect(parseSpecPackage("10mg")).toMatchObject({ spec: "10mg", packageQty: null });
  });

  it("splits the form analysts fuse into the name", () => {
    expect(splitFusedForm("阿比特龙口服常释剂型")).toEqual({ genericName: "阿比特龙", dosageForm: "口服常释剂型" });
    expect(splitFusedForm("替格瑞洛口服常释剂型 60mg")).toEqual({ genericName: "替格瑞洛", dosageForm: "口服常释剂型" });
    expect(splitFusedForm("他达拉非片")).toBeNull();
  });

  it("knows a note row, merged across cells or alone", () => {
    expect(isNoteRow(["", "注：碳酸氢钠流标", "", ""])).toBe(true);
    expect(isNoteRow(["注：碳酸氢钠流标", "注：碳酸氢钠流标"])).toBe(true);
    expect(isNoteRow(["1", "注射用比伐芦定"])).toBe(false);
  });

  it("reads formula cells by their cached value and numbers at full precision", () => {
    expect(cellText({ formula: "H3/7", result: 0.9428571428571428 })).toBe("0.9428571428571428");
    expect(cellText({ sharedFormula: "A5", result: 1 })).toBe("1");
    expect(cellText({ richText: [{ text: "辽宁，" }, { text: "吉林" }] })).toBe("辽宁，吉林");
    expect(cellText(1e-7)).toBe("0.0000001");
    expect(cellText(new Date(Date.UTC(2021, 2, 1)))).toBe("2021-03-01");
  });
});

describe("the CLI prints cell text safely", () => {
  it("shows escape sequences and bidi overrides instead of letting them act", () => {
    expect(terminalSafe('region "\u001b[2J\u001b]0;pwned\u0007" is unknown')).toBe('region "\\x1b[2J\\x1b]0;pwned\\x07" is unknown');
    expect(terminalSafe("a\u202eb\nc")).toBe("a\\u202eb\\x0ac");
  });
});
