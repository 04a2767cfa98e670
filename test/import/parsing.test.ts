import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { csvRecords } from "../../src/import/csv-records";
import { decodeChunks, detectEncoding } from "../../src/import/decode";
import { matchHeaders, normalizeHeader } from "../../src/import/headers";
import { priceFields } from "../../src/import/kinds/prices";
import { parsePackageText } from "../../src/import/package-text";
import { regionLookup } from "../../src/import/region-names";
import { parseMoneyCell, parsePercentCell } from "../../src/import/values";

async function* pieces<T extends { length: number; slice(a: number, b: number): T }>(whole: T, sizes: number[]): AsyncGenerator<T> {
  for (let i = 0, k = 0; i < whole.length; k++) {
    const n = sizes[k % sizes.length]!;
    yield whole.slice(i, i + n);
    i += n;
  }
}

async function collect(text: string, sizes: number[]) {
  const rows: string[][] = [];
  for await (const chunk of csvRecords(pieces(text, sizes), { guessChars: 16 })) rows.push(...chunk.records.map((r) => r.cells));
  return rows;
}

describe("streamed CSV parsing", () => {
  it("gives the same records as papaparse on the whole text, wherever the pieces are cut", async () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "药", ",", '"', "\n", "\r\n", " ", "1") });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom("\n", "\r\n"),
        async (rows, sizes, newline) => {
          const width = rows[0]!.length;
          const table = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ""));
          const text = Papa.unparse(table, { newline, quotes: false });
          expect(await collect(text, sizes)).toEqual(Papa.parse<string[]>(text, { newline }).data);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("decodes GB18030 whose two-byte characters are split between pieces", async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("a,"), 0xd6, 0xd0, 0xd1, 0xa1, 0xbc, 0xdb, 0xb8, 0xf1]); // a,中选价格
    let text = "";
    for await (const t of decodeChunks(pieces(bytes, [3, 1, 2]), { encoding: "gb18030", bom: false })) text += t;
    expect(text).toBe("a,中选价格");
    expect(detectEncoding(bytes).encoding).toBe("gb18030");
    expect(detectEncoding(new TextEncoder().encode("药品通用名").subarray(0, 7)).encoding).toBe("utf-8");
  });
});

describe("header matching as DOMAIN.md says", () => {
  it("trims, folds full-width forms and drops a trailing unit in brackets", () => {
    expect(normalizeHeader(" 中选价格（元） ")).toBe("中选价格");
    expect(normalizeHeader("中选价格【元/盒】")).toBe("中选价格");
    expect(normalizeHeader("ｃｈｏｓｅｎＰｒｉｃｅ")).toBe("chosenprice");
    const match = matchHeaders(
      [
        "集采批次",
        "品种名称",
        "规格型号",
        "包装规格",
        "包装转换比",
        "中选厂家",
        "中选价(元)",
        "原价",
        "供应地区",
        "首年约定采购量",
        "药品编码",
        "注册证号",
        "类别",
      ],
      priceFields,
    );
    expect([...match.columns.values()]).toEqual([
      "batch",
      "genericName",
      "spec",
      "packageText",
      "packageQty",
      "manufacturer",
      "chosenPrice",
      "preVbpPrice",
      "supplyRegions",
      "agreedVolume",
      "nhsaCode",
      "approvalNo",
      "category",
    ]);
    expect(match.unknown).toEqual([]);
  });
});

describe("cell values", () => {
  it("reads ¥/￥, thousands separators, full-width digits and %", () => {
    expect(parseMoneyCell("￥1,234.50")).toBe(12_345_000n);
    expect(parseMoneyCell(" ¥ １２.５ ")).toBe(125_000n);
    expect(parsePercentCell("52.3%")).toBe(5230);
  });

  it("reads package text when 转换比 is absent", () => {
    expect(parsePackageText("7片/盒")).toEqual({ packageQty: 7, smallestUnit: "片", packageUnit: "盒" });
    expect(parsePackageText("10mg*7片*2板/盒")).toEqual({ packageQty: 14, smallestUnit: "片", packageUnit: "盒" });
    expect(parsePackageText("0.5g×24粒")).toEqual({ packageQty: 24, smallestUnit: "粒", packageUnit: null });
  });

  it("matches regions by code, full name or an unambiguous short name", () => {
    const lookup = regionLookup([
      { code: "15", name: "内蒙古自治区" },
      { code: "45", name: "广西壮族自治区" },
      { code: "11", name: "北京市" },
    ]);
    expect(["15", "内蒙古自治区", "内蒙古", "广西", "北京", "北京市"].map((n) => lookup.get(n))).toEqual(["15", "15", "15", "45", "11", "11"]);
  });
});
