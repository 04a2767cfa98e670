import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { okJson, typedClient } from "../support/client";
import type { TestWorld } from "../support/test-db";
import { createSavingsWorld, importCsv } from "./world";

/*
 * Worlds whose answers are worked out by hand:
 * - a coronary stent 13000 → 700 (no package size: the piece is the unit), 10 bought in 乌海市
 *   (fund share 72.8 %): spend saved 12300 × 10 = 123000, fund saved 123000 × 0.728 = 89544;
 * - atorvastatin 156.8 → 3.6 per box of 7: 10 boxes (70 tablets) in 乌海市 with a 69 % override save
 *   153.2 × 10 = 1532 and 1532 × 0.69 = 1057.08 of fund; 3 loose tablets in 大同市 (no fund share on it
 *   or 山西省) save 153.2 × 3 / 7 = 65.657… → 65.66, all of it without a fund share.
 */
let world: TestWorld;
let api: ReturnType<typeof typedClient>["api"]["v1"];

beforeAll(async () => {
  world = await createSavingsWorld();
  api = typedClient(world.app).api.v1;
  const stent = await importCsv(world, "volumes", "批次,产品名称,地区,月份,采购量,采购金额\nnational-device-stent,冠脉支架,乌海市,2022-03,10,7000\n");
  expect(stent.status).toBe(200);
  const drug = await importCsv(
    world,
    "volumes",
    "批次,医保编码,地区,月份,采购量,数量单位,基金支付比例\ntest-drug,XA01TEST0001,150300,2022-04,10,包装,69%\ntest-drug,XA01TEST0001,大同市,2022-04,3,最小使用单位,\n",
  );
  expect(drug.body.errors).toEqual([]);
});

afterAll(() => world?.close());

const byKey = <G extends { key: string }>(body: { data: G[] }): Record<string, G> => Object.fromEntries(body.data.map((g) => [g.key, g]));

describe("GET /api/v1/savings", () => {
  it("gives the stent's hand-checked savings: 123000 spent less, 89544 of fund at 72.8 %", async () => {
    const body = await okJson(api.savings.$get({ query: { groupBy: "batch", batch: "national-device-stent" } }));
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({
      key: "national-device-stent",
      units: 10,
      amountPaid: 7000,
      spendSaved: 123000,
      fundSaved: 89544,
      fundSharePct: 72.8,
      spendSavedWithoutFundShare: 0,
    });
    expect(body.meta.totals).toMatchObject({ spendSaved: 123000, fundSaved: 89544 });
  });

  it("uses a row's fund share override and counts loose tablets exactly", async () => {
    const body = await okJson(api.savings.$get({ query: { batch: "test-drug" } }));
    expect(body.data[0]).toMatchObject({
      units: 73,
      spendSaved: 1597.66,
      fundSaved: 1057.08,
      fundSharePct: 69,
      spendSavedWithoutFundShare: 65.66,
    });
  });

  it("rolls regions up the tree: a province includes its cities, totals in meta", async () => {
    const body = await okJson(api.savings.$get({ query: { groupBy: "region" } }));
    const groups = byKey(body);
    expect(Object.keys(groups)).toEqual(["14", "15"]);
    expect(groups["15"]).toMatchObject({ label: "内蒙古自治区", units: 80, spendSaved: 124532, fundSaved: 90601.08 });
    expect(groups["14"]).toMatchObject({ label: "山西省", spendSaved: 65.66, fundSaved: 0, fundSharePct: null });
    expect(body.meta.totals).toMatchObject({ units: 83, spendSaved: 124597.66, fundSaved: 90601.08, volumeRows: 3 });

    const inner = await okJson(api.savings.$get({ query: { groupBy: "region", region: "内蒙古自治区" } }));
    expect(inner.meta.filters.region).toEqual({ code: "15", name: "内蒙古自治区", includesChildren: true });
    expect(inner.data.map((g) => [g.key, g.spendSaved])).toEqual([["150300", 124532]]);
  });

  it("groups by month and category and filters by month range", async () => {
    const months = await okJson(api.savings.$get({ query: { groupBy: "month" } }));
    expect(months.data.map((g) => [g.key, g.spendSaved])).toEqual([
      ["2022-03", 123000],
      ["2022-04", 1597.66],
    ]);
    const categories = byKey(await okJson(api.savings.$get({ query: { groupBy: "category" } })));
    expect(categories.device).toMatchObject({ label: "医用耗材", spendSaved: 123000 });
    expect(categories.drug).toMatchObject({ label: "药品", spendSaved: 1597.66 });
    const april = await okJson(api.savings.$get({ query: { groupBy: "batch", from: "2022-04", to: "2022-04" } }));
    expect(april.meta.totals.spendSaved).toBe(1597.66);
    expect(april.data.find((g) => g.key === "national-device-stent")?.spendSaved ?? 0).toBe(0);
  });

  it("projects the agreed volume's savings, with the region's fund share when a region is chosen", async () => {
    // atorvastatin supplies only 乌海市: 1000 tablets × 153.2 / 7 = 21885.71; × 72.8 % = 15932.80.
    const body = await okJson(api.savings.$get({ query: { region: "150300", batch: "test-drug" } }));
    expect(body.meta.totals.projected).toEqual({ agreedUnits: 1000, spendSaved: 21885.71, fundSaved: 15932.8, fundSharePct: 72.8 });
    const national = await okJson(api.savings.$get({ query: { batch: "test-drug" } }));
    // Without a region both drugs with agreed volumes count: + 2800 × 26.6 / 14 = 5320.
    expect(national.meta.totals.projected).toMatchObject({ agreedUnits: 3800, spendSaved: 27205.71, fundSaved: null });
  });

  it("re-importing a changed row replaces it in the rollups instead of adding to them", async () => {
    const again = await importCsv(world, "volumes", "批次,产品名称,地区,月份,采购量,采购金额\nnational-device-stent,冠脉支架,乌海市,2022-03,10,7000\n");
    expect(again.status).toBe(200);
    expect((await okJson(api.savings.$get({ query: { batch: "national-device-stent" } }))).meta.totals.spendSaved).toBe(123000);
    await importCsv(world, "volumes", "批次,产品名称,地区,月份,采购量,采购金额\nnational-device-stent,冠脉支架,乌海市,2022-03,12,8400\n");
    const after = await okJson(api.savings.$get({ query: { batch: "national-device-stent" } }));
    expect(after.meta.totals).toMatchObject({ units: 12, amountPaid: 8400, spendSaved: 147600, fundSaved: 107452.8 });
    await importCsv(world, "volumes", "批次,产品名称,地区,月份,采购量,采购金额\nnational-device-stent,冠脉支架,乌海市,2022-03,10,7000\n");
  });
});

