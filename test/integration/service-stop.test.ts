import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runGen } from "../../src/cli/gen";
import { dumpDatabase } from "../support/db-dump";
import { isRunning, processTree, runNpm, type Service, sleep, slowUpload, tryConnect } from "../support/service";

const ADMIN_TOKEN = "service-stop-admin-token-0123456789";
// A hospital's purchase list as the price-check page's template has it: the seeded atorvastatin and stent.
const PURCHASE_LIST = new TextEncoder().encode(
  "医保编码,批准文号,通用名,剂型,规格,包装,生产企业,进价,数量\n,,阿托伐他汀钙片,片剂,,,,5.2,100\n,,冠脉支架,,,,,700,3\n",
);

const dir = mkdtempSync(join(tmpdir(), "vbp-stop-"));
const started: Service[] = [];

function env(db: string, graceSeconds: number): Record<string, string> {
  return { PORT: "0", HOST: "127.0.0.1", DATABASE_URL: `file:${join(dir, db)}`, ADMIN_TOKEN, LOG_REQUESTS: "false", SHUTDOWN_GRACE_S: String(graceSeconds) };
}

async function start(db: string, graceSeconds: number): Promise<Service> {
  const service = await runNpm(["start"], env(db, graceSeconds));
  started.push(service);
  return service;
}

/** Waits until no process of `tree` runs, up to `ms`; returns those still running. */
async function waitForEnd(tree: number[], ms: number): Promise<number[]> {
  const until = performance.now() + ms;
  while (tree.some(isRunning) && performance.now() < until) await sleep(20);
  return tree.filter(isRunning);
}

const BIG_ROWS = 60_000;
let batchesCsv: Buffer<ArrayBuffer>;
let pricesCsv: Buffer<ArrayBuffer>;
let bigPricesCsv: Buffer<ArrayBuffer>;

beforeAll(async () => {
  await runGen({ prices: 4000, out: dir, seed: 11 });
  batchesCsv = readFileSync(join(dir, "batches.csv")) as Buffer<ArrayBuffer>;
  pricesCsv = readFileSync(join(dir, "prices.csv")) as Buffer<ArrayBuffer>;
  // The same synthetic batches (they depend on the seed only), with more prices.
  await runGen({ prices: BIG_ROWS, out: join(dir, "big"), seed: 11 });
  bigPricesCsv = readFileSync(join(dir, "big", "prices.csv")) as Buffer<ArrayBuffer>;
}, 60_000);

