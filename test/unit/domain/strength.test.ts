import { describe, expect, it } from "vitest";
import { joinAmounts, normalizeStrength, sameStrength } from "../../../src/domain/strength";

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
  it("keeps text without an amount (a device model) as folded text, and null as null", () => {
    expect(normalizeStrength("3.0×18mm")).toBe("3.0×18mm");
    expect(normalizeStrength(null)).toBeNull();
  });
  it("joins a number to its unit in typed text", () => {
    expect(joinAmounts("阿托伐 10 mg")).toBe("阿托伐 10mg");
    expect(joinAmounts("头孢 0.5 g 注射")).toBe("头孢 0.5g 注射");
  });
});
