import { beforeAll, describe, expect, it } from "vitest";
import { STATIN_PRICES_CSV } from "./fixtures";
import { call, importCsv, q } from "./support";

describe("product page data on D1 inside workerd", () => {
  beforeAll(async () => {
    expect((await importCsv("kind=prices", STATIN_PRICES_CSV)).status).toBe(200);
  });

  it("shows a product with its price history and the same drug from other firms", async () => {
    const search = await call(`/api/v1/prices?q=${q("阿托伐他汀钙片")}&manufacturer=${q("甲制药")}`);
    const hit = search.body.data.find((p: any) => p.product.spec === "20mg");
    expect(hit).toBeDefined();
    const { status, body } = await call(`/api/v1/products/${hit.product.id}`);
    expect(status).toBe(200);
    expect(body.data.product.genericName).toBe("阿托伐他汀钙片");
    expect(body.data.history.map((h: any) => h.batch.id)).toEqual(["national-drug-4"]);
    expect(body.data.history[0].unitPrice).toBe(0.8);
    const firms = body.data.alternatives.map((a: any) => a.product.manufacturer);
    expect(firms).toContain("乙药业股份有限公司");
    expect(firms).not.toContain("甲制药有限公司");
  });

  it("answers an unknown product with 404 in the contract's error shape", async () => {
    const { status, body } = await call(`/api/v1/products/999999`);
    expect(status).toBe(404);
    expect(body.error.code).toBe("not_found");
  });
});
