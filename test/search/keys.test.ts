import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadSearchKeys } from "../../src/domain/search-keys";
import { fragmentEditDistance, nameTier, prefixEditDistance, searchTerms, typoDistance, typoQuery } from "../../src/domain/search-query";

const searchKeys = await loadSearchKeys();

describe("search keys derived at write time", () => {
  it("gives the 拼音码 hospital systems use", () => {
    expect(searchKeys("阿托伐他汀钙片")).toEqual({ nameNorm: "阿托伐他汀钙片", namePinyin: "atuofatatinggaipian", nameInitials: "atfttgp" });
  });

  it("reads drug-name polyphones the pharmacopoeia way", () => {
    expect(searchKeys("阿胶").nameInitials).toBe("ej");
    expect(searchKeys("复方阿胶浆").namePinyin).toBe("fufangejiaojiang");
    expect(searchKeys("重组人胰岛素注射液").nameInitials).toBe("czrydszsy");
    expect(searchKeys("脯氨酸").namePinyin).toBe("fuansuan");
    expect(searchKeys("枸橼酸托法替布片").nameInitials).toBe("jystftbp");
    // …without changing the everyday reading of the same character elsewhere
    expect(searchKeys("重量").namePinyin).toBe("zhongliang");
  });

  it("writes ü as v and folds full-width text", () => {
    expect(searchKeys("氯沙坦钾片").namePinyin).toBe("lvshatanjiapian");
    expect(searchKeys("阿托伐他汀钙片（１０ＭＧ）").nameNorm).toBe("阿托伐他汀钙片(10mg)");
  });
});

describe("query rules", () => {
  it("splits words and brackets but keeps the whole text", () => {
    expect(searchTerms(" 阿托伐他汀钙片（20mg）　齐鲁 ")).toEqual({ text: "阿托伐他汀钙片(20mg) 齐鲁", terms: ["阿托伐他汀钙片", "20mg", "齐鲁"] });
    expect(searchTerms("a\u0000b").terms).toEqual(["a", "b"]);
  });

  it("ranks exact, then prefix, then substring", () => {
    const keys = { term: "阿托伐他汀钙片", nameEn: "atorvastatin calcium", pinyin: "atuofatatinggaipian", initials: "atfttgp" };
    expect(nameTier("阿托伐他汀钙片", keys)).toBe(0);
    expect(nameTier("atfttgp", keys)).toBe(0);
    expect(nameTier("阿托伐", keys)).toBe(1);
    expect(nameTier("atorva", keys)).toBe(1);
    expect(nameTier("他汀", keys)).toBe(2);
    expect(nameTier("a tuo fa", keys)).toBe(1);
    expect(nameTier("瑞舒", keys)).toBeNull();
  });

  it("measures a typo against the best stretch of a name", () => {
    expect(fragmentEditDistance("阿托发他汀", "阿托伐他汀钙片")).toBe(1);
    expect(fragmentEditDistance("伐他丁", "阿托伐他汀钙片")).toBe(1);
    expect(fragmentEditDistance("瑞舒伐", "阿托伐他汀钙片")).toBe(2);
    // Past the budget the answer is only "over it", and never a false match.
    expect(fragmentEditDistance("瑞舒伐", "阿托伐他汀钙片", 1)).toBe(2);
    expect(fragmentEditDistance("瑞舒伐他汀", "阿托伐他汀钙片", 1)).toBe(2);
    expect(fragmentEditDistance("阿托发他汀", "阿托伐他汀钙片", 1)).toBe(1);
  });

  it("measures a misspelling in its own script, against the start of Latin fields", () => {
    const atorva = { term: "阿托伐他汀钙片", nameEn: "atorvastatin calcium", pinyin: "atuofatatinggaipian", initials: "atfttgp" };
    const risperidone = { term: "利培酮片", nameEn: "risperidone", pinyin: "lipeitongpian", initials: "lptp" };
    expect(prefixEditDistance("atfttp", "atfttgp")).toBe(1);
    expect(prefixEditDistance("lipitor", "lipeitongpian")).toBe(2);
    // lipitor is close to the middle of nothing that counts: only starts of fields, within a quarter of its letters.
    const lipitor = typoQuery("Lipitor");
    expect(lipitor).toEqual({ script: "latin", text: "lipitor", budget: 1 });
    expect(typoDistance(lipitor!, risperidone)).toBeGreaterThan(1);
    expect(typoDistance(typoQuery("atfttp")!, atorva)).toBe(1);
    expect(typoDistance(typoQuery("atorvastain")!, atorva)).toBe(1);
    expect(typoDistance(typoQuery("calcuim")!, atorva)).toBe(1);
    // Chinese text is compared with Chinese names only, its strength left out.
    expect(typoQuery("阿托发他汀 10mg")).toEqual({ script: "han", text: "阿托发他汀", budget: 1 });
    expect(typoDistance(typoQuery("阿托发他汀")!, atorva)).toBe(1);
    // Too short to tell a typo from another word, or no name at all: nothing to suggest.
    expect(typoQuery("他丁")).toBeNull();
    expect(typoQuery("atf")).toBeNull();
    expect(typoQuery("20mg")).not.toBeNull();
    expect(typoQuery("12345")).toBeNull();
    expect(typoQuery("%%")).toBeNull();
  });

  it("agrees with the plain edit table for any query and name, short or long", () => {
    // The textbook table: row 0 all zeros (the stretch starts anywhere), min of the last row.
    const reference = (query: string, name: string) => {
      const q = [...query];
      const n = [...name];
      let prev = n.map(() => 0).concat(0);
      for (let i = 1; i <= q.length; i++) {
        const cur = [i];
        for (let j = 1; j <= n.length; j++) {
          cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (q[i - 1] === n[j - 1] ? 0 : 1));
        }
        prev = cur;
      }
      return Math.min(...prev);
    };
    // A small alphabet (with an astral character) so that matches and near-matches are common.
    const text = (maxLength: number) => fc.array(fc.constantFrom("a", "t", "o", "阿", "托", "伐", "𠮷"), { maxLength }).map((cs) => cs.join(""));
    fc.assert(
      fc.property(text(40), text(50), fc.integer({ min: 0, max: 6 }), (query, name, max) => {
        const exact = reference(query, name);
        expect(fragmentEditDistance(query, name)).toBe(exact);
        expect(fragmentEditDistance(query, name, max)).toBe(exact <= max ? exact : max + 1);
      }),
      { numRuns: 2000 },
    );
  });
});
