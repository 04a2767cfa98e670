import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EventLoopReport, watchEventLoop } from "../support/event-loop";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

const DRY_RUNS = 20;
const READ_EVERY_MS = 20;
/** How long the lock stays held after the last dry run: the old per-dry-run retries fired every 2 s. */
const HOLD_AFTER_MS = 4500;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Another process (a CLI import) holds the write lock while an administrator runs dry runs through
 * the server. A dry run writes nothing but its audit row, so it must answer at once, and the server
 * must keep answering reads: the embedded driver waits for a lock synchronously, so every attempt
 * that waited the busy timeout froze the whole event loop (before, each dry run waited 250 ms at
 * once and again every 2 s in its own retry loop: twenty of them kept the server frozen). Once the
 * lock is free, every audit row is written.
 */
describe("dry runs while another process holds the write lock", () => {
  let world: TestWorld;
  beforeAll(async () => {
    // Reads on two threads, as the Node server runs them by default (READ_THREADS=2).
    world = await createTestWorld({ readThreads: 2 });
    // Warm: the first requests compile the app's code, and the connection gets its busy timeout.
    for (let w = 0; w < 20; w++) await (await world.app.request(`/api/v1/prices?q=${encodeURIComponent("阿托伐他汀")}&limit=20`)).arrayBuffer();
  }, 60_000);
  afterAll(() => world.close());

  it(`answers ${DRY_RUNS} dry runs at once, keeps the event loop free, and writes their audit rows when the lock is released`, async () => {
    const other = createClient({ url: world.url });
    const before = Number((await other.execute("SELECT count(*) AS n FROM imports WHERE dry_run = 1")).rows[0]!.n);
    const tx = await other.transaction("write");
    await tx.execute("INSERT INTO app_meta (key, value) VALUES ('lock-holder', 'x')");
    const lates: Array<Promise<{ status: number; late: number }>> = [];
    const dryRuns: Array<{ status: number; importId?: number; warnings: string[]; ms: number }> = [];
    let holding = true;
    let delay: EventLoopReport | undefined;
    try {
      const loop = watchEventLoop();
      // Reads on a fixed schedule, each timed from when it was due: a frozen event loop makes them late.
      const started = performance.now();
      const reads = (async () => {
        for (let i = 0; holding; i++) {
          const due = started + i * READ_EVERY_MS;
          const wait = due - performance.now();
          if (wait > 0) await sleep(wait);
          lates.push(
            Promise.resolve(world.app.request("/api/v1/batches")).then(async (res) => {
              await res.arrayBuffer();
              return { status: res.status, late: performance.now() - due };
            }),
          );
        }
      })();
      // One after another (the server takes one upload at a time), for at most 15 s.
      for (let d = 0; d < DRY_RUNS && performance.now() - started < 15_000; d++) {
        const t0 = performance.now();
        const res = await world.app.request("/api/v1/imports?kind=regions&dryRun=true", {
          method: "POST",
          headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv" },
          body: `code,name,level\n99${String(d).padStart(4, "0")},测试区${d},province\n`,
        });
        const body = (await res.json()) as { importId?: number; warnings?: string[] };
        dryRuns.push({ status: res.status, importId: body.importId, warnings: body.warnings ?? [], ms: performance.now() - t0 });
      }
      await sleep(HOLD_AFTER_MS);
      holding = false;
      await reads;
      delay = loop.stop();
    } finally {
      holding = false;
      await tx.rollback();
      tx.close();
    }
    const answered = await Promise.all(lates);
    const late = answered.map((r) => r.late).sort((a, b) => a - b);
    const dryMs = dryRuns.map((d) => d.ms).sort((a, b) => a - b);
    console.log(
      `${dryRuns.length} dry runs under another process's write lock: answered in p50 ${percentile(dryMs, 50).toFixed(0)} ms, max ${dryMs.at(-1)!.toFixed(0)} ms; ` +
        `${late.length} reads, late by p50 ${percentile(late, 50).toFixed(0)} ms, p99 ${percentile(late, 99).toFixed(0)} ms, max ${late.at(-1)!.toFixed(0)} ms; ` +
        delay!.summary,
    );
    // Every dry run answered, saying its audit row waits for the lock (before ff0bce9 the frozen server
    // had answered 5 of the 20 after 15 s, one of them in 38 s, its event-loop delay p99 4.2 s).
    expect(dryRuns.map((d) => d.status)).toEqual(Array(DRY_RUNS).fill(200));
    for (const d of dryRuns) {
      expect(d.importId).toBe(0);
      expect(d.warnings.some((w) => w.includes("write lock"))).toBe(true);
    }
    expect(answered.filter((r) => r.status !== 200)).toEqual([]);
    // The event loop never waited for the lock. Before, every dry run waited the 250 ms busy timeout
    // once and again every 2 s in its own retry loop: most of the loop's samples were late by 250 ms
    // or more (and the test ran out of time, reads answering 503). Quiet, it is late by a few ms; on
    // a loaded 2-core machine p99 60-90 ms was measured.
    expect(delay!.p99Ms).toBeLessThan(200);
    expect(percentile(late, 99)).toBeLessThan(1000);
    // Released: every audit row is written (the queue retries every 2 s).
    let after = before;
    for (let t = 0; t < 40 && after < before + DRY_RUNS; t++) {
      await sleep(250);
      after = Number((await other.execute("SELECT count(*) AS n FROM imports WHERE dry_run = 1")).rows[0]!.n);
    }
    other.close();
    expect(after - before).toBe(DRY_RUNS);
  }, 60_000);
});
