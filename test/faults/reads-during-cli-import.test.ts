import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runGen } from "../../src/cli/gen";
import { runImport } from "../../src/services/imports";
import { watchEventLoop } from "../support/event-loop";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

const ROWS = 40_000;
const READ_EVERY_MS = 25;
const DRY_RUN_EVERY_MS = 300;
const EVENT_LOOP_MAX_MS = 1000;
const NAMES = ["阿托伐他汀", "氨氯地平", "二甲双胍", "头孢", "瑞舒伐他汀", "恩替卡韦", "氯吡格雷", "厄贝沙坦", "SYN", "片剂"];

/** Distinct searches: every name, both sorts, 40 page sizes. */
const readPath = (i: number) =>
  `/api/v1/prices?q=${encodeURIComponent(NAMES[i % NAMES.length]!)}&limit=${10 + (i % 40)}&sort=${i % 2 ? "discount" : "relevance"}`;
const dryRun = (world: TestWorld) =>
  world.app.request("/api/v1/imports?kind=regions&dryRun=true", {
    method: "POST",
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv" },
    body: "code,name,level\n990000,测试区,province\n",
  });
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * The server and a CLI import share one database file. The CLI holds the write lock for most of
 * its run, then commits and checkpoints; the server's reads must keep their latency meanwhile, and
 * a dry run (which writes only its audit row) must still answer. Reads are due on a fixed schedule,
 * one every 25 ms whatever the answers take, and each is timed from when it was due: a stalled
 * event loop sends no read meanwhile, so the stall shows as late reads, and as event-loop delay.
 */
describe("reads and dry runs while the CLI imports into the same database", () => {
  let world: TestWorld;
  let csv: string;
  beforeAll(async () => {
    // Reads on two threads, as the Node server runs them by default (READ_THREADS=2).
    world = await createTestWorld({ readThreads: 2 });
    await runGen({ prices: ROWS, out: world.dir, seed: 11 });
    const batches = await runImport(world.db, { kind: "batches", bytes: readFileSync(join(world.dir, "batches.csv")) });
    expect(batches.errors).toEqual([]);
    csv = join(world.dir, "prices.csv");
  }, 120_000);
  afterAll(() => world.close());

  it(`keeps read p99 under 500 ms and answers every dry run while ${ROWS.toLocaleString("en")} prices are imported`, async () => {
    // Warm first, as a server that has been answering is: the first requests compile the app's code.
    // The same mix as below (both sorts, every name), two at a time so both read threads warm too,
    // and one dry run (the upload path loads its modules on first use).
    for (let w = 0; w < 80; w += 2) await Promise.all([w, w + 1].map(async (i) => (await world.app.request(readPath(i))).arrayBuffer()));
    expect((await dryRun(world)).status).toBe(200);
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/cli/import.ts", "prices", csv], {
      env: { ...process.env, DATABASE_URL: world.url },
      stdio: ["ignore", "ignore", "pipe"],
    });
    // The import begins with its first progress line (stderr): before it the CLI is starting up,
    // here compiling TypeScript with tsx on both cores, which the built CLI (npm run import) never does.
    let stderr = "";
    const importing = new Promise<void>((resolve) =>
      child.stderr!.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    await Promise.race([importing, exited]);
    let done = false;
    // Reads go on for 3 s after the CLI exits: its commit's aftermath (the audit rows of the dry runs
    // that met its lock are written within 2 s, first reads of the new rows) is part of the import.
    let readsUntil = Infinity;
    void exited.then(() => {
      done = true;
      readsUntil = performance.now() + 3000;
    });
    const reads: Array<Promise<number>> = [];
    const dryRuns: Array<{ status: number; warnings: string[]; ms: number }> = [];
    // Dry runs one after another, a pause between: the server takes one upload at a time, so an
    // open loop of dry runs answered 409 whenever one took longer than the pause.
    const started = performance.now();
    const dryRunLoop = (async () => {
      while (!done) {
        const d0 = performance.now();
        const res = await dryRun(world);
        dryRuns.push({ status: res.status, warnings: ((await res.json()) as { warnings?: string[] }).warnings ?? [], ms: performance.now() - d0 });
        await new Promise((r) => setTimeout(r, DRY_RUN_EVERY_MS));
      }
    })();
    const loop = watchEventLoop();
    for (let i = 0; performance.now() < readsUntil && performance.now() - started < 180_000; i++) {
      // Due at a fixed time: when the loop was held up, the reads it owes go out at once, late.
      const due = started + i * READ_EVERY_MS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      reads.push(
        Promise.resolve(world.app.request(readPath(i))).then(async (res) => {
          await res.arrayBuffer();
          expect(res.status).toBe(200);
          return performance.now() - due;
        }),
      );
    }
    await dryRunLoop;
    expect(await exited, stderr).toBe(0);
    const latencies = (await Promise.all(reads)).sort((a, b) => a - b);
    const eventLoop = loop.stop();
    const dry = dryRuns;
    const p99 = percentile(latencies, 99);
    console.log(
      `reads during a CLI import of ${ROWS} prices (${((performance.now() - started) / 1000).toFixed(1)} s): ${latencies.length} reads, from when each was due p50 ${percentile(latencies, 50).toFixed(0)} ms, ` +
        `p99 ${p99.toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms; ${eventLoop.summary}; ` +
        `${dry.length} dry runs, ${dry.filter((d) => d.warnings.some((w) => w.includes("write lock"))).length} while the CLI held the lock`,
    );
    expect(latencies.length).toBeGreaterThan(40);
    expect(p99).toBeLessThan(500);
    // The serving thread never stalls: a wait of a second anywhere (a lock, a synchronous statement)
    // breaks the max. Measured 0.32 s at load 11; 0.77 s before the audit rows that waited for the
    // CLI's lock were written one per turn of the event loop instead of all at once.
    expect(eventLoop.maxMs).toBeLessThan(EVENT_LOOP_MAX_MS);
    expect(dry.map((d) => d.status).filter((s) => s !== 200)).toEqual([]);
    // Some dry runs met the CLI's lock and were answered anyway, their audit rows left for later.
    expect(dry.some((d) => d.warnings.some((w) => w.includes("write lock")))).toBe(true);
  }, 240_000);
});
