import { beforeAll, describe, expect, it } from "vitest";
import { call, importCsv } from "./support";

/*
 * Hand-checked on D1: a coronary stent 13000 → 700 (the piece is the unit), 10 bought in a city
 * whose fund pays 72.8 %: spend saved 12300 × 10 = 123000, fund saved 123000 × 0.728 = 89544.
 */
describe("savings on D1 inside workerd", () => {
  beforeAll(async () => {
    const regions = await importCsv("kind=regions", "code,name,parentCode,level,fundShare\n150399,测试市,15,city,72.8%");
    expect(regions.status, JSON.stringify(regions.body)).toBe(200);
    const volumes = await importCsv("kind=volumes", "批次,产品名称,地区,月份,采购量,采购金额\nnational-device-stent,冠脉支架,测试市,2022-03,10,7000");
    expect(volumes.status, JSON.stringify(volumes.body)).toBe(200);
  });

  it("gives the stent's savings and the fund share used, from the rollups the import maintained", async () => {
    const { status, body } = await call("/api/v1/savings?groupBy=batch&batch=national-device-stent");
    expect(status).toBe(200);
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ key: "national-device-stent", units: 10, amountPaid: 7000, spendSaved: 123000, fundSaved: 89544, fundSharePct: 72.8 });
  });

  it("rolls the city up into its province", async () => {
    const { body } = await call("/api/v1/savings?groupBy=region&batch=national-device-stent");
    const inner = body.data.find((g: any) => g.key === "15");
    expect(inner).toMatchObject({ units: 10, spendSaved: 123000, fundSaved: 89544 });
  });
});
