import { describe, expect, it } from "vitest";
import { dddUnitsPerDay } from "../../../src/domain/ddd.js";
import { therapyCost } from "../../../src/domain/therapy.js";

describe("defined daily dose (WHO ATC/DDD, oral)", () => {
  it("is the DDD divided by the strength in smallest units a day", () => {
    expect(dddUnitsPerDay({ genericName: "阿托伐他汀钙片", dosageForm: "片剂", spec: "10mg" })).toMatchObject({
      name: "阿托伐他汀",
      atc: "C10AA05",
      mg: 20,
      unitsPerDay: 2,
    });
    expect(dddUnitsPerDay({ genericName: "阿托伐他汀", dosageForm: "口服常释片剂", spec: "20 mg" })?.unitsPerDay).toBe(1);
    expect(dddUnitsPerDay({ genericName: "埃索美拉唑（艾司奥美拉唑）", dosageForm: "口服常释剂型", spec: "20mg" })?.unitsPerDay).toBe(1.5);
    expect(dddUnitsPerDay({ genericName: "左乙拉西坦片", dosageForm: null, spec: "0.5g" })?.unitsPerDay).toBe(3);
  });

  it("is none for a combination, another route, a strength that is not one amount in mg, or an unlisted substance", () => {
    expect(dddUnitsPerDay({ genericName: "氨氯地平阿托伐他汀钙片", dosageForm: "片剂", spec: "5mg" })).toBeNull();
    expect(dddUnitsPerDay({ genericName: "左乙拉西坦注射用浓溶液", dosageForm: "", spec: "5ml:500mg" })).toBeNull();
    expect(dddUnitsPerDay({ genericName: "左乙拉西坦", dosageForm: "注射剂", spec: "500mg" })).toBeNull();
    expect(dddUnitsPerDay({ genericName: "阿托伐他汀钙片", dosageForm: "片剂", spec: null })).toBeNull();
    expect(dddUnitsPerDay({ genericName: "利培酮片", dosageForm: "片剂", spec: "1mg" })).toBeNull();
  });

  it("names the DDD it used in the therapy note", () => {
    const ddd = dddUnitsPerDay({ genericName: "阿托伐他汀钙片", dosageForm: "片剂", spec: "10mg" })!;
    const cost = therapyCost({ category: "drug", chosenPriceE4: 36000n, packageQty: 7, dddUnitsPerDay: ddd.unitsPerDay, ddd });
    // 3.6 per box of 7 × 2 a day × 30 = 30.857… → 30.86
    expect(cost).toMatchObject({ monthlyCost: 30.86, unitsPerDay: 2, unitsPerDaySource: "ddd" });
    expect(cost.note).toContain("C10AA05");
  });
});
