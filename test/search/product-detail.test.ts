import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sameStrength } from "../../src/domain/strength";
import { errorJson, okJson, typedClient } from "../support/client";
import type { TestWorld } from "../support/test-db";
import { createSearchWorld } from "./search-world";

let world: TestWorld;
beforeAll(async () => {
  world = await createSearchWorld();
});
afterAll(() => world.close());

const productOf = (id: number | string, query: { include?: "ended" } = {}) =>
  typedClient(world.app).api.v1.products[":id"].$get({ param: { id: String(id) }, query });
const product = async (id: number, query: { include?: "ended" } = {}) => (await okJson(productOf(id, query))).data;

const productId = async (nhsaCode: string) => (await world.db.all<{ id: number }>(sql`SELECT id FROM products WHERE nhsa_code = ${nhsaCode}`))[0]!.id;

describe("GET /api/v1/products/{id}", () => {
  it("lists the price history oldest first with the change between consecutive prices", async () => {
    const id = await productId("XC10AAA052A001010100001");
    const data = await product(id);
    expect(data.product.manufacturer).toBe("北京嘉林药业股份有限公司");
    expect(data.history.map((h) => [h.batch.id, h.chosenPrice, h.changeFromPrevious])).toEqual([
      ["fx-past", 0.7, null],
      ["fx-current", 1.4, { chosenPrice: 0.7, pct: 100 }],
    ]);
  });

  it("offers the same name, form and strength from other firms, cheapest unit price first, with the saving per unit", async () => {
    const id = await productId("XC10AAA052A001010100001");
    const data = await product(id);
    // 20mg tablets only: 齐鲁 at 2.10 per 14 (0.15/片) against this product's current 1.40 per 7 (0.20/片).
    expect(data.alternatives.map((a) => [a.product.manufacturer, a.unitPrice, a.savingPerUnit])).toEqual([["齐鲁制药有限公司", 0.15, 0.05]]);
  });

  it("a falling price shows a negative change", async () => {
    const id = await productId("XC10AAA078A001010100005");
    const data = await product(id);
    expect(data.history.map((h) => h.changeFromPrevious)).toEqual([null, { chosenPrice: -1.4, pct: -33.33 }]);
  });

  it("answers 404 for an unknown product and 400 for a bad id", async () => {
    expect((await errorJson(productOf(999999))).status).toBe(404);
    expect((await errorJson(productOf("abc"))).status).toBe(400);
  });

  it("alternatives are the other products' prices of the same name, form and normalised strength, in the order plain SQL gives", async () => {
    const all = await world.db.all<{ id: number; name: string; form: string | null; spec: string | null }>(
      sql`SELECT id, generic_name AS name, dosage_form AS form, spec FROM products`,
    );
    let withAlternatives = 0;
    for (const p of all) {
      const same = all.filter((o) => o.name === p.name && o.form === p.form && sameStrength(o.spec, p.spec) && o.id !== p.id).map((o) => o.id);
      const expected = await world.db.all<{ id: number }>(sql`SELECT p.id AS id FROM prices p
        WHERE p.product_id IN (SELECT value FROM json_each(${JSON.stringify(same)}))
        ORDER BY p.unit_price_e4, p.id LIMIT 20`);
      const data = await product(p.id, { include: "ended" });
      expect(
        data.alternatives.map((a) => a.id),
        `product ${p.id}`,
      ).toEqual(expected.map((r) => r.id));
      if (expected.length) withAlternatives++;
    }
    expect(withAlternatives).toBeGreaterThan(1);
  });

  it("a product whose spec changes to another's becomes its alternative, cheapest first", async () => {
    const id = await productId("XC10AAA052A001010100001");
    const other = await productId("XC10AAA052A001010300003"); // 华海 10mg, 28 per box
    await world.db.run(sql`UPDATE products SET spec = '20mg' WHERE id = ${other}`);
    const data = await product(id);
    const rows = data.alternatives.map((a) => [a.product.manufacturer, a.unitPrice] as const);
    expect(rows.map((r) => r[0]).sort()).toEqual(["浙江华海药业股份有限公司", "齐鲁制药有限公司"]);
    expect(rows.map((r) => r[1])).toEqual([...rows.map((r) => r[1])].sort((a, b) => (a ?? 0) - (b ?? 0)));
  });
});
