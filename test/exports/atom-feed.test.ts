import { detectAtomFeed, parseAtomFeed } from "feedsmith";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { typedClient } from "../support/client";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

/** What RFC 4287 requires of a feed and its entries, beyond what a lenient parser checks. */
type Link = { rel?: string; href?: string };
type AtomLike = {
  id?: string;
  title?: { value?: string };
  updated?: unknown;
  links?: Link[];
  authors?: unknown[];
  entries?: { id?: string; title?: { value?: string }; updated?: unknown; links?: Link[]; content?: unknown; authors?: unknown[] }[];
};

function atomProblems(feed: AtomLike): string[] {
  const problems: string[] = [];
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
  if (!feed.id || !/^[a-z][a-z0-9+.-]*:/i.test(feed.id)) problems.push("feed id must be an IRI");
  if (!feed.title?.value) problems.push("feed title missing");
  if (!rfc3339.test(String(feed.updated))) problems.push("feed updated must be an RFC 3339 date");
  if (!feed.links?.some((l) => l.rel === "self")) problems.push("no self link");
  const ids = new Set<string>();
  for (const e of feed.entries ?? []) {
    if (!e.id || ids.has(e.id)) problems.push(`entry id missing or repeated: ${e.id}`);
    ids.add(e.id ?? "");
    if (!e.title?.value) problems.push(`${e.id}: title missing`);
    if (!rfc3339.test(String(e.updated))) problems.push(`${e.id}: updated must be an RFC 3339 date`);
    if (!e.links?.some((l) => l.rel === "alternate") && !e.content) problems.push(`${e.id}: needs content or an alternate link`);
    if (!feed.authors?.length && !e.authors?.length) problems.push(`${e.id}: no author`);
  }
  return problems;
}

type Api = ReturnType<typeof typedClient>["api"]["v1"];
type FeedQuery = NonNullable<Parameters<Api["prices.atom"]["$get"]>[0]>["query"];

