import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestWorld, getJson, type TestWorld } from "../support/test-db";

describe("one error contract", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(() => world.close());

  const expectError = async (path: string, status: number, code: string) => {
    const { status: got, body, res } = await getJson(world.app, path);
    expect(got, path).toBe(status);
    expect(body.error.code, path).toBe(code);
    expect(typeof body.error.message).toBe("string");
    expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+|node_modules|SELECT /);
    return body;
  };

  it("rejects invalid query parameters with 400 and details", async () => {
    const body = await expectError("/api/v1/prices?limit=500", 400, "validation_error");
    expect(body.error.details[0].path).toBe("limit");
    await expectError("/api/v1/prices?sort=price", 400, "validation_error");
    await expectError("/api/v1/prices?level=county", 400, "validation_error");
    await expectError("/api/v1/prices?minDiscount=abc", 400, "validation_error");
    await expectError("/api/v1/prices?maxUnitPrice=-1", 400, "validation_error");
    await expectError("/api/v1/batches?category=food", 400, "validation_error");
  });

  it("rejects a cursor it did not issue and an unknown region", async () => {
    await expectError("/api/v1/prices?cursor=bm90LWEtY3Vyc29y", 400, "invalid_cursor");
    await expectError("/api/v1/prices?cursor=%%%", 400, "invalid_cursor");
    await expectError(`/api/v1/prices?region=${encodeURIComponent("火星")}`, 400, "unknown_region");
  });

  it("answers 404 for unknown ids and routes, 400 for ids that are not ids", async () => {
    await expectError("/api/v1/prices/999999", 404, "not_found");
    await expectError("/api/v1/products/999999", 404, "not_found");
    await expectError("/api/v1/batches/no-such-batch", 404, "not_found");
    await expectError("/api/v1/nothing-here", 404, "not_found");
    await expectError("/api/v1/prices/abc", 400, "validation_error");
    await expectError("/api/v1/products/-3", 400, "validation_error");
  });

  it("puts a request id on every response and keeps a caller's well-formed one", async () => {
    const ok = await world.app.request("/health");
    expect(ok.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const mine = await world.app.request("/health", { headers: { "x-request-id": "hospital-123" } });
    expect(mine.headers.get("x-request-id")).toBe("hospital-123");
    const hostile = await world.app.request("/health", { headers: { "x-request-id": "a b<script>" } });
    expect(hostile.headers.get("x-request-id")).not.toContain("script");
  });
});
