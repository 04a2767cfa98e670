import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport } from "../../src/services/imports";
import { okJson, typedClient } from "../support/client";
import { createTestWorld, type TestWorld } from "../support/test-db";

const FILE = readFileSync(join(import.meta.dirname, "fixtures", "official-gb18030.csv"));

describe("a GB18030 file as Excel writes it, with official Chinese headers, title rows and ￥1,234.50 prices", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(() => world.close());

  it("is not UTF-8, so nothing but detection can read it", () => {
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(FILE)).toThrow();
  });

  it("imports with no flags and its reductions are right", async () => {
    const report = await runImport(world.db, { kind: "prices", bytes: FILE, fileName: "official-gb18030.csv" });
    expect(report).toMatchObject({ encoding: "gb18030", rowsTotal: 3, rowsImported: 3, rowsRejected: 0, errors: [] });
    // 序号 is a column published tables carry: known, so not reported as ignored.
    expect(report.warnings).toEqual([]);

    const body = await okJson(typedClient(world.app).api.v1.prices.$get({ query: { q: "测试", limit: "10" } }));
    const byName = new Map(body.data.map((p) => [p.product.genericName, p]));
    expect(byName.get("测试甲片")).toMatchObject({
      chosenPrice: 1234.5,
      referencePrice: 2469,
      referenceKind: "ceiling",
      unitPrice: 88.1786,
      discountPct: 50,
      product: { packageQty: 14, smallestUnit: "片", packageUnit: "盒", manufacturer: "测试药业甲", spec: "10mg" },
      supplyRegions: [
        { code: "15", name: "内蒙古自治区" },
        { code: "13", name: "河北省" },
      ],
    });
    expect(byName.get("测试乙胶囊")).toMatchObject({ chosenPrice: 12, unitPrice: 0.5, discountPct: 75, product: { packageQty: 24, smallestUnit: "粒" } });
    expect(byName.get("测试丙片")).toMatchObject({ chosenPrice: 3.6, referencePrice: 156.8, discountPct: 97.7, product: { packageQty: 7, packageUnit: "盒" } });
  });
});
