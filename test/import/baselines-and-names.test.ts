import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport } from "../../src/services/imports";
import { createTestWorld, type TestWorld } from "../support/test-db";

const csv = (text: string) => new TextEncoder().encode(text);

describe("a price keeps both baselines, and a product its short name, brands and originator flag", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(() => world.close());

  const row = async (spec: string) =>
    (
      await world.db.all<Record<string, unknown>>(sql`SELECT p.*, pr.manufacturer_short, pr.brand_names, pr.originator, pr.foreign_firm
        FROM prices p JOIN products pr ON pr.id = p.product_id WHERE pr.spec = ${spec}`)
    )[0]!;

  it("stores the ceiling and the pre-procurement price side by side, the ceiling as the primary reference", async () => {
    const file =
      "批次,药品通用名,剂型,规格,转换比,生产企业-全称,生产企业-简称,商品名,是否原研,是否外企,中选价格,最高限价,中标前中位价\n" +
      "national-drug-3,基线测试片,片剂,11mg,10,甲制药有限公司,甲制药,甲乐、甲安,是,否,2,8,5\n";
    const report = await runImport(world.db, { kind: "prices", bytes: csv(file) });
    expect(report.errors).toEqual([]);
    const p = await row("11mg");
    expect(p).toMatchObject({
      chosen_price_e4: 20000,
      reference_price_e4: 80000,
      reference_kind: "ceiling",
      discount_bp: 7500,
      ceiling_price_e4: 80000,
      ceiling_unit_price_e4: 8000,
      ceiling_discount_bp: 7500,
      pre_vbp_price_e4: 50000,
      pre_vbp_unit_price_e4: 5000,
      pre_vbp_discount_bp: 6000,
      manufacturer_short: "甲制药",
      brand_names: JSON.stringify(["甲乐", "甲安"]),
      originator: 1,
      foreign_firm: 0,
    });
  });

  it("uses the pre-procurement price as the primary reference when there is no ceiling", async () => {
    const file = "批次,药品通用名,剂型,规格,转换比,生产企业,中选价格,集采前价格\nnational-drug-3,基线测试片,片剂,12mg,10,乙公司,1,4\n";
    expect((await runImport(world.db, { kind: "prices", bytes: csv(file) })).errors).toEqual([]);
    expect(await row("12mg")).toMatchObject({
      reference_kind: "pre_vbp",
      reference_price_e4: 40000,
      discount_bp: 7500,
      ceiling_price_e4: null,
      pre_vbp_discount_bp: 7500,
    });
  });

  it("keeps a product's originator flag and short name when a later file does not state them", async () => {
    const file = "批次,药品通用名,剂型,规格,转换比,生产企业,中选价格\nnational-drug-3,基线测试片,片剂,11mg,10,甲制药有限公司,2\n";
    expect((await runImport(world.db, { kind: "prices", bytes: csv(file) })).errors).toEqual([]);
    expect(await row("11mg")).toMatchObject({ originator: 1, manufacturer_short: "甲制药", brand_names: JSON.stringify(["甲乐", "甲安"]) });
  });

  it("has a bids table for losing bids and keeps the search triggers", async () => {
    const cols = await world.db.all<{ name: string }>(sql`SELECT name FROM pragma_table_info('bids')`);
    expect(cols.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        "batch_id",
        "natural_key",
        "bid_price_e4",
        "bid_unit_price_e4",
        "ceiling_price_e4",
        "pre_vbp_price_e4",
        "manufacturer_short",
        "originator",
        "source",
      ]),
    );
    const triggers = await world.db.all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('products', 'prices')`);
    expect(triggers.map((t) => t.name)).toEqual(expect.arrayContaining(["search_products_ai", "search_products_au"]));
  });
});
