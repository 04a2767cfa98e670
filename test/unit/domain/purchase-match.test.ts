import { describe, expect, it } from "vitest";
import { firmMatch, formsAgree, publishedNames } from "../../../src/domain/purchase-match";

/* A hospital's line names a product as its box and its own system do; the national tables do not. */
describe("matching a purchase line to a published product", () => {
  it("reads the name on the box as the name the tables publish, keeping the form word's forms", () => {
    expect(publishedNames("阿托伐他汀钙片")).toEqual([
      { name: "阿托伐他汀钙片", fits: null },
      { name: "阿托伐他汀钙", fits: ["片", "口服常释"] },
      { name: "阿托伐他汀", fits: ["片", "口服常释"] },
    ]);
    expect(publishedNames("左乙拉西坦注射液").map((n) => n.name)).toEqual(["左乙拉西坦注射液", "左乙拉西坦"]);
    // a name with no form word is only itself; so is one in other scripts or with punctuation
    expect(publishedNames("丙泊酚中/长链脂肪乳")).toEqual([{ name: "丙泊酚中/长链脂肪乳", fits: null }]);
    expect(publishedNames("  ")).toEqual([]);
  });

  it("takes a line's form word for the class the tables publish, and nothing else", () => {
    expect(formsAgree("片剂", "口服常释剂型")).toBe(true);
    expect(formsAgree("胶囊", "口服常释剂型")).toBe(true);
    expect(formsAgree("片剂", "片剂")).toBe(true);
    expect(formsAgree(null, "注射剂")).toBe(true);
    expect(formsAgree("片剂", "注射剂")).toBe(false);
    expect(formsAgree("缓释片", "口服常释剂型")).toBe(false);
  });

  it("knows a firm by its full name, or by a table's short name of four characters or more at its start", () => {
    expect(firmMatch("北京嘉林药业股份有限公司", "北京嘉林药业股份有限公司")).toBe(2);
    expect(firmMatch("北京嘉林药业股份有限公司", "北京嘉林")).toBe(1);
    expect(firmMatch("浙江京新", "浙江京新药业股份有限公司")).toBe(1);
    // too short to be a firm's own name, or another firm's start
    expect(firmMatch("齐鲁制药有限公司", "齐鲁")).toBe(0);
    expect(firmMatch("甲药业", "丁药业")).toBe(0);
    expect(firmMatch("北京嘉林药业股份有限公司", "天津嘉林")).toBe(0);
    expect(firmMatch(null, "北京嘉林")).toBe(0);
  });
});
