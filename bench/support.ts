import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { Agent, get } from "node:http";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import autocannon from "autocannon";

/*
 * What the benches share: their options, the servers they start on 127.0.0.1, the load they put on
 * them, and the figures they print (medians, percentiles, the machine's load beside them).
 */

/** What pharmacists type, all found in the real seeds: Chinese names and fragments, 拼音码, English. */
export const SEED_SEARCHES = ["阿托伐他汀", "氯吡格雷", "atfttgp", "amlodipine", "恩替卡韦", "注射", "瑞舒伐他汀", "lbgl"];

/** `--name=N` from a bench's arguments, else `fallback`. */
export function numberOpt(args: readonly string[], name: string, fallback: number): number {
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
}

/** The machine's load average over 1, 5 and 15 minutes, as printed beside every figure (2 shared cores). */
export function loadAverage(separator = " "): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(separator);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The nearest-rank percentile (q from 0 to 1): the smallest value with at least q of the values at or below it. */
export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * Reads a database file and its WAL once, start to end, so that its pages are in the OS page cache when
 * a measurement starts, as on a machine that serves it. This machine's memory manager (DAMON, in the VM)
 * pages out file pages left unused for about a minute (60 s: see /sys/kernel/mm/damon), so a database
 * built or last read minutes before is read back from disk, page by page, by the first queries that
 * touch it. Not a warm-up of any query: every page is read once, in file order.
 */
export function readFileThrough(path: string): { mb: number; ms: number } {
  const started = performance.now();
  const buf = Buffer.allocUnsafe(4 << 20);
  let bytes = 0;
  for (const file of [path, `${path}-wal`]) {
    if (!existsSync(file)) continue;
    const fd = openSync(file, "r");
    try {
      for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null)) bytes += n;
    } finally {
      closeSync(fd);
    }
  }
  return { mb: Math.round(bytes / 2 ** 20), ms: Math.round(performance.now() - started) };
}

/**
 * A GET over node:http on kept-alive connections, the body read and dropped; true for a 2xx answer,
 * false for another status or a failed connection. The load a bench makes shares the two cores with
 * the server it measures: fetch (undici) took ~2 ms of the client's CPU per request where this takes
 * under 1 (/health one at a time: p50 2.69 against 0.82 ms), and under a load of 8 distinct searches
 * at a time the server answered 124–222 req/s to fetch and 170–252 to this, alternated.
 */
export function httpClient(base: string): (path: string) => Promise<boolean> {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  return (path) =>
    new Promise((resolve) => {
      get({ host: url.hostname, port: url.port, path, agent }, (res) => {
        res.on("error", () => resolve(false));
        res.on("end", () => resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300));
        res.resume();
      }).on("error", () => resolve(false));
    });
}

