import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport } from "../../src/services/imports";
import { okJson, typedClient } from "../support/client";
import { createTestWorld, type TestWorld } from "../support/test-db";

const csv = (text: string) => new TextEncoder().encode(text);

const BATCHES = `id,name,level,category,announced,cycleStart,cycleEnd,source
t-2019,测试批次2019,provincial,drug,2019-06,2019-07-01,2020-06-30,test fixture
t-2021,测试批次2021,provincial,drug,2021-06,2021-07-01,2023-06-30,test fixture
`;

// One product (same code) renewed at a lower price, and two firms' equivalents.
const PRICES = `batch,genericName,dosageForm,spec,packageQty,packageUnit,smallestUnit,manufacturer,nhsaCode,chosenPrice,referencePrice,referenceKind,source
t-2019,测试沙坦片,片剂,80mg,7,盒,片,甲药业,TST0001,14,28,ceiling,fixture
t-2021,测试沙坦片,片剂,80mg,7,盒,片,甲药业,TST0001,10.5,28,ceiling,fixture
t-2021,测试沙坦片,片剂,80mg,14,盒,片,乙药业,TST0002,7,40,ceiling,fixture
t-2021,测试沙坦片,片剂,160mg,7,盒,片,丙药业,TST0003,3,40,ceiling,fixture
`;

describe("GET /api/v1/products/{id}", () => {
  let world: TestWorld;
  let productId: number;
  let api: ReturnType<typeof typedClient>["api"]["v1"];
  const product = () => okJson(api.products[":id"].$get({ param: { id: String(productId) }, query: { include: "ended" } }));
  beforeAll(async () => {
    world = await createTestWorld({ seed: false });
    api = typedClient(world.app).api.v1;
    for (const [kind, text] of [
      ["batches", BATCHES],
      ["prices", PRICES],
    ] as const) {
      const report = await runImport(world.db, { kind, bytes: csv(text) });
      expect(report.errors).toEqual([]);
    }
    const body = await okJson(api.prices.$get({ query: { manufacturer: "甲药业", include: "ended" } }));
    productId = body.data[0]!.product.id;
  });
  afterAll(() => world.close());

  it("lists the price history oldest first with the change between renewals", async () => {
    const body = await product();
    expect(body.data.product.nhsaCode).toBe("TST0001");
    expect(body.data.history.map((h) => [h.batch.id, h.chosenPrice])).toEqual([
      ["t-2019", 14],
      ["t-2021", 10.5],
    ]);
    expect(body.data.history[0]!.changeFromPrevious).toBeNull();
    expect(body.data.history[1]!.changeFromPrevious).toEqual({ chosenPrice: -3.5, pct: -25 });
  });

  it("offers the same name, form and strength from other firms, with the saving per unit", async () => {
    const body = await product();
    const alternatives = body.data.alternatives;
    // 乙药业: 7 yuan for 14 tablets = 0.5/片, against 10.5/7 = 1.5/片 → saves 1.0 per tablet.
    expect(alternatives.map((a) => a.product.manufacturer)).toEqual(["乙药业"]);
    expect(alternatives[0]!.unitPrice).toBe(0.5);
    expect(alternatives[0]!.savingPerUnit).toBe(1);
  });
});
