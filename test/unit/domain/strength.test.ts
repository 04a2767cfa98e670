import { describe, expect, it } from "vitest";
import { containsStrength, isStrength, joinAmounts, normalizeStrength, sameStrength, strengthAmounts, strengthSpellings } from "../../../src/domain/strength";

describe("normalizeStrength", () => {
  it("drops spaces and case, folds full-width text", () => {
    expect(normalizeStrength("10 mg")).toBe("10mg");
    expect(normalizeStrength("10MG")).toBe("10mg");
    expect(normalizeStrength("１０ｍｇ")).toBe("10mg");
  });
  it("turns masses into mg, volumes into ml, exactly", () => {
    expect(normalizeStrength("0.5g")).toBe("500mg");
    expect(normalizeStrength("0.1g")).toBe("100mg");
    expect(normalizeStrength("250μg")).toBe("0.25mg");
    expect(normalizeStrength("1g:5ml")).toBe("1000mg:5ml");
    expect(normalizeStrength("1g：5ml")).toBe("1000mg:5ml");
    expect(normalizeStrength("0.5L")).toBe("500ml");
    expect(normalizeStrength("40万单位")).toBe("400000iu");
  });
  it("says which strengths are the same", () => {
    expect(sameStrength("10 mg", "10mg")).toBe(true);
    expect(sameStrength("0.5g", "500mg")).toBe(true);
    expect(sameStrength("0.5g", "50mg")).toBe(false);
    expect(sameStrength("1g:5ml", "1000mg:5ml")).toBe(true);
  });
  it("gives a solution's amounts the same whichever way round a file prints them", () => {
    // The 4+7 sheet prints 50mg/5ml, its expansion 5ml:50mg, for the same ampoule of 氟比洛芬酯.
    expect(strengthAmounts("5ml:50mg")).toEqual(strengthAmounts("50mg/5ml"));
    expect(strengthAmounts("2ml:0.2mg")).toEqual(["0.2mg", "2ml"]);
    expect(strengthAmounts("(150mg+12.5mg)")).toEqual(strengthAmounts("150mg+12.5mg"));
    expect(strengthAmounts("10mg")).not.toEqual(strengthAmounts("20mg"));
    expect(strengthAmounts(null)).toEqual([]);
  });
  it("keeps text without an amount (a device model) as folded text, and null as null", () => {
    expect(normalizeStrength("3.0×18mm")).toBe("3.0×18mm");
    expect(normalizeStrength(null)).toBeNull();
  });
  it("joins a number to its unit in typed text", () => {
    expect(joinAmounts("阿托伐 10 mg")).toBe("阿托伐 10mg");
    expect(joinAmounts("头孢 0.5 g 注射")).toBe("头孢 0.5g 注射");
  });
});

describe("a typed strength against stored text", () => {
  it("tells a strength from other words", () => {
    for (const w of ["10mg", "10 mg", "0.5g", "1g:5ml", "40万单位", "250μg"]) expect(isStrength(w), w).toBe(true);
    for (const w of ["片剂", "atorvastatin", "20mg*7", "3.0×18mm", "18aa", "10"]) expect(isStrength(w), w).toBe(false);
  });
  it("spells the first amount every way a file may print it", () => {
    expect(strengthSpellings("0.5g")).toEqual(expect.arrayContaining(["500mg", "0.5g", "500000μg", "500毫克", "0.5克"]));
    expect(strengthSpellings("1g:5ml")).toContain("1000mg");
    expect(strengthSpellings("40万单位")).toEqual(expect.arrayContaining(["400000iu", "40万单位", "40万u"]));
    expect(strengthSpellings("片剂")).toEqual([]);
  });
  it("finds whole amounts only, however they are spelt", () => {
    expect(containsStrength("10mg 口服常释片剂 10mg*28", "10 mg")).toBe(true);
    expect(containsStrength("500mg 注射剂", "0.5g")).toBe(true);
    expect(containsStrength("0.5g 注射剂", "500mg")).toBe(true);
    expect(containsStrength("1g:5ml 注射液", "1000mg:5ml")).toBe(true);
    expect(containsStrength("1g：5ml", "5ml")).toBe(true);
    expect(containsStrength("110mg 片剂", "10mg")).toBe(false);
    expect(containsStrength("10.5mg 片剂", "10mg")).toBe(false);
    expect(containsStrength("0.25g 片剂", "0.5g")).toBe(false);
  });
});
