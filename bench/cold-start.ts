import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildSearchDb, migrationsFingerprint } from "./search-load";
import { loadAverage, numberOpt, percentile } from "./support";

/**
 * `npm run bench -- cold-start [--prices=N] [--runs=R]`: the time from starting the server process
 * to its first `/health` 200 (it answers from its "listening on" line), and to its "serving on" line
 * (printed once it has warmed itself up: src/node-http/warm-up.ts), on a fresh database (migrations and seeds included) and on a database
 * of N (default 1,000,000) SYNTHETIC prices (the search bench's), for three ways of starting it,
 * side by side in one run:
 *   - `node dist/node.js`: what a service unit runs;
 *   - `npm start`: npm, the build's staleness check, then the same (exec);
 *   - `node --import tsx src/node.ts`: how `npm start` ran before there was a build.
 * Each run is a new process; the ways alternate run by run; the OS page cache is warm (one untimed
 * start reads the database first). Each run also times the stop: SIGTERM to the started PID → exit.
 */

const ROOT = resolve(import.meta.dirname, "..");

type Way = { name: string; cmd: string; args: string[] };
const WAYS: Way[] = [
  { name: "node dist/node.js", cmd: process.execPath, args: ["dist/node.js"] },
  { name: "npm start", cmd: "npm", args: ["start", "--silent"] },
  { name: "tsx src/node.ts (before)", cmd: process.execPath, args: ["--import", "tsx", "src/node.ts"] },
];

type Run = { readyMs: number; warmMs: number; stopMs: number };

/** Starts the server, waits for its first /health 200 and then its "serving on" line, then stops it with SIGTERM. */
async function startOnce(way: Way, databaseUrl: string): Promise<Run> {
  const started = performance.now();
  const child = spawn(way.cmd, way.args, {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATABASE_URL: databaseUrl, LOG_REQUESTS: "false", RATE_LIMIT_PER_MINUTE: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number>((done) => child.once("exit", () => done(performance.now())));
  let port = 0;
  while (!port) {
    const m = /(?:listening|serving) on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
    if (m) port = Number(m[1]);
    else if (child.exitCode !== null || performance.now() - started > 300_000) throw new Error(`${way.name} did not start:\n${output}`);
    else await new Promise((r) => setImmediate(r));
  }
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => null);
    if (res?.status === 200) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const readyMs = performance.now() - started;
  while (!output.includes("serving on")) {
    if (child.exitCode !== null || performance.now() - started > 300_000) throw new Error(`${way.name} did not finish warming up:\n${output}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  const warmMs = performance.now() - started;
  const stopping = performance.now();
  child.kill("SIGTERM");
  const stopMs = (await exited) - stopping;
  return { readyMs, warmMs, stopMs };
}

/**
 * The million-price database: the search bench's build for the current migrations, else the newest
 * older build copied and brought up to date by one untimed start (as an upgraded server would be),
 * else a new build (about 15 minutes).
 */
async function millionDb(count: number): Promise<{ url: string; note: string; cleanup: () => void }> {
  const dir = join(ROOT, "data/bench");
  const builds = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.startsWith(`search-${count}-seed1-`) && f.endsWith(".db"))
        .map((f) => join(dir, f))
        .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
    : [];
  const current = join(dir, `search-${count}-seed1-${migrationsFingerprint()}.db`);
  if (existsSync(current) || builds.length === 0) {
    const path = await buildSearchDb(count);
    return { url: `file:${join(ROOT, path)}`, note: `the search bench's build ${path}`, cleanup: () => {} };
  }
  mkdirSync(dir, { recursive: true });
  const copy = join(dir, `cold-start-${count}.db`);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(copy + suffix, { force: true });
  copyFileSync(builds[0]!, copy);
  return {
    url: `file:${copy}`,
    note: `a copy of ${builds[0]!.slice(ROOT.length + 1)} (built before the latest migrations; the first, untimed start applies them)`,
    cleanup: () => {
      for (const suffix of ["", "-wal", "-shm"]) rmSync(copy + suffix, { force: true });
    },
  };
}

export async function run(args: string[]): Promise<void> {
  const count = numberOpt(args, "prices", 1_000_000);
  const runs = numberOpt(args, "runs", 7);
  const build = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);

  const big = await millionDb(count);
  const loadStart = loadAverage(", ");
  try {
    const scratch = mkdtempSync(join(tmpdir(), "vbp-cold-"));
    const untimed = await startOnce(WAYS[0]!, big.url); // reads the file into the page cache (and migrates a copy)
    console.log(`  ${count.toLocaleString("en")} SYNTHETIC prices: ${big.note}; first, untimed start ${(untimed.readyMs / 1000).toFixed(2)} s`);
    const results = new Map<string, Run[]>();
    let n = 0;
    for (let i = 0; i < runs; i++) {
      for (const way of WAYS) {
        const fresh = await startOnce(way, `file:${join(scratch, `fresh-${n++}.db`)}`);
        const loaded = await startOnce(way, big.url);
        results.set(`${way.name}|fresh`, [...(results.get(`${way.name}|fresh`) ?? []), fresh]);
        results.set(`${way.name}|big`, [...(results.get(`${way.name}|big`) ?? []), loaded]);
      }
    }
    rmSync(scratch, { recursive: true, force: true });

    console.log(
      `  ${runs} runs of each way on each database, ways alternating; time to the first /health 200, to "serving on" (warmed up), and SIGTERM → exit`,
    );
    console.log(
      `  ${"database".padEnd(22)} ${"started with".padEnd(26)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"max ms".padStart(8)} ${"warm p50".padStart(9)} ${"stop p50".padStart(9)} ${"vs tsx p50".padStart(11)}`,
    );
    for (const [db, label] of [
      ["fresh", "fresh (migrate + seed)"],
      ["big", `${count.toLocaleString("en")} prices`],
    ] as const) {
      const tsx = percentile(
        results.get(`${WAYS[2]!.name}|${db}`)!.map((r) => r.readyMs),
        0.5,
      );
      for (const way of WAYS) {
        const rs = results.get(`${way.name}|${db}`)!;
        const ready = rs.map((r) => r.readyMs);
        const p50 = percentile(ready, 0.5);
        console.log(
          `  ${label.padEnd(22)} ${way.name.padEnd(26)} ${p50.toFixed(0).padStart(8)} ${percentile(ready, 0.95).toFixed(0).padStart(8)} ${Math.max(...ready)
            .toFixed(0)
            .padStart(8)} ${percentile(
            rs.map((r) => r.warmMs),
            0.5,
          )
            .toFixed(0)
            .padStart(9)} ${percentile(
            rs.map((r) => r.stopMs),
            0.5,
          )
            .toFixed(0)
            .padStart(9)} ${(p50 / tsx).toFixed(2).padStart(11)}`,
        );
      }
    }
    console.log(`  load average (1, 5, 15 min) at the start / end: ${loadStart} / ${loadAverage(", ")} (${cpus().length} cores shared with other processes)`);
  } finally {
    big.cleanup();
  }
}
