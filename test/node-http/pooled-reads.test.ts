import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { okJson, typedClient } from "../support/client";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";
import type { Api } from "../support/world";

/**
 * The Node server with READ_THREADS: every answer is the one the single connection gives, and an
 * import through the server is seen by the next read on any thread.
 */
let plain: TestWorld;
let pooled: TestWorld;
let calls: TestWorld;
beforeAll(async () => {
  plain = await createTestWorld();
  pooled = await createTestWorld({ readThreads: 2 });
  calls = await createTestWorld({ readThreads: 2, readCalls: true });
}, 90_000);
afterAll(() => {
  plain?.close();
  pooled?.close();
  calls?.close();
});

const api = (world: TestWorld): Api => typedClient(world.app).api.v1;

/** Each read, named for the failure message, as a typed call. */
const READS: Array<[string, (api: Api) => Promise<Response>]> = [
  ["prices?q=atfttgp", (api) => api.prices.$get({ query: { q: "atfttgp" } })],
  ["prices?q=他汀&sort=-discount", (api) => api.prices.$get({ query: { q: "他汀", sort: "-discount" } })],
  ["prices?sort=unitPrice&limit=2", (api) => api.prices.$get({ query: { sort: "unitPrice", limit: "2" } })],
  ["batches", (api) => api.batches.$get({ query: {} })],
  ["batches/national-drug-4", (api) => api.batches[":id"].$get({ param: { id: "national-drug-4" } })],
  ["suggest?q=at", (api) => api.suggest.$get({ query: { q: "at" } })],
  ["savings?groupBy=batch", (api) => api.savings.$get({ query: { groupBy: "batch" } })],
  ["products/1", (api) => api.products[":id"].$get({ param: { id: "1" }, query: {} })],
  ["products/1?province=广东省&include=ended", (api) => api.products[":id"].$get({ param: { id: "1" }, query: { province: "广东省", include: "ended" } })],
  ["products/999999", (api) => api.products[":id"].$get({ param: { id: "999999" }, query: {} })],
];

/** Pages whose reads run whole on a thread when it can (查询, 产品), as HTML. */
const PAGES = ["/?q=阿莫西林", "/?q=氨氯地平&province=44&page=1", "/products/1", "/products/1?all=1", "/products/999999"];

describe("reads on threads answer as the server's own connection does", () => {
  it.each([
    ["statement by statement", () => pooled],
    ["with whole calls (searches, products)", () => calls],
  ] as const)("gives the same answers, %s", async (_, world) => {
    for (const [name, read] of READS) {
      const a = await read(api(plain));
      const b = await read(api(world()));
      expect(a.status, name).toBe(name.endsWith("999999") ? 404 : 200);
      expect(b.status, name).toBe(a.status);
      // An error's answer names its request, which differs: its code and message must not.
      const same = (body: { error?: { code: string; message: string } }) =>
        JSON.stringify(body.error ? { code: body.error.code, message: body.error.message } : body);
      expect(b.headers.get("content-type"), name).toBe(a.headers.get("content-type"));
      expect(same(await b.json()), name).toBe(same(await a.json()));
    }
    for (const path of PAGES) {
      const [a, b] = [await plain.app.request(path), await world().app.request(path)];
      expect(a.status, path).toBe(path.endsWith("999999") ? 404 : 200);
      expect(b.status, path).toBe(a.status);
      // The request's own number (请求编号 on an error page) differs; nothing else may.
      const page = async (res: Response) => (await res.text()).replace(/请求编号：[0-9a-f-]+/, "请求编号");
      expect(await page(b), path).toBe(await page(a));
    }
  });

  it("sees an import at once", async () => {
    const before = await okJson(api(pooled).batches.$get({ query: {} }));
    // Raw: a text/csv body, which the typed client cannot send (it sends only the multipart form).
    const res = await pooled.app.request("/api/v1/imports?kind=batches", {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv" },
      body: "id,name,level,category\ntest-pool-batch,读线程测试批次,provincial,drug\n",
    });
    expect(res.status).toBe(200);
    const after = await okJson(api(pooled).batches.$get({ query: {} }));
    expect(after.meta.total).toBe(before.meta.total + 1);
  });
});
