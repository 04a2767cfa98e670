import { describe, expect, it } from "vitest";
import { headerDelimiter } from "../../src/import/delimiter";
import { PURCHASE_LIST_FIELDS } from "../../src/import/purchase-list";
import { readCsv } from "../../src/import/read-csv";

const HEADER = "药品通用名,规格,生产企业,采购单价,采购数量";

describe("the delimiter is read from the header row alone", () => {
  it("keeps a comma file whose cells hold semicolons a comma file (price check)", () => {
    const { table, issues } = readCsv(`${HEADER}\n阿莫西林胶囊,0.25g,甲;乙;丙;丁,1.5,10\n`, PURCHASE_LIST_FIELDS);
    expect(issues).toEqual([]);
    expect(table?.records[0]?.cells).toEqual(["阿莫西林胶囊", "0.25g", "甲;乙;丙;丁", "1.5", "10"]);
  });

  it("finds semicolons, tabs and pipes when the header uses them, under title rows and blank rows", () => {
    for (const d of [";", "\t", "|"]) {
      const text = `采购清单，2024 年\n\n\n${HEADER.replaceAll(",", d)}\n阿莫西林胶囊${d}0.25g${d}甲,乙${d}1.5${d}10\n`;
      expect(headerDelimiter(text, "\n", PURCHASE_LIST_FIELDS, 30)).toBe(d);
      const { table } = readCsv(text, PURCHASE_LIST_FIELDS);
      expect(table?.headerRow).toBe(4);
      expect(table?.records[0]?.cells[2]).toBe("甲,乙");
    }
  });

  it("reads any number of blank lines above the header of a purchase list", () => {
    const { table, issues } = readCsv(`${"\n".repeat(200)}${HEADER}\n阿莫西林胶囊,0.25g,甲,1.5,10\n${"\r\n".repeat(150_000)}`, PURCHASE_LIST_FIELDS);
    expect(issues).toEqual([]);
    expect(table?.headerRow).toBe(201);
    expect(table?.records).toHaveLength(1);
  });
});
