import { describe, expect, it } from "vitest";
import { getJson } from "../support/test-db";
import { useTestWorld } from "../support/world";

// 每月药费 on the real seeds: only drugs, only with a package size, units a day from the WHO DDD where listed.
describe("therapy cost on the real seeds", () => {
  const world = useTestWorld();

  async function productOf(q: string, pick: (p: any) => boolean): Promise<number> {
    const { body } = await getJson(world.app, `/api/v1/prices?q=${encodeURIComponent(q)}&include=ended&limit=100`);
    const price = body.data.find(pick);
    expect(price).toBeDefined();
    return price.product.id;
  }

  it("4+7 atorvastatin 20mg×7 at 6.6 a box: one DDD (20 mg) a day, 28.29 a month, the DDD named", async () => {
    const id = await productOf("阿托伐他汀", (p) => p.batch.id === "national-drug-1" && p.product.packageQty === 7);
    const { body } = await getJson(world.app, `/api/v1/products/${id}`);
    expect(body.data.therapy).toMatchObject({ monthlyCost: 28.29, unitsPerDay: 1, unitsPerDaySource: "ddd" });
    expect(body.data.therapy.note).toContain("C10AA05");
  });

  it("4+7 levetiracetam 250mg×30 at 72: DDD 1.5 g is 6 tablets a day, 432 a month; unitsPerDay=2 overrides it", async () => {
    const id = await productOf("左乙拉西坦", (p) => p.batch.id === "national-drug-1" && p.product.packageQty === 30);
    const ddd = await getJson(world.app, `/api/v1/products/${id}`);
    expect(ddd.body.data.therapy).toMatchObject({ monthlyCost: 432, unitsPerDay: 6, unitsPerDaySource: "ddd" });
    const given = await getJson(world.app, `/api/v1/products/${id}?unitsPerDay=2`);
    expect(given.body.data.therapy).toMatchObject({ monthlyCost: 144, unitsPerDay: 2, unitsPerDaySource: "given", note: null });
  });

  it("a drug with no listed DDD takes 1 a day and says so", async () => {
    const id = await productOf("氯吡格雷", (p) => p.batch.id === "national-drug-1" && p.product.packageQty !== null);
    const { body } = await getJson(world.app, `/api/v1/products/${id}`);
    expect(body.data.therapy).toMatchObject({ unitsPerDay: 1, unitsPerDaySource: "default" });
    expect(body.data.therapy.note).toContain("每日 1 个");
  });

  it("never for a device, never when the package size is unknown (batch 4 prices per smallest unit, no 转换比), and says why", async () => {
    const stent = await productOf("冠脉支架", () => true);
    const s = await getJson(world.app, `/api/v1/products/${stent}?unitsPerDay=1`);
    expect(s.body.data.therapy).toMatchObject({ monthlyCost: null, unitsPerDay: null, note: expect.stringContaining("医用耗材") });
    const eso = await productOf("埃索美拉唑", (p) => p.batch.id === "national-drug-4" && p.product.packageQty === null);
    const e = await getJson(world.app, `/api/v1/products/${eso}`);
    expect(e.body.data.therapy).toMatchObject({ monthlyCost: null, note: expect.stringContaining("转换比") });
  });
});
