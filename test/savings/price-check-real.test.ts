import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestWorld, type TestWorld } from "../support/test-db";

/*
 * A hospital in 广东省 checks its list against the real national results the tracker ships with
 * (seeds/prices-national.csv). The list names drugs as the boxes and the hospital's system do
 * (阿托伐他汀钙片, 片剂, the firm's full name); the national tables publish 阿托伐他汀, 口服常释剂型 and,
 * for the 4+7 pilot, the firm's short name (北京嘉林). Every line must still find its chosen price.
 */
const LIST = `通用名,剂型,规格,包装,生产企业,进价,数量
阿托伐他汀钙片,片剂,20mg,7片/盒,辉瑞制药有限公司,38.5,200
阿托伐他汀钙片,片剂,20mg,7片/盒,北京嘉林药业股份有限公司,6.60,120
苯磺酸氨氯地平片,片剂,5mg,28片/盒,辉瑞制药有限公司,60,80
左乙拉西坦片,片剂,0.25g,30片/盒,优时比（珠海）制药有限公司,150,10
左乙拉西坦注射液,注射剂,5ml:0.5g,1支/盒,优时比（珠海）制药有限公司,90,10
`;

describe("比价 of a hospital list written as hospitals write it, on the real national results", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(() => world.close());

  it("finds each line's chosen price or chosen alternative in the province", async () => {
    // UTF-8 here; price-check.test.ts reads the same kind of list saved as GB18030
    const res = await world.app.request("/api/v1/price-check?province=广东省", { method: "POST", headers: { "content-type": "text/csv" }, body: LIST });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: any[] };
    const byRow = new Map(data.map((l) => [l.row, l]));
    // 嘉林's own box at the 4+7 price (6.60 a box of 7 = 0.9429 a tablet): matched by name, strength and firm
    expect(byRow.get(3)).toMatchObject({
      class: "at_chosen_price",
      matchedBy: "nameSpecManufacturer",
      chosen: { product: { genericName: "阿托伐他汀", manufacturer: "北京嘉林" }, unitPrice: 0.9429 },
    });
    // Pfizer's box is not chosen: 嘉林's is, and switching 1,400 tablets at 5.50 → 0.942857… saves 6,380.00
    expect(byRow.get(2)).toMatchObject({
      class: "alternative_available",
      alternative: { product: { genericName: "阿托伐他汀", manufacturer: "北京嘉林" } },
      savingIfSwitched: 6380,
    });
    expect(byRow.get(4)).toMatchObject({ class: "alternative_available", alternative: { product: { genericName: "苯磺酸氨氯地平", spec: "5mg" } } });
    // 0.25g is the tables' 250mg; a tablet line is offered tablets, not the injection of the same name
    expect(byRow.get(5)).toMatchObject({ class: "alternative_available", alternative: { product: { genericName: "左乙拉西坦", spec: "250mg" } } });
    expect(byRow.get(5).alternative.product.dosageForm).not.toContain("注射");
    // 注射液 is not the chosen 注射用浓溶液 (another form, another name): no equivalent is offered
    expect(byRow.get(6)).toMatchObject({ class: "no_equivalent", chosen: null, alternative: null });
  });
});
