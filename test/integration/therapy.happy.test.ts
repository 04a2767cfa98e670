import type { InferResponseType } from "hono/client";
import { describe, expect, it } from "vitest";
import { okJson } from "../support/client";
import { type Api, apiClients, useTestWorld } from "../support/world";

type Price = InferResponseType<Api["prices"]["$get"], 200>["data"][number];

// 每月药费 on the real seeds: only drugs, only with a package size, units a day from the WHO DDD where listed.
describe("therapy cost on the real seeds", () => {
  const world = useTestWorld();
  const { api } = apiClients(world);
  const product = async (id: number, unitsPerDay?: string) =>
    (await okJson(api.products[":id"].$get({ param: { id: String(id) }, query: unitsPerDay === undefined ? {} : { unitsPerDay } }))).data;

  async function productOf(q: string, pick: (p: Price) => boolean): Promise<number> {
    const body = await okJson(api.prices.$get({ query: { q, include: "ended", limit: "100" } }));
    const price = body.data.find(pick);
    if (!price) throw new Error(`no price of ${q} as picked`);
    return price.product.id;
  }

  it("4+7 atorvastatin 20mg×7 at 6.6 a box: one DDD (20 mg) a day, 28.29 a month, the DDD named", async () => {
    const id = await productOf("阿托伐他汀", (p) => p.batch.id === "national-drug-1" && p.product.packageQty === 7);
    const { therapy } = await product(id);
    expect(therapy).toMatchObject({ monthlyCost: 28.29, unitsPerDay: 1, unitsPerDaySource: "ddd" });
    expect(therapy?.note).toContain("C10AA05");
  });

  it("4+7 levetiracetam 250mg×30 at 72: DDD 1.5 g is 6 tablets a day, 432 a month; unitsPerDay=2 overrides it", async () => {
    const id = await productOf("左乙拉西坦", (p) => p.batch.id === "national-drug-1" && p.product.packageQty === 30);
    const ddd = await product(id);
    expect(ddd.therapy).toMatchObject({ monthlyCost: 432, unitsPerDay: 6, unitsPerDaySource: "ddd" });
    const given = await product(id, "2");
    expect(given.therapy).toMatchObject({ monthlyCost: 144, unitsPerDay: 2, unitsPerDaySource: "given", note: null });
  });

  it("a drug with no listed DDD takes 1 a day and says so", async () => {
    const id = await productOf("氯吡格雷", (p) => p.batch.id === "national-drug-1" && p.product.packageQty !== null);
    const { therapy } = await product(id);
    expect(therapy).toMatchObject({ unitsPerDay: 1, unitsPerDaySource: "default" });
    expect(therapy?.note).toContain("每日 1 个");
  });

  it("never for a device, never when the package size is unknown (batch 4 prices per smallest unit, no 转换比), and says why", async () => {
    const stent = await productOf("冠脉支架", () => true);
    const s = await product(stent, "1");
    expect(s.therapy).toMatchObject({ monthlyCost: null, unitsPerDay: null, note: expect.stringContaining("医用耗材") });
    const eso = await productOf("埃索美拉唑", (p) => p.batch.id === "national-drug-4" && p.product.packageQty === null);
    const e = await product(eso);
    expect(e.therapy).toMatchObject({ monthlyCost: null, note: expect.stringContaining("转换比") });
  });
});
