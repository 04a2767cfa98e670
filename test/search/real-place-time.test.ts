import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { okJson } from "../support/client";
import { type Api, apiClients, useTestWorld } from "../support/world";

/**
 * `q=阿托伐他汀&province=浙江&asOf=…` on the real national results (seeds/prices-national.csv): only
 * prices a hospital in 浙江 can buy (supplied to 浙江 or nationwide) and in force on that day (or of
 * unknown cycle). The workbook publishes the supply provinces of the 4+7 expansion (联盟地区) but no
 * procurement cycle, so this test gives that batch a cycle of its own, 2019-12 to 2020-12; the
 * prices and their supply regions are the workbook's.
 */
const world = useTestWorld();
beforeAll(async () => {
  await world.db.run(sql`UPDATE batches SET cycle_start = '2019-12', cycle_end = '2020-12' WHERE id = 'national-drug-1-expansion'`);
});

const { api } = apiClients(world);
type PricesQuery = Parameters<Api["prices"]["$get"]>[0]["query"];
const Q = { q: "阿托伐他汀" };
const ZJ = { province: "浙江" };

async function items(query: PricesQuery) {
  const body = await okJson(api.prices.$get({ query: { ...query, limit: "200" } }));
  expect(body.meta.total, JSON.stringify(query)).toBe(body.data.length);
  return body.data;
}
type Item = Awaited<ReturnType<typeof items>>[number];
/** Ranked by relevance and sorted by unit price: one filter, the same prices. */
async function bothPaths(query: PricesQuery): Promise<Item[]> {
  const qs = JSON.stringify(query);
  const ranked = await items({ ...Q, ...query });
  const sorted = await items({ ...Q, sort: "unitPrice", ...query });
  const ids = (xs: Item[]) => xs.map((x) => `${x.batch.id} ${x.product.manufacturer} ${x.unitPrice}`).sort();
  expect(ids(sorted), qs).toEqual(ids(ranked));
  return ranked;
}
const firms = (xs: Item[]) => xs.map((x) => x.product.manufacturer);
const suppliesZhejiang = (x: Item) => x.supplyRegions.length === 0 || x.supplyRegions.some((r) => r.code.startsWith("33"));

describe("阿托伐他汀 for a hospital in 浙江, on the real seeds", () => {
  it("in the cycle: only prices supplied to 浙江 or nationwide, in force or of unknown cycle", async () => {
    const everywhere = await bothPaths({ asOf: "2020-06-01" });
    const zhejiang = await bothPaths({ asOf: "2020-06-01", ...ZJ });
    expect(zhejiang.length).toBeGreaterThan(0);
    expect(zhejiang.length).toBeLessThan(everywhere.length);
    for (const x of zhejiang) {
      expect(suppliesZhejiang(x), `${x.product.manufacturer} supplies ${x.supplyRegions.map((r) => r.name)}`).toBe(true);
      expect(["in_force", "unknown"]).toContain(x.state);
    }
    // The expansion's winner for 浙江 (齐鲁, 0.12/片) is in force; 兴安 (河南 …) and 乐普 (江苏 …) supply elsewhere;
    // the 大同市 price of the seed article (山西) is no price for 浙江.
    const qilu = zhejiang.find((x) => x.product.manufacturer === "齐鲁制药（海南）有限公司");
    expect(qilu).toMatchObject({ state: "in_force", batch: { id: "national-drug-1-expansion" }, unitPrice: 0.12 });
    expect(qilu?.supplyRegions.map((r) => r.name)).toContain("浙江省");
    expect(firms(zhejiang)).not.toContain("兴安药业有限公司");
    expect(firms(zhejiang)).not.toContain("乐普制药科技有限公司");
    expect(firms(everywhere)).toEqual(expect.arrayContaining(["兴安药业有限公司", "乐普制药科技有限公司"]));
    expect(zhejiang.some((x) => x.supplyRegions.some((r) => r.name === "大同市"))).toBe(false);
  });

  it("after the cycle the expansion's prices are hidden, and shown as ended with include=ended", async () => {
    const after = await bothPaths({ asOf: "2021-06-01", ...ZJ });
    expect(after.filter((x) => x.batch.id === "national-drug-1-expansion")).toEqual([]);
    for (const x of after) expect(["in_force", "unknown"]).toContain(x.state);
    const all = await bothPaths({ asOf: "2021-06-01", ...ZJ, include: "ended" });
    const ended = all.filter((x) => x.batch.id === "national-drug-1-expansion");
    expect(firms(ended)).toEqual(["齐鲁制药（海南）有限公司"]);
    expect(ended[0]?.state).toBe("ended");
    for (const x of all) expect(suppliesZhejiang(x)).toBe(true);
  });

  it("before the cycle they are upcoming: hidden by default, picked with state=upcoming", async () => {
    expect((await bothPaths({ asOf: "2019-11-30", ...ZJ })).filter((x) => x.batch.id === "national-drug-1-expansion")).toEqual([]);
    expect(firms(await bothPaths({ asOf: "2019-11-30", ...ZJ, state: "upcoming" }))).toEqual(["齐鲁制药（海南）有限公司"]);
    const inForce = await bothPaths({ asOf: "2019-12-01", ...ZJ, state: "in_force" });
    expect(firms(inForce.filter((x) => x.batch.id === "national-drug-1-expansion"))).toEqual(["齐鲁制药（海南）有限公司"]);
    for (const x of inForce) expect(x.state).toBe("in_force");
  });
});
