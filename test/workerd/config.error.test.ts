import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/worker";

/** Calls the Worker with bindings other than the configured ones, as a wrong deployment would. */
async function fetchWith(bindings: Record<string, unknown>, path = "/api/v1/prices?q=x") {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://vbp.test${path}`), bindings, ctx as never);
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (await res.json()) as any };
}

describe("a misconfigured Worker answers a structured 500, never a crash", () => {
  it("names the missing DB binding and how to add it", async () => {
    const { status, body } = await fetchWith({ ADMIN_TOKEN: env.ADMIN_TOKEN });
    expect(status).toBe(500);
    expect(body.error.code).toBe("worker_misconfigured");
    expect(body.error.message).toContain("DB");
    expect(body.error.message).toContain("[[d1_databases]]");
    expect(body.error.details).toEqual([{ binding: "DB", message: expect.stringContaining("DATABASE_URL") }]);
    expect(body.error.requestId).toBeTruthy();
  });

  it("refuses a DB binding that is not a D1 database", async () => {
    const { status, body } = await fetchWith({ DB: "vbp" });
    expect(status).toBe(500);
    expect(body.error.details[0].binding).toBe("DB");
  });

  it("refuses a file: DATABASE_URL, which cannot work without a file system", async () => {
    const { status, body } = await fetchWith({ DATABASE_URL: "file:./data/vbp.db" });
    expect(status).toBe(500);
    expect(body.error.details).toEqual([{ binding: "DATABASE_URL", message: expect.stringContaining("no file system") }]);
  });

  it("refuses a short ADMIN_TOKEN and a body limit above what Workers accept", async () => {
    const { body } = await fetchWith({ DB: env.DB, ADMIN_TOKEN: "short", IMPORT_BODY_LIMIT_MB: "500" });
    expect(body.error.details.map((d: any) => d.binding).sort()).toEqual(["ADMIN_TOKEN", "IMPORT_BODY_LIMIT_MB"]);
  });

  it("serves normally with the configured bindings", async () => {
    const { status, body } = await fetchWith(env, "/health");
    expect(status).toBe(200);
    expect(body.status).toBe("ok");
  });
});
