import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport } from "../../src/services/imports";
import { okJson, typedClient } from "../support/client";
import { createTestWorld, type TestWorld } from "../support/test-db";

/**
 * Strength as files print it and pharmacists type it (issue 15): 10 mg = 10mg, 0.02g = 20mg,
 * 1g:5ml = 1000mg:5ml. Search words, the product page's alternatives and the price check compare
 * strengths once normalised (src/domain/strength.ts), never as raw text.
 */
const csv = (text: string) => new TextEncoder().encode(text);

const BATCHES = `id,name,level,category,announced,source
st,测试批次（规格）,provincial,drug,2024-01,fixture
`;
// One name and form from five firms, the same 20 mg written three ways, plus 40 mg and an injection.
const PRICES = `batch,genericName,dosageForm,spec,packageQty,manufacturer,chosenPrice,source
st,测试洛尔片,片剂,20mg,10,甲药业,10,fixture
st,测试洛尔片,片剂,20 MG,10,乙药业,8,fixture
st,测试洛尔片,片剂,0.02g,10,丙药业,9,fixture
st,测试洛尔片,片剂,40mg,10,丁药业,5,fixture
st,测试洛尔片,片剂,120mg,10,戊药业,4,fixture
st,测试洛尔注射液,注射剂,1g:5ml,1,己药业,30,fixture
st,测试洛尔注射液,注射剂,1000mg:5ml,1,庚药业,25,fixture
st,测试洛尔注射液,注射剂,0.5g:5ml,1,辛药业,20,fixture
`;

let world: TestWorld;
beforeAll(async () => {
  world = await createTestWorld({ seed: false });
  for (const [kind, text] of [
    ["batches", BATCHES],
    ["prices", PRICES],
  ] as const) {
    const report = await runImport(world.db, { kind, bytes: csv(text) });
    expect(report.errors).toEqual([]);
  }
});
afterAll(() => world.close());

const api = () => typedClient(world.app).api.v1;
async function firms(q: string): Promise<Array<string | null>> {
  const body = await okJson(api().prices.$get({ query: { q, limit: "50" } }));
  expect(body.meta.total, q).toBe(body.data.length);
  return body.data.map((d) => d.product.manufacturer).sort();
}

describe("a strength typed as a search word", () => {
  it("10 mg, 20MG and 0.02g find every spelling of the same amount, and nothing that merely contains its digits", async () => {
    const twenty = ["甲药业", "乙药业", "丙药业"].sort();
    expect(await firms("测试洛尔 20mg")).toEqual(twenty);
    expect(await firms("测试洛尔 20 mg")).toEqual(twenty);
    expect(await firms("测试洛尔 0.02g")).toEqual(twenty);
    expect(await firms("测试洛尔 20000μg")).toEqual(twenty);
    // 120mg holds "20mg" as text; it is another strength.
    expect(await firms("测试洛尔 120mg")).toEqual(["戊药业"]);
    expect(await firms("测试洛尔 1g:5ml")).toEqual(["己药业", "庚药业"].sort());
    expect(await firms("测试洛尔 5ml")).toEqual(["己药业", "庚药业", "辛药业"].sort());
  });
});

describe("alternatives group by name, form and normalised strength", () => {
  const alternatives = async (firm: string) => {
    const list = await okJson(api().prices.$get({ query: { q: "测试洛尔", limit: "50" } }));
    const item = list.data.find((d) => d.product.manufacturer === firm)!;
    const body = await okJson(api().products[":id"].$get({ param: { id: String(item.product.id) }, query: {} }));
    return body.data.alternatives.map((a) => [a.product.manufacturer, a.product.spec, a.product.strengthNormalized]);
  };

  it("a 20mg product's alternatives are the other 20 mg and 0.02g products, cheapest first, never 40mg or 120mg", async () => {
    expect(await alternatives("甲药业")).toEqual([
      ["乙药业", "20 MG", "20mg"],
      ["丙药业", "0.02g", "20mg"],
    ]);
  });

  it("1g:5ml and 1000mg:5ml are one strength; 0.5g:5ml is another", async () => {
    expect(await alternatives("己药业")).toEqual([["庚药业", "1000mg:5ml", "1000mg:5ml"]]);
    expect(await alternatives("辛药业")).toEqual([]);
  });
});

describe("price check", () => {
  it("matches a purchase line whose strength is spelt otherwise, and offers the cheapest same strength, never a cheaper other one", async () => {
    const list = "通用名,剂型,规格,转换比,生产企业,进价,数量\n测试洛尔片,片剂,0.02 g,10,甲药业,12,100\n测试洛尔片,片剂,20 mg,10,壬药业,12,100\n";
    const res = await world.app.request("/api/v1/price-check", { method: "POST", headers: { "content-type": "text/csv" }, body: list });
    expect(res.status).toBe(200);
    const lines = (await res.json()).data;
    const byRow = (firm: string) => lines.find((l: { input: { manufacturer: string } }) => l.input.manufacturer === firm);
    expect(byRow("甲药业")).toMatchObject({ class: "above_chosen_price", chosen: { product: { manufacturer: "甲药业", spec: "20mg" } } });
    // 40mg (0.50/片) and 120mg (0.40/片) are cheaper per tablet but another strength: 乙药业's 20 MG (0.80/片) is offered.
    expect(byRow("壬药业")).toMatchObject({ class: "alternative_available", alternative: { product: { manufacturer: "乙药业" } } });
  });
});
