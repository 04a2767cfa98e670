import { beforeAll, describe, expect, it } from "vitest";
import { errorJson, typedClient } from "../support/client";
import { useTestWorld } from "../support/world";

/** An answer of the typed client or, for what its types refuse to send, of a raw request. */
type Answer = { ok: boolean; status: number; headers: Headers; text(): Promise<string>; json(): Promise<unknown> };

describe("one error contract", () => {
  const world = useTestWorld();
  let client: ReturnType<typeof typedClient>;
  let api: ReturnType<typeof typedClient>["api"]["v1"];
  beforeAll(async () => {
    client = typedClient(world.app);
    api = client.api.v1;
  });

  const expectError = async (pending: Answer | Promise<Answer>, status: number, code: string) => {
    const res = await pending;
    const what = `${code} ${status}`;
    const requestId = res.headers.get("x-request-id");
    const { status: got, body } = await errorJson(res);
    expect(got, what).toBe(status);
    expect(body.error.code, what).toBe(code);
    expect(typeof body.error.message).toBe("string");
    expect(body.error.requestId).toBe(requestId);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+|node_modules|SELECT /);
    return body;
  };
  /** Values the client's types refuse (an unknown enum value, an unknown path) go as raw requests. */
  const raw = (path: string) => world.app.request(path);

  it("rejects invalid query parameters with 400 and details", async () => {
    const body = await expectError(api.prices.$get({ query: { limit: "500" } }), 400, "validation_error");
    expect((body.error.details as { path: string }[])[0]!.path).toBe("limit");
    await expectError(raw("/api/v1/prices?sort=price"), 400, "validation_error");
    await expectError(raw("/api/v1/prices?level=county"), 400, "validation_error");
    await expectError(api.prices.$get({ query: { minDiscount: "abc" } }), 400, "validation_error");
    await expectError(api.prices.$get({ query: { maxUnitPrice: "-1" } }), 400, "validation_error");
    await expectError(raw("/api/v1/batches?category=food"), 400, "validation_error");
  });

  it("rejects a cursor it did not issue and an unknown region", async () => {
    await expectError(api.prices.$get({ query: { cursor: "bm90LWEtY3Vyc29y" } }), 400, "invalid_cursor");
    await expectError(raw("/api/v1/prices?cursor=%%%"), 400, "invalid_cursor");
    await expectError(api.prices.$get({ query: { region: "火星" } }), 400, "unknown_region");
  });

  it("answers 404 for unknown ids and routes, 400 for ids that are not ids", async () => {
    await expectError(api.prices[":id"].$get({ param: { id: "999999" } }), 404, "not_found");
    await expectError(api.products[":id"].$get({ param: { id: "999999" }, query: {} }), 404, "not_found");
    await expectError(api.batches[":id"].$get({ param: { id: "no-such-batch" } }), 404, "not_found");
    await expectError(raw("/api/v1/nothing-here"), 404, "not_found");
    await expectError(api.prices[":id"].$get({ param: { id: "abc" } }), 400, "validation_error");
    await expectError(api.products[":id"].$get({ param: { id: "-3" }, query: {} }), 400, "validation_error");
  });

  it("puts a request id on every response and keeps a caller's well-formed one", async () => {
    const ok = await client.health.$get();
    expect(ok.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const mine = await client.health.$get(undefined, { headers: { "x-request-id": "hospital-123" } });
    expect(mine.headers.get("x-request-id")).toBe("hospital-123");
    const hostile = await client.health.$get(undefined, { headers: { "x-request-id": "a b<script>" } });
    expect(hostile.headers.get("x-request-id")).not.toContain("script");
  });
});