describe("GET /api/v1/progress", () => {
  it("reports completion, what remains and who is behind a straight-line schedule", async () => {
    // Cycle 2022-01-01 … 2022-12-31 (365 days); on 2022-07-01, 181 days have passed: 1000 × 181 / 365 = 495.89 expected.
    const body = await okJson(api.progress.$get({ query: { batch: "test-drug", asOf: "2022-07-01" } }));
    const atorvastatin = body.data.find((p) => p.product.genericName === "阿托伐他汀钙片");
    expect(atorvastatin).toMatchObject({
      agreedVolume: 1000,
      purchased: 73,
      completionPct: 7.3,
      remaining: 927,
      daysLeft: 184,
      expectedByNow: 495.89,
      behindSchedule: true,
    });
    expect(body.meta.total).toBe(2);
  });

  it("counts only a region's own purchases with a region filter and is on schedule early in the cycle", async () => {
    const body = await okJson(api.progress.$get({ query: { batch: "test-drug", region: "150300", asOf: "2022-01-10" } }));
    const atorvastatin = body.data.find((p) => p.product.genericName === "阿托伐他汀钙片");
    // 9 of 365 days: 24.66 expected, 70 bought in 乌海市.
    expect(atorvastatin).toMatchObject({ purchased: 70, expectedByNow: 24.66, behindSchedule: false, daysLeft: 356 });
  });

  it("pages with a cursor", async () => {
    const first = await okJson(api.progress.$get({ query: { batch: "test-drug", limit: "1", asOf: "2022-07-01" } }));
    expect(first.data).toHaveLength(1);
    expect(first.meta.nextCursor).toBeTruthy();
    const second = await okJson(api.progress.$get({ query: { batch: "test-drug", limit: "1", asOf: "2022-07-01", cursor: first.meta.nextCursor! } }));
    expect(second.data[0]!.priceId).not.toBe(first.data[0]!.priceId);
    expect(second.meta.nextCursor).toBeNull();
  });
});