/** A process's resident memory in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Waits until a child's standard output matches `ready` (2 minutes at most), and returns the match. */
export async function waitForOutput(child: ChildProcess, ready: RegExp, what: string): Promise<RegExpExecArray> {
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const hit = ready.exec(out);
    if (hit) return hit;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${what} did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The flags `npm start` gives node (package.json's start script), so that a bench measures the server users run. */
function npmStartFlags(cwd = process.cwd()): string[] {
  const start: string = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")).scripts.start;
  return (
    start
      .match(/exec node (.*?) ?dist\/node\.js/)?.[1]
      ?.split(" ")
      .filter(Boolean) ?? []
  );
}

/**
 * The Node server (`entry`, run by `loader`, with the node flags of `npm start`) on 127.0.0.1:`port` over the database file `dbPath`,
 * request logs and the rate limit off unless `extraEnv` says otherwise; `cwd` is the tree it runs
 * from (another worktree, for bench/compare.ts). Resolves once it serves.
 */
export async function startServer(
  dbPath: string,
  port: number,
  extraEnv: Record<string, string> = {},
  entry = "src/node.ts",
  loader = ["--import", "tsx"],
  cwd?: string,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...npmStartFlags(cwd), ...loader, entry], {
    cwd,
    env: {
      ...process.env,
      DATABASE_URL: `file:${dbPath}`,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_REQUESTS: "false",
      RATE_LIMIT_PER_MINUTE: "0",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await waitForOutput(child, /serving on/, cwd ? `server in ${cwd}` : "server");
  await untilIdle(child.pid!);
  return child;
}

/**
 * The server as `npm start` runs it: dist/node.js, built first when the sources are newer, without a
 * TypeScript loader. The same searches over HTTP answered 15–20 % more requests a second from the
 * build than from the sources through tsx (8 at a time at a million prices, alternated twice).
 */
export function builtServer(): { entry: string; loader: string[] } {
  const root = resolve(import.meta.dirname, "..");
  const built = spawnSync(process.execPath, ["scripts/build.mjs", "--if-stale"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) throw new Error("the build failed");
  return { entry: join(root, "dist", "node.js"), loader: [] };
}

/** A process's CPU time so far in ms (Linux /proc: user + system, all threads). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * Waits (30 s at most) until a server that already answers has finished starting: its read threads
 * compile their code after it serves, for several seconds of CPU, and a measurement taken meanwhile
 * shares the cores with that work (it made /health read 12 % slower in bench/compare.ts).
 * Idle means under 5 % of one core in each of two consecutive half-second windows.
 */
async function untilIdle(pid: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  let quiet = 0;
  let last = cpuMs(pid);
  while (quiet < 2 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const now = cpuMs(pid);
    quiet = now - last < 25 ? quiet + 1 : 0;
    last = now;
  }
}

/** Stops a server this bench started (SIGTERM) and waits for it to exit, so the next measurement does not share the CPU with its shutdown. */
export async function stopServer(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
}

/** Requests per second over `seconds` of GETs of `paths` from 16 connections; any error or non-2xx answer fails the run. */
export async function requestsPerSecond(base: string, paths: readonly string[], seconds: number): Promise<number> {
  const result = await autocannon({ url: base, connections: 16, duration: seconds, requests: paths.map((path) => ({ method: "GET", path })) });
  if (result.errors + result.timeouts + result.non2xx > 0) throw new Error(`${base}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  return result.requests.total / seconds;
}

/** rotated over two: each run's figure of `a` and of `b`, and b/a per round. */
export async function alternated(rounds: number, a: () => Promise<number>, b: () => Promise<number>) {
  const [as, bs] = (await rotated(rounds, [a, b])) as [number[], number[]];
  return { a: as, b: bs, ratios: bs.map((y, r) => y / as[r]!) };
}

/**
 * `rounds` runs of each of `fns`, the order rotated each round so none always runs right after
 * another's load: each function's figures, one per round.
 */
export async function rotated(rounds: number, fns: ReadonlyArray<() => Promise<number>>): Promise<number[][]> {
  const runs = fns.map((): number[] => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < fns.length; k++) {
      const i = (r + k) % fns.length;
      runs[i]!.push(await fns[i]!());
    }
  }
  return runs;
}

/** A row of an alternated comparison: its name, median a, median b, median b/a, and each round's b/a. */
export function ratioRow(nameWidth: number, name: string, runs: { a: number[]; b: number[]; ratios: number[] }, digits = 0): string {
  const cells = [median(runs.a).toFixed(digits), median(runs.b).toFixed(digits), median(runs.ratios).toFixed(2)];
  return `  ${name.padEnd(nameWidth)}${cells.map((c) => c.padStart(12)).join("")}   ${runs.ratios.map((x) => x.toFixed(2)).join(" ")}`;
}

/** The header of ratioRow's table. */
export function ratioHeader(nameWidth: number, ...cells: [string, string, string, string, string]): string {
  return `  ${cells[0].padEnd(nameWidth)}${cells
    .slice(1, 4)
    .map((c) => c.padStart(12))
    .join("")}   ${cells[4]}`;
}
