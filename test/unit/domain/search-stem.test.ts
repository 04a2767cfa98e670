import { describe, expect, it } from "vitest";
import { nameIsStem, queryStems } from "../../../src/domain/search-stem";

describe("queryStems: the shorter names a query typed with its salt and form stands for", () => {
  it("drops a trailing form word, then a salt, in the query's own script", () => {
    expect(queryStems("阿托伐他汀钙片").map((s) => s.stem)).toEqual(["阿托伐他汀钙", "阿托伐他汀"]);
    expect(queryStems("atfttgp").map((s) => s.stem)).toEqual(["atfttg", "atftt"]);
    expect(queryStems("atfttgp")[1]?.fits).toContain("口服常释");
    // The longest form word first: 缓释片 keeps only the modified-release forms, 片 the ordinary ones too.
    expect(queryStems("二甲双胍缓释片")[0]).toEqual({ stem: "二甲双胍", script: "han", fits: ["缓释", "控释"] });
    expect(queryStems("ejsghsp").map((s) => s.stem)).toContain("ejsg");
    // Full pinyin as well as 拼音码.
    expect(queryStems("atuofatatinggaipian").map((s) => s.stem)).toEqual(expect.arrayContaining(["atuofatatinggai", "atuofatating"]));
  });

  it("a salt alone keeps every form", () => {
    expect(queryStems("氯沙坦钾")).toEqual([{ stem: "氯沙坦", script: "han", fits: null }]);
  });

  it("leaves at least two Chinese characters or three letters, and nothing for mixed text, digits or spaces", () => {
    for (const q of ["p", "片", "钙片", "atp", "gp", "ltp", "阿托伐他汀钙片 20mg", "atfttgp10", "阿托ftgp", "10mg"]) {
      expect(queryStems(q), q).toEqual([]);
    }
  });

  it("a stem is a whole name, 拼音码 or pinyin, never a fragment of one", () => {
    const name = { term: "阿托伐他汀", initials: "atftt", pinyin: "atuofatating" };
    expect(nameIsStem({ stem: "atftt", script: "latin", fits: null }, name)).toBe(true);
    expect(nameIsStem({ stem: "atft", script: "latin", fits: null }, name)).toBe(false);
    expect(nameIsStem({ stem: "阿托伐他汀", script: "han", fits: null }, name)).toBe(true);
    expect(nameIsStem({ stem: "托伐他汀", script: "han", fits: null }, name)).toBe(false);
  });
});
