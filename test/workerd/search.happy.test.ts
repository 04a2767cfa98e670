import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { openD1 } from "../../src/db/d1";
import { type PriceQuery, searchPrices } from "../../src/services/prices";
import { DEFAULT_SEARCH_TUNING } from "../../src/services/search-tuning";
import { STATIN_PRICES_CSV } from "./fixtures";
import { call, importCsv, q } from "./support";

describe("search on D1 inside workerd", () => {
  beforeAll(async () => {
    const { status, body } = await importCsv("kind=prices", STATIN_PRICES_CSV);
    expect(status, JSON.stringify(body)).toBe(200);
  });

  const names = (body: any) => body.data.map((p: any) => p.product.genericName as string);

  it("finds every statin for the two-character query 他汀 (shorter than a trigram)", async () => {
    const { status, body } = await call(`/api/v1/prices?q=${q("他汀")}&limit=50`);
    expect(status).toBe(200);
    expect(names(body)).toEqual(expect.arrayContaining(["阿托伐他汀钙片", "瑞舒伐他汀钙片"]));
    expect(names(body)).not.toContain("氨氯地平片");
    expect(body.meta.total).toBe(body.data.length);
  });

  it("narrows to one drug for a longer query that the trigram index answers", async () => {
    const { status, body } = await call(`/api/v1/prices?q=${q("阿托伐他汀")}&limit=50`);
    expect(status).toBe(200);
    expect(body.data.length).toBeGreaterThanOrEqual(3);
    expect(new Set(names(body))).toEqual(new Set(["阿托伐他汀钙片"]));
  });

  it("finds a drug by the pinyin initials (拼音码) hospital systems use", async () => {
    const { status, body } = await call(`/api/v1/prices?q=atfttgp&limit=50`);
    expect(status).toBe(200);
    expect(new Set(names(body))).toEqual(new Set(["阿托伐他汀钙片"]));
  });

  it("filters by supply region on D1 (the region mask kept by migration 0008, then the codes)", async () => {
    const { status, body } = await call(`/api/v1/prices?q=${q("他汀")}&region=${q("天津市")}&limit=50`);
    expect(status).toBe(200);
    // The 14-tablet box and rosuvastatin supply Tianjin, and no statin supplies the whole country.
    expect(body.data.map((p: any) => `${p.product.genericName} ${p.product.packageText}`).sort()).toEqual(["瑞舒伐他汀钙片 28片/盒", "阿托伐他汀钙片 14片/盒"]);
    expect(body.meta.total).toBe(2);
    const amlodipine = await call(`/api/v1/prices?q=${q("氨氯地平")}&region=${q("天津市")}&limit=50`);
    expect(amlodipine.body.meta.total, "a nationwide price supplies every region").toBe(1);
  });

  it("finds a price by its manufacturer", async () => {
    const { body } = await call(`/api/v1/prices?q=${q("乙药业")}&limit=50`);
    expect(body.data.length).toBe(2);
    expect(body.data.every((p: any) => p.product.manufacturer === "乙药业股份有限公司")).toBe(true);
  });

  it("answers queries with FTS syntax characters without an error", async () => {
    for (const text of ["阿托伐他汀钙片(10mg)", '"他汀', "AND", "Sustained-release", "*"]) {
      const { status } = await call(`/api/v1/prices?q=${q(text)}`);
      expect(status, text).toBe(200);
    }
  });

  it("computes unit prices and reductions from the exact money rules", async () => {
    const { body } = await call(`/api/v1/prices?q=${q("瑞舒伐他汀")}`);
    const item = body.data[0];
    expect(item.chosenPrice).toBe(12.32);
    expect(item.unitPrice).toBe(0.44);
    expect(item.discountPct).toBe(95.89);
    expect(item.supplyRegions.map((r: any) => r.name ?? r)).toEqual(expect.arrayContaining([expect.stringContaining("北京")]));
  });

  it("pages through results with the cursor", async () => {
    const first = await call(`/api/v1/prices?q=${q("他汀")}&limit=1&sort=unitPrice`);
    expect(first.body.data.length).toBe(1);
    expect(first.body.meta.nextCursor).toBeTruthy();
    const second = await call(`/api/v1/prices?q=${q("他汀")}&limit=1&sort=unitPrice&cursor=${first.body.meta.nextCursor}`);
    expect(second.body.data[0].id).not.toBe(first.body.data[0].id);
    expect(second.body.data[0].unitPrice).toBeGreaterThanOrEqual(first.body.data[0].unitPrice);
  });

  it("reads many matched groups as one arm on D1 (a list of keys, one correlated read each) with the same pages as one SELECT per group", async () => {
    const db = openD1(env.DB);
    const oneArm = { ...DEFAULT_SEARCH_TUNING, maxScanWindow: 0, groupsArmFrom: 1 };
    const perGroup = { ...DEFAULT_SEARCH_TUNING, maxScanWindow: 0, groupsArmFrom: 1_000_000 };
    const queries: PriceQuery[] = [
      { q: "他汀", limit: 2, include: "ended" },
      { q: "药业", limit: 2, include: "ended" },
      { sort: "-discount", limit: 2, include: "ended" },
      { sort: "unitPrice", limit: 2, include: "ended", maxUnitPrice: 50 },
      { sort: "-unitPrice", limit: 2, include: "ended" },
    ];
    for (const query of queries) {
      let seen = 0;
      for (let cursor: string | undefined, page = 0; page < 20; page++) {
        const a = await searchPrices(db, { ...query, cursor }, oneArm);
        expect(a, JSON.stringify(query)).toEqual(await searchPrices(db, { ...query, cursor }, perGroup));
        seen += a.items.length;
        if (!a.nextCursor) break;
        cursor = a.nextCursor;
      }
      expect(seen, JSON.stringify(query)).toBeGreaterThan(0);
    }
  });

  it("finds a fragment of many firms' names over HTTP (one range each: more than D1's five terms of a compound SELECT)", async () => {
    const firms = ["子", "丑", "寅", "卯", "辰", "巳", "午"];
    const csv = [
      "批次,药品通用名,剂型,规格,包装,中选企业,中选价格（元）,集采前价格,供应地区",
      ...firms.map((f, i) => `national-drug-4,测试普利片,片剂,${i + 1}mg,7片/盒,${f}康泰药业有限公司,${(3 + i).toFixed(2)},50.00,北京市`),
    ].join("\n");
    const imported = await importCsv("kind=prices", csv);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    for (const sort of ["relevance", "unitPrice", "-discount"]) {
      const { status, body } = await call(`/api/v1/prices?q=${q("康泰药业")}&limit=5&sort=${sort}`);
      expect(status, `${sort}: ${JSON.stringify(body)}`).toBe(200);
      expect(body.meta.total, sort).toBe(firms.length);
      expect(body.data, sort).toHaveLength(5);
    }
  });

  it("answers a bad filter with the contract's 400 error", async () => {
    const { status, body } = await call(`/api/v1/prices?sort=cheapest`);
    expect(status).toBe(400);
    expect(body.error.code).toBe("validation_error");
    expect(body.error.requestId).toBeTruthy();
  });
});