describe("GET /api/v1/prices.atom: a search as a feed", () => {
  let world: TestWorld;
  let api: Api;
  let admin: Api;
  const feedOf = async (query: FeedQuery) => {
    const res = await api["prices.atom"].$get({ query });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/atom+xml");
    const xml = await res.text();
    expect(detectAtomFeed(xml)).toBe(true);
    return parseAtomFeed(xml);
  };
  beforeAll(async () => {
    world = await createTestWorld();
    api = typedClient(world.app).api.v1;
    admin = typedClient(world.app, { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` }).api.v1;
  });
  afterAll(() => world.close());

  it("is an Atom 1.0 feed of the search's prices, newest change first", async () => {
    const feed = await feedOf({ q: "阿托伐他汀" });
    expect(atomProblems(feed)).toEqual([]);
    const entries = feed.entries ?? [];
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e.title?.value).toContain("阿托伐他汀");
    const times = entries.map((e) => String(e.updated));
    expect(times).toEqual([...times].sort().reverse());
    expect(feed.updated).toBe(times[0]);
    expect(entries[0]!.links![0]!.href).toMatch(/^http:\/\/localhost\/products\/\d+$/);
  });

  it("gains an entry when an import changes a price the search matches; the others keep their ids", async () => {
    const query = { q: "阿托伐他汀", batch: "national-drug-1" };
    const before = await feedOf(query);
    const ids = (before.entries ?? []).map((e) => e.id);
    expect(ids.length).toBeGreaterThan(0);
    const again = await feedOf(query);
    expect((again.entries ?? []).map((e) => e.id)).toEqual(ids);

    // The CSV export imports back as the same data: take the search's first row and change its price.
    const exported = await (await api["prices.csv"].$get({ query: { ...query, headers: "en" } })).text();
    const [header, row] = Papa.parse<string[]>(exported.replace(/^\ufeff/, ""), { skipEmptyLines: true }).data as [string[], string[]];
    row[header.indexOf("chosenPrice")] = "1.2345";
    // The export's derived unit price and reduction are checked against the prices on import: a changed price clears them.
    row[header.indexOf("unitPrice")] = "";
    row[header.indexOf("discountPct")] = "";
    const csv = Papa.unparse([header, row]);
    const imported = await admin.imports.$post({ query: { kind: "prices" }, form: { file: new File([csv], "renewal.csv", { type: "text/csv" }) } });
    expect(imported.status, await imported.clone().text()).toBe(200);

    const after = await feedOf(query);
    expect(atomProblems(after)).toEqual([]);
    const newest = after.entries![0]!;
    expect(ids).not.toContain(newest.id);
    expect(newest.title?.value).toContain("价格变更");
    expect(newest.title?.value).toContain("1.2345元");
    expect(newest.title?.value).toContain(row[header.indexOf("genericName")]!);
    expect(newest.categories?.[0]?.term).toBe("changed");
    // Entries of other prices are still there with the same ids; the changed price's old entry was replaced.
    const kept = (after.entries ?? []).slice(1).map((e) => e.id);
    expect(kept.length).toBe(ids.length - 1);
    for (const id of kept) expect(ids).toContain(id);
  });

  it("gains a renewed entry when an import renews a price the search matches; updatedSince keeps only what came after", async () => {
    const query = { q: "阿托伐他汀" };
    const before = await feedOf(query);
    const since = new Date().toISOString();
    const batches =
      "id,name,level,category,announced,cycleStart,cycleEnd,source\r\nrenewal-test-1,第一批接续采购（测试）,alliance,drug,2026-10,2026-11-01,2029-10-31,test\r\n";
    const batch = await admin.imports.$post({ query: { kind: "batches" }, form: { file: new File([batches], "batches.csv", { type: "text/csv" }) } });
    expect(batch.status, await batch.clone().text()).toBe(200);

    // The national-drug-1 row of the search, continued in the new batch at a new price.
    const exported = await (await api["prices.csv"].$get({ query: { ...query, headers: "en", include: "ended", batch: "national-drug-1" } })).text();
    const [header, row] = Papa.parse<string[]>(exported.replace(/^\ufeff/, ""), { skipEmptyLines: true }).data as [string[], string[]];
    row[header.indexOf("batch")] = "renewal-test-1";
    row[header.indexOf("chosenPrice")] = "0.9876";
    for (const derived of ["unitPrice", "discountPct", "cycleStart", "cycleEnd"]) row[header.indexOf(derived)] = "";
    const csv = Papa.unparse([
      [...header, "renews"],
      [...row, "national-drug-1"],
    ]);
    const imported = await admin.imports.$post({ query: { kind: "prices" }, form: { file: new File([csv], "renewal.csv", { type: "text/csv" }) } });
    expect(imported.status, await imported.clone().text()).toBe(200);

    const after = await feedOf(query);
    expect(atomProblems(after)).toEqual([]);
    // The two newest entries: the renewal, and the price it continues (stamped when the link was made, test/integration/renewal-feed).
    expect(
      after
        .entries!.slice(0, 2)
        .map((e) => e.categories?.[0]?.term)
        .sort(),
    ).toEqual(["renewed", "renewed_by"]);
    const newest = after.entries!.find((e) => e.categories?.[0]?.term === "renewed")!;
    const continued = after.entries!.find((e) => e.categories?.[0]?.term === "renewed_by")!;
    expect(newest.title?.value).toContain("接续采购");
    expect(newest.title?.value).toContain("0.9876元");
    expect(newest.title?.value).toContain("第一批接续采购（测试）");
    expect((before.entries ?? []).map((e) => e.id)).not.toContain(newest.id);
    // Their ids are the same on the next fetch, and a feed from just before the import holds them alone.
    expect(
      (await feedOf(query))
        .entries!.slice(0, 2)
        .map((e) => e.id)
        .sort(),
    ).toEqual([newest.id, continued.id].sort());
    const recent = await feedOf({ ...query, updatedSince: since });
    expect((recent.entries ?? []).map((e) => e.id).sort()).toEqual([newest.id, continued.id].sort());
  });

  it("gains a withdrawn entry when the import that added a price the search matches is withdrawn; searches that did not match it do not", async () => {
    const query = { q: "阿托伐他汀", batch: "national-drug-1" };
    // A real seed row of the search, offered by a firm of its own (a new product and price), supplied to 北京 only.
    const exported = await (await api["prices.csv"].$get({ query: { ...query, headers: "en", include: "ended" } })).text();
    const [header, row] = Papa.parse<string[]>(exported.replace(/^\ufeff/, ""), { skipEmptyLines: true }).data as [string[], string[]];
    row[header.indexOf("manufacturer")] = "撤回订阅测试药业";
    row[header.indexOf("chosenPrice")] = "0.4321";
    row[header.indexOf("supplyRegions")] = "北京市";
    // Codes name the seed's product: the new firm's product has none.
    for (const cleared of ["unitPrice", "discountPct", "nhsaCode", "approvalNo"]) row[header.indexOf(cleared)] = "";
    const imported = await admin.imports.$post({
      query: { kind: "prices" },
      form: { file: new File([Papa.unparse([header, row])], "withdraw.csv", { type: "text/csv" }) },
    });
    expect(imported.status, await imported.clone().text()).toBe(200);
    const { importId } = (await imported.json()) as { importId: number };
    const added = (await feedOf(query)).entries![0]!;
    expect(added.categories?.[0]?.term).toBe("added");
    expect(added.title?.value).toContain("撤回订阅测试药业");
    const elsewhere = { q: "阿托伐他汀", province: "上海" };
    const elsewhereBefore = (await feedOf(elsewhere)).entries!.map((e) => e.id);
    const otherDrugBefore = (await feedOf({ q: "氨氯地平" })).entries!.map((e) => e.id);

    const withdrawn = await admin.imports[":id"].$delete({ param: { id: String(importId) } });
    expect(withdrawn.status, await withdrawn.clone().text()).toBe(200);
    const after = await feedOf(query);
    expect(atomProblems(after)).toEqual([]);
    const newest = after.entries![0]!;
    expect(newest.categories?.[0]?.term).toBe("withdrawn");
    expect(newest.title?.value).toContain("已撤销");
    expect(newest.title?.value).toContain("撤回订阅测试药业");
    expect(newest.title?.value).toContain("0.4321元");
    expect(String(newest.updated) >= String(added.updated)).toBe(true);
    // The price is gone, so is its added entry; the withdrawn entry keeps its id on the next fetch and in a feed since the import.
    expect(after.entries!.map((e) => e.id)).not.toContain(added.id);
    expect((await feedOf(query)).entries!.map((e) => e.id)).toEqual(after.entries!.map((e) => e.id));
    expect((await feedOf({ ...query, updatedSince: String(added.updated) })).entries!.map((e) => e.id)).toEqual([newest.id]);
    expect((await feedOf({ q: "阿托伐他汀", province: "北京" })).entries![0]!.id).toBe(newest.id);
    // Feeds whose search never matched it: another province, another drug.
    expect((await feedOf(elsewhere)).entries!.map((e) => e.id)).toEqual(elsewhereBefore);
    expect((await feedOf({ q: "氨氯地平" })).entries!.map((e) => e.id)).toEqual(otherDrugBefore);
  });

  it("names the unit of each price as the pages do: per smallest unit only when the package size is known or the source priced it so", async () => {
    const xml = async (query: string) => (await world.app.request(`/api/v1/prices.atom?${query}`)).text();
    // A stent is priced per 个, its size unknown: its unit price is per 个 too, not per 最小单位.
    expect(await xml(`q=${encodeURIComponent("冠脉支架")}&include=ended`)).toContain("中选价格 700元/个，单价 700元/个");
    // The 4+7 rosuvastatin, 28 tablets a box: per box and per tablet.
    expect(await xml(`q=${encodeURIComponent("瑞舒伐他汀")}&batch=national-drug-1&include=ended`)).toContain("中选价格 21.8元/包装，单价 0.7786元/最小单位");
    // Batch 2 priced 阿比特龙 per smallest unit.
    expect(await xml(`q=${encodeURIComponent("阿比特龙")}&include=ended`)).toContain("中选价格 23.3333元/最小单位，单价 23.3333元/最小单位");
  });

  it("refuses an unknown region like the search does", async () => {
    const res = await api["prices.atom"].$get({ query: { region: "不存在的地方" } });
    expect(res.status).toBe(400);
  });
});
