import { describe, expect, it } from "vitest";
import { typedClient } from "../support/client";
import { TEST_ADMIN_TOKEN } from "../support/test-db";
import { apiClients, useTestWorld } from "../support/world";

describe("the API through Hono's typed client (hc<AppType>)", () => {
  const world = useTestWorld();
  const { api } = apiClients(world);

  it("searches prices and reads one with typed answers", async () => {
    const res = await api.prices.$get({ query: { q: "阿托伐他汀", limit: "5" } });
    if (!res.ok) throw new Error(`search answered ${res.status}`);
    const page = await res.json();
    const first = page.data[0]!;
    expect(first.product.genericName).toContain("阿托伐他汀");
    const one = await api.prices[":id"].$get({ param: { id: String(first.id) } });
    expect(one.status).toBe(200);
    if (one.status === 200) expect((await one.json()).data.chosenPrice).toBe(first.chosenPrice);
  });

  it("reads batches and a product's history", async () => {
    const list = await api.batches.$get({ query: {} });
    if (!list.ok) throw new Error(`batches answered ${list.status}`);
    expect((await list.json()).data.map((b) => b.id)).toContain("national-drug-1");
    const res = await api.batches[":id"].$get({ param: { id: "national-drug-1" } });
    expect(res.status).toBe(200);
    const search = await api.prices.$get({ query: { batch: "national-drug-1", limit: "1" } });
    if (!search.ok) throw new Error(`search answered ${search.status}`);
    const price = (await search.json()).data[0]!;
    const product = await api.products[":id"].$get({ param: { id: String(price.product.id) }, query: {} });
    expect(product.status).toBe(200);
    if (product.status === 200) expect((await product.json()).data.history.map((h) => h.id)).toContain(price.id);
  });

  it("answers a typed error the client can branch on", async () => {
    const res = await api.prices[":id"].$get({ param: { id: "999999999" } });
    expect(res.status).toBe(404);
    const body = await res.json();
    expect("error" in body && body.error.code).toBe("not_found");
  });

  it("imports with the admin token and reads the audit log", async () => {
    const admin = typedClient(world.app, { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` }).api.v1;
    const csv = "code,name,parentCode,level,fundShare\r\n159901,测试市,15,city,70%\r\n";
    const file = new File([csv], "regions.csv", { type: "text/csv" });
    const res = await admin.imports.$post({ query: { kind: "regions", dryRun: "true" }, form: { file } });
    expect(res.status).toBe(200);
    if (res.status === 200) expect(await res.json()).toMatchObject({ kind: "regions", dryRun: true, rowsImported: 1, errors: [] });
    const log = await admin.imports.$get({ query: {} });
    expect(log.status).toBe(200);
    if (log.status === 200) expect((await log.json()).data[0]).toMatchObject({ kind: "regions", dryRun: true });
  });
});
