import { parseAtomFeed } from "feedsmith";
import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import { okJson } from "../support/client";
import { type Api, apiClients, useTestWorld } from "../support/world";

/** Every change since `since` the JSON feed of a search holds, and the token to start from next time. */
async function changesSince(api: Api, since: string, q?: string) {
  const items = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 20; pages++) {
    const page = await okJson(api.prices.$get({ query: { updatedSince: since, limit: "200", ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) } }));
    items.push(...page.data);
    if (!page.meta.nextCursor) return { items, token: page.meta.syncToken! };
    cursor = page.meta.nextCursor;
  }
  throw new Error("the feed did not end");
}

const RENEWAL_BATCH =
  "id,name,level,category,announced,cycleStart,cycleEnd,source\r\nrenewal-feed-1,阿托伐他汀接续采购（测试）,alliance,drug,2026-10,2026-11-01,2029-10-31,test\r\n";

/**
 * A renewal (续约, 接续采购) links a new price to an earlier one. A client that keeps the earlier
 * price (its `renewedBy`) hears of the link the night it is made: the earlier price is in the change
 * feed, and its Atom entry says it was renewed and by what. Predecessors are the seeds' real 4+7 prices.
 */
describe("a renewal link shows on the price it continues", () => {
  const world = useTestWorld();
  const { api, admin } = apiClients(world);
  let header: string[];
  let row: string[];
  let predecessorId: number;
  const importPrices = async (rows: string[][]) => {
    const file = new File([Papa.unparse(rows)], "renewal.csv", { type: "text/csv" });
    const res = await admin.imports.$post({ query: { kind: "prices" }, form: { file } });
    expect(res.status, await res.clone().text()).toBe(200);
  };
  beforeAll(async () => {
    const batch = await admin.imports.$post({ query: { kind: "batches" }, form: { file: new File([RENEWAL_BATCH], "batches.csv", { type: "text/csv" }) } });
    expect(batch.status, await batch.clone().text()).toBe(200);
    // The real 4+7 price of atorvastatin (北京嘉林, 2019), as a renewal row of the new batch at a new price.
    const exported = await (
      await api["prices.csv"].$get({ query: { q: "阿托伐他汀", batch: "national-drug-1", manufacturer: "嘉林", headers: "en", include: "ended" } })
    ).text();
    [header, row] = Papa.parse<string[]>(exported.replace(/^\ufeff/, ""), { skipEmptyLines: true }).data as [string[], string[]];
    row[header.indexOf("batch")] = "renewal-feed-1";
    row[header.indexOf("chosenPrice")] = "0.9876";
    for (const derived of ["unitPrice", "discountPct", "cycleStart", "cycleEnd"]) row[header.indexOf(derived)] = "";
    const original = await okJson(api.prices.$get({ query: { q: "阿托伐他汀", batch: "national-drug-1", manufacturer: "嘉林", include: "ended" } }));
    expect(original.data).toHaveLength(1);
    predecessorId = original.data[0]!.id;
  });

  it("puts the earlier price in the change feed with its renewedBy, beside the renewal, and its Atom entry says it was renewed", async () => {
    const { token } = await changesSince(api, new Date().toISOString());
    await importPrices([
      [...header, "renews"],
      [...row, "national-drug-1"],
    ]);

    const { items, token: next } = await changesSince(api, token);
    const renewal = items.find((p) => p.batch.id === "renewal-feed-1")!;
    expect(renewal).toMatchObject({ renews: predecessorId, change: { kind: "added", tombstone: false } });
    const predecessor = items.find((p) => p.id === predecessorId);
    expect(predecessor, "the renewed price is in the feed").toBeDefined();
    expect(predecessor).toMatchObject({ renewedBy: renewal.id, chosenPrice: 6.6, change: { kind: "changed", tombstone: false } });
    expect(items).toHaveLength(2);

    const feed = parseAtomFeed(await (await api["prices.atom"].$get({ query: { q: "阿托伐他汀", updatedSince: token } })).text());
    const entries = feed.entries ?? [];
    expect(entries.map((e) => e.categories?.[0]?.term).sort()).toEqual(["renewed", "renewed_by"]);
    const renewedEntry = entries.find((e) => e.categories?.[0]?.term === "renewed_by")!;
    expect(renewedEntry.id).toContain(`price:${predecessorId}:renewed_by:`);
    expect(renewedEntry.title?.value).toContain("已接续采购");
    expect(renewedEntry.title?.value).toContain("第一批国家组织药品集中采购");
    // It names what continues it: the new batch and its price.
    expect(renewedEntry.summary?.value).toContain("阿托伐他汀接续采购（测试）");
    expect(renewedEntry.summary?.value).toContain("0.9876元");

    // The same file again changes nothing, the link included.
    await importPrices([
      [...header, "renews"],
      [...row, "national-drug-1"],
    ]);
    expect((await changesSince(api, next)).items).toEqual([]);
  });

  it("a link taken away (the file no longer names the batch it renews) is a change of the earlier price too", async () => {
    const { token } = await changesSince(api, new Date().toISOString());
    await importPrices([header, row]);
    const { items } = await changesSince(api, token);
    const predecessor = items.find((p) => p.id === predecessorId);
    expect(predecessor, "the price no longer renewed is in the feed").toBeDefined();
    expect(predecessor!.renewedBy).toBeNull();
  });
});
