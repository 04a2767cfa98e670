import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

describe("browser-facing protections", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld({ rateLimitPerMinute: 5 });
  });
  afterAll(() => world.close());

  it("sends secure headers on every answer", async () => {
    const res = await world.app.request("/api/v1/batches", { headers: { "cf-connecting-ip": "198.51.100.1" } });
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("lets any origin read the API but not write to it", async () => {
    const read = await world.app.request("/api/v1/batches", { headers: { origin: "https://his.example-hospital.cn", "cf-connecting-ip": "198.51.100.2" } });
    expect(read.headers.get("access-control-allow-origin")).toBe("*");
    // A hospital system's page may read the ETag and request id of what it fetched.
    expect(read.headers.get("access-control-expose-headers")).toContain("ETag");
    expect(read.headers.get("access-control-expose-headers")).toContain("X-Request-Id");
    const readPreflight = await world.app.request("/api/v1/prices", {
      method: "OPTIONS",
      headers: { origin: "https://his.example-hospital.cn", "access-control-request-method": "GET", "cf-connecting-ip": "198.51.100.2" },
    });
    expect(readPreflight.status).toBe(204);
    expect(readPreflight.headers.get("access-control-allow-methods")).toContain("GET");
    expect(readPreflight.headers.get("access-control-allow-headers")).toContain("If-None-Match");
    const preflight = await world.app.request("/api/v1/imports?kind=prices", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST", "cf-connecting-ip": "198.51.100.2" },
    });
    expect(preflight.headers.get("access-control-allow-methods") ?? "").not.toContain("POST");
    const write = await world.app.request("/api/v1/imports?kind=prices", {
      method: "POST",
      headers: { origin: "https://evil.example", authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv", "cf-connecting-ip": "198.51.100.2" },
      body: "genericName,chosenPrice\n",
    });
    expect(write.status).toBe(403);
    expect((await write.json()).error.code).toBe("cross_origin_write");
  });

  it("limits each client per minute with 429 and Retry-After, without affecting another client", async () => {
    // The address of the socket, as @hono/node-server hands it to the app.
    const hit = (ip: string) => world.app.request("/api/v1/batches", {}, { incoming: { socket: { remoteAddress: ip } } });
    for (let i = 0; i < 5; i++) expect((await hit("203.0.113.9")).status).toBe(200);
    const limited = await hit("203.0.113.9");
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await limited.json()).error.code).toBe("rate_limited");
    expect(limited.headers.get("ratelimit-limit")).toBe("5");
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
    expect((await hit("203.0.113.10")).status).toBe(200);
  });
});
