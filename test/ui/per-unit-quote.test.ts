import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../../src/db/migrate";
import { trustedSql } from "../../src/db/trusted-sql";
import { importFiles } from "../../src/services/seed";
import { okJson } from "../support/client";
import { type Api, apiClients, useTestWorld } from "../support/world";

/*
 * Most real national results (the 4+7 expansion and batches 2–4 of the analyst workbook) give the
 * chosen price per smallest unit (最小规格价格, 中选价格（最小规格）) and no package size. Such a price is
 * quoted per smallest unit: the pages say 元/最小单位 (or 元/片 when the file names the unit), not
 * 元/包装, which read as the price of a whole box of a drug a pharmacist pays per tablet.
 */
const world = useTestWorld();
const { api } = apiClients(world);
const bytes = (s: string) => new TextEncoder().encode(s);

type PricesQuery = Parameters<Api["prices"]["$get"]>[0]["query"];
const prices = async (query: PricesQuery) => (await okJson(api.prices.$get({ query: { include: "ended", limit: "200", ...query } }))).data;
const page = async (path: string) => (await world.app.request(path)).text();

describe("prices given per smallest unit, for a package of unknown size", () => {
  it("the real batch 2 prices of 阿比特龙 are per smallest unit; 4+7 prices with a counted package stay per box", async () => {
    const abiraterone = await prices({ q: "阿比特龙" });
    expect(abiraterone.length).toBeGreaterThan(0);
    for (const p of abiraterone) {
      expect(p.batch.id).toBe("national-drug-2");
      expect(p.product).toMatchObject({ packageQty: null, packageUnit: "最小单位" });
      expect(p.unitPrice).toBe(p.chosenPrice);
    }
    const atorvastatin = (await prices({ q: "阿托伐他汀", batch: "national-drug-1" }))[0]!;
    expect(atorvastatin.product).toMatchObject({ packageQty: 7, packageUnit: null });
    expect(atorvastatin.chosenPrice).toBe(6.6);

    const text = await page(`/?q=${encodeURIComponent("阿比特龙")}&include=ended`);
    expect(text).toContain("元/最小单位");
    expect(text).not.toContain("元/包装");
  });

  it("an imported table says so by its header: （最小规格） alone marks the unit, a package price or a package size does not", async () => {
    const header = "批次,通用名,剂型,规格,生产企业,医保编码";
    await importFiles(
      world.db,
      [
        {
          kind: "prices",
          name: "unit.csv",
          bytes: bytes(`${header},最小单位,中选价格（最小规格）\nnational-drug-3,单价测试片,片剂,5mg,单价药业,UNITQ01,片,0.35\n`),
        },
        { kind: "prices", name: "unit2.csv", bytes: bytes(`${header},中选价格(最小规格)\nnational-drug-3,单价测试胶囊,胶囊剂,5mg,单价药业,UNITQ02,0.42\n`) },
        { kind: "prices", name: "box.csv", bytes: bytes(`${header},中选价格\nnational-drug-3,整盒测试片,片剂,5mg,整盒药业,UNITQ03,12.6\n`) },
        {
          kind: "prices",
          name: "qty.csv",
          bytes: bytes(`${header},转换比,中选价格（最小规格）\nnational-drug-3,转换测试片,片剂,5mg,转换药业,UNITQ04,28,0.5\n`),
        },
      ],
      "test",
    );
    const product = async (code: string) => (await prices({ q: code }))[0]!;
    expect((await product("UNITQ01")).product).toMatchObject({ packageQty: null, packageUnit: "片", smallestUnit: "片" });
    expect((await product("UNITQ02")).product).toMatchObject({ packageQty: null, packageUnit: "最小单位" });
    expect((await product("UNITQ03")).product).toMatchObject({ packageQty: null, packageUnit: null });
    const counted = await product("UNITQ04");
    expect(counted.product).toMatchObject({ packageQty: 28, packageUnit: null });
    expect(counted.chosenPrice).toBe(14);

    expect(await page("/?q=UNITQ01")).toContain("元/片");
    const box = await page("/?q=UNITQ03");
    expect(box).toContain("元/包装");
    expect(box).not.toContain("元/最小单位");
  });

  it("a database seeded before 6 December gets the unit from its migration: the workbook's rows without a package size, nothing else", async () => {
    const run = (text: string) => world.db.run(trustedSql(text));
    const count = async (text: string) => Number((await world.db.all<{ n: number }>(trustedSql(text)))[0]?.n);
    const perUnit = "package_unit = '最小单位'";
    const products = await count(`SELECT count(*) AS n FROM products WHERE ${perUnit}`);
    const bids = await count(`SELECT count(*) AS n FROM bids WHERE ${perUnit}`);
    // The seeds' 509 products of the expansion and batches 2–4 (and the two imported above), and batch 1's losing bids without a package size.
    expect(products).toBe(509 + 1);
    expect(bids).toBeGreaterThan(0);
    const before = await count(`SELECT count(*) AS n FROM products WHERE package_unit IS NULL`);
    // As the older seeds left them.
    await run(`UPDATE products SET package_unit = NULL WHERE ${perUnit}`);
    await run(`UPDATE bids SET package_unit = NULL WHERE ${perUnit}`);
    const migration = readFileSync(join(MIGRATIONS_FOLDER, "0023_per_unit_quotes.sql"), "utf8");
    for (const statement of migration.split("--> statement-breakpoint")) await run(statement);
    // Every seeded one is back; the imported UNITQ02 (not from the workbook) stays as its owner's import left it.
    expect(await count(`SELECT count(*) AS n FROM products WHERE ${perUnit}`)).toBe(509);
    expect(await count(`SELECT count(*) AS n FROM bids WHERE ${perUnit}`)).toBe(bids);
    expect(await count(`SELECT count(*) AS n FROM products WHERE package_unit IS NULL`)).toBe(before + 1);
    expect(await count(`SELECT count(*) AS n FROM products WHERE generic_name = '阿比特龙' AND ${perUnit}`)).toBe(3);
  });
});