afterEach(() => {
  // A failed assertion must not leave a server behind (npm may be gone and the server orphaned):
  // end the process group this test started, by its id.
  for (const s of started.splice(0)) {
    try {
      process.kill(-s.child.pid!, "SIGKILL");
    } catch {
      // the group has ended
    }
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm start as a service: SIGTERM to npm's PID stops the whole tree gracefully", () => {
  it("finishes a slow request in flight with 200, cancels an unfinished import without writing anything, closes the port and ends every process within the grace period", async () => {
    const graceSeconds = 4;
    const service = await start("graceful.db", graceSeconds);
    const base = `http://127.0.0.1:${service.port}`;
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

    // An import through the API works (and is kept), so the database is not trivially empty.
    const batches = await fetch(`${base}/api/v1/imports?kind=batches`, { method: "POST", headers: { ...auth, "content-type": "text/csv" }, body: batchesCsv });
    expect(batches.status).toBe(200);
    const before = await dumpDatabase(`file:${join(dir, "graceful.db")}`);
    expect(before.counts.batches).toBeGreaterThan(0);

    // Two requests in flight: a purchase list arriving slowly, and a 4,000-price import whose upload will not finish in time.
    const slow = slowUpload(service.port, "/api/v1/price-check", PURCHASE_LIST);
    const importing = slowUpload(service.port, "/api/v1/imports?kind=prices", pricesCsv, auth);
    await sleep(300);
    const tree = processTree(service.child.pid!);
    expect(tree.length).toBeGreaterThanOrEqual(2); // npm and the node server under it
    expect(tree.slice(1).every(isRunning)).toBe(true);

    const signalled = performance.now();
    process.kill(service.child.pid!, "SIGTERM"); // npm's PID alone, as systemd, docker or a process manager does

    // New connections are refused at once; the requests in flight go on.
    let refusedAfterMs = Infinity;
    while (performance.now() - signalled < 1500) {
      if ((await tryConnect(service.port)) === "refused") {
        refusedAfterMs = performance.now() - signalled;
        break;
      }
      await sleep(25);
    }
    expect(refusedAfterMs).toBeLessThan(1500);

    await sleep(1000);
    slow.finish();
    const slowAnswer = await slow.response;
    expect(slowAnswer).toMatchObject({ status: 200 });
    const lines = JSON.parse((slowAnswer as { body: string }).body).data as Array<{ input: { genericName: string } }>;
    expect(lines.map((l) => l.input.genericName)).toEqual(["阿托伐他汀钙片", "冠脉支架"]);

    // The import never finished uploading: it is cancelled before the grace period ends.
    const importAnswer = await importing.response;
    expect(importAnswer).toHaveProperty("error");

    const left = await waitForEnd(tree, graceSeconds * 1000 + 5000);
    const endedAfterMs = performance.now() - signalled;
    expect(left, "processes still running").toEqual([]);
    expect(endedAfterMs).toBeLessThan(graceSeconds * 1000);
    expect(await service.exited).toMatchObject({ code: 0, signal: null });
    expect(await tryConnect(service.port)).toBe("refused");
    expect(service.output()).toMatch(/SIGTERM: stopping; no new connections, 2 request\(s\) in flight/);
    expect(service.output()).toMatch(/cancelled 1 request\(s\) still running; database closed/);

    const after = await dumpDatabase(`file:${join(dir, "graceful.db")}`);
    expect(after.integrity).toBe("ok");
    expect(after.counts).toEqual(before.counts);
    expect(after.digest).toBe(before.digest);
  });

  it("an import whose whole file was sent when the stop began is cancelled at the deadline while it is read and validated: nothing written", async () => {
    // 0.5 s of grace: requests are cancelled after 0.4 s, long before 60,000 prices are validated.
    const service = await start("validating.db", 0.5);
    const base = `http://127.0.0.1:${service.port}`;
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    expect(
      (await fetch(`${base}/api/v1/imports?kind=batches`, { method: "POST", headers: { ...auth, "content-type": "text/csv" }, body: batchesCsv })).status,
    ).toBe(200);
    const before = await dumpDatabase(`file:${join(dir, "validating.db")}`);

    const tree = processTree(service.child.pid!);
    const importing = slowUpload(service.port, "/api/v1/imports?kind=prices", bigPricesCsv, auth);
    importing.finish();
    // The whole file handed to the server (or an early answer, which the assertions below report).
    await Promise.race([new Promise((r) => importing.req.once("finish", r)), importing.response]);
    process.kill(service.child.pid!, "SIGTERM");
    const answer = await importing.response;
    expect(answer).toHaveProperty("error"); // the connection was dropped, no report
    expect(await waitForEnd(tree, 20_000)).toEqual([]);
    expect(await service.exited).toMatchObject({ code: 0 });
    expect(service.output()).toMatch(/cancelled 1 request\(s\) still running; database closed/);

    const after = await dumpDatabase(`file:${join(dir, "validating.db")}`);
    expect(after.integrity).toBe("ok");
    expect(after.counts).toEqual(before.counts);
    expect(after.digest).toBe(before.digest);
  }, 90_000);

  it("stops at once when nothing is in flight, even with a kept-alive idle connection", async () => {
    const service = await start("idle.db", 10);
    const health = await fetch(`http://127.0.0.1:${service.port}/health`); // undici keeps the connection open
    expect(health.status).toBe(200);
    await health.text();
    const tree = processTree(service.child.pid!);
    const signalled = performance.now();
    process.kill(service.child.pid!, "SIGTERM");
    expect(await waitForEnd(tree, 10_000)).toEqual([]);
    expect(performance.now() - signalled).toBeLessThan(2000);
    expect(await service.exited).toMatchObject({ code: 0 });
    expect(service.output()).toContain("every request finished; database closed");
  });

  it("treats Ctrl-C in a terminal (SIGINT to npm and the server at once, then npm's forwarded copy) as one graceful stop", async () => {
    const service = await start("ctrl-c.db", 6);
    const slow = slowUpload(service.port, "/api/v1/price-check", PURCHASE_LIST);
    await sleep(300);
    const tree = processTree(service.child.pid!);
    process.kill(-service.child.pid!, "SIGINT"); // the whole foreground process group, as the terminal does
    await sleep(800);
    slow.finish();
    expect(await slow.response).toMatchObject({ status: 200 });
    expect(await waitForEnd(tree, 8000)).toEqual([]);
    expect(await service.exited).toMatchObject({ code: 0 });
    expect(service.output()).toContain("SIGINT: stopping");
    expect(service.output()).not.toContain("stopped at once");
  });

  it("stops at once on a second signal, without waiting for the requests in flight", async () => {
    const graceSeconds = 20;
    const service = await start("twice.db", graceSeconds);
    const slow = slowUpload(service.port, "/api/v1/price-check", PURCHASE_LIST);
    await sleep(300);
    const tree = processTree(service.child.pid!);
    process.kill(service.child.pid!, "SIGTERM");
    await sleep(1000);
    expect(tree.every(isRunning)).toBe(true); // still waiting for the slow upload
    const second = performance.now();
    process.kill(service.child.pid!, "SIGTERM");
    expect(await waitForEnd(tree, 5000)).toEqual([]);
    expect(performance.now() - second).toBeLessThan(3000);
    expect(await slow.response).toHaveProperty("error");
    expect(service.output()).toContain("SIGTERM again: stopped at once");
    const after = await dumpDatabase(`file:${join(dir, "twice.db")}`);
    expect(after.integrity).toBe("ok");
  });
});
