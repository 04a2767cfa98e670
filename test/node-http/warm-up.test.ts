import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WARM_UP_HEADER, WARM_UP_PATHS, warmUp } from "../../src/node-http/warm-up";
import { runNpm, type Service } from "../support/service";

describe("warming a fresh server up", () => {
  it("asks every path once a round, all of a round at once, and reports failed answers without throwing", async () => {
    const asked: string[] = [];
    let inFlight = 0;
    let most = 0;
    const report = await warmUp(
      async (path) => {
        asked.push(path);
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        if (path === "/batches") throw new Error("socket hang up");
        return path === "/health" ? 503 : 200;
      },
      2,
      10_000,
    );
    expect(asked.length).toBe(2 * WARM_UP_PATHS.length);
    for (const path of WARM_UP_PATHS) expect(asked.filter((p) => p === path).length, path).toBe(2);
    expect(most).toBe(WARM_UP_PATHS.length);
    expect(report.requests).toBe(2 * WARM_UP_PATHS.length);
    expect(report.failed.sort()).toEqual(["/batches → socket hang up", "/health → 503"]);
  });

  it("starts no round once its time is up", async () => {
    const report = await warmUp(() => new Promise((r) => setTimeout(() => r(200), 30)), 5, 10);
    expect(report.requests).toBe(WARM_UP_PATHS.length);
    expect(report.ms).toBeGreaterThanOrEqual(25);
  });
});

describe("a server started with npm start warms itself up before it says it serves", () => {
  const dir = mkdtempSync(join(tmpdir(), "vbp-warm-"));
  let service: Service;
  let base = "";

  beforeAll(async () => {
    service = await runNpm(["start"], { PORT: "0", DATABASE_URL: `file:${join(dir, "vbp.db")}`, LOG_REQUESTS: "true", RATE_LIMIT_PER_MINUTE: "3" });
    base = `http://127.0.0.1:${service.port}`;
  }, 90_000);

  afterAll(async () => {
    if (service?.child.exitCode === null) {
      process.kill(service.child.pid!, "SIGTERM");
      await service.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers every warm-up path, logs none of them and spends none of a client's budget", async () => {
    const output = service.output();
    // It says when it listens, then when it has warmed up.
    expect(output).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+: warming up[\s\S]*serving on http:\/\/127\.0\.0\.1:\d+ .*warmed up in \d+ ms/);
    expect(output).not.toContain("warm-up requests failed");
    // Nothing was logged before the server said it serves: 2 × 15 warm-up requests went through it.
    expect(output.slice(0, output.indexOf("serving on"))).not.toContain('"path"');
    // A rate limit of 3 a minute: the warm-up from 127.0.0.1 spent none of it.
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${base}/api/v1/batches`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    await new Promise((r) => setTimeout(r, 100));
    expect(service.output().match(/"path":"\/api\/v1\/batches"/g)?.length).toBe(4);
  });

  it("treats a request with a guessed warm-up header as any other: logged and limited", async () => {
    const res = await fetch(`${base}/api/v1/batches`, { headers: { [WARM_UP_HEADER]: "00000000-0000-4000-8000-000000000000" } });
    expect(res.status).toBe(429);
    await new Promise((r) => setTimeout(r, 100));
    expect(service.output().match(/"path":"\/api\/v1\/batches"/g)?.length).toBe(5);
  });
});
