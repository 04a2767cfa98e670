import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { openMigrated } from "../src/cli/database";
import { runGen } from "../src/cli/gen";
import { runImport } from "../src/services/imports";
import { loadAverage, median, numberOpt, rssMb, startServer } from "./support";

/**
 * What an outside attacker tried (issue 17), measured on the real Node server over loopback:
 *  1. requests per second one client keeps under the limit: no limiter, ours, hono-rate-limiter;
 *  2. server memory after 60,000 distinct client addresses (behind TRUST_PROXY), ours and hono-rate-limiter's;
 *  3. peak RSS while 6 clients post 65 MB each with a wrong token, to the API and the import page;
 *  4. read p99 over HTTP while the CLI imports a million SYNTHETIC prices into the same file.
 * Options: --prices=N for part 4 (default 1000000, as `npm run gen -- --prices 1000000 --out
 * data/synthetic-1m` writes them; generated when missing), --seconds=S (default 10), --only=1,3 to
 * run some parts, --skip-import to leave part 4 out.
 */
export async function run(args: string[]): Promise<void> {
  const seconds = numberOpt(args, "seconds", 10);
  const prices = numberOpt(args, "prices", 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), "vbp-abuse-"));
  const load = () => loadAverage(", ");
  console.log(`  machine load average (1, 5, 15 min) at start: ${load()}`);
  try {
    const base = join(dir, "base.db");
    const handle = await openMigrated(`file:${base}`);
    await handle.client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    handle.close();
    const only = args
      .find((a) => a.startsWith("--only="))
      ?.slice("--only=".length)
      .split(",") ?? ["1", "2", "3", "4"];
    if (only.includes("1")) await oneClient(base, dir, seconds);
    if (only.includes("2")) await manyAddresses(base, dir);
    if (only.includes("3")) await oversizedPosts(base, dir);
    if (only.includes("4") && !args.includes("--skip-import")) await readsDuringImport(base, dir, prices, seconds);
    console.log(`  machine load average at the end: ${load()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const port = () => 20000 + Math.floor(Math.random() * 9000);
const copy = (base: string, dir: string, name: string) => {
  const path = join(dir, name);
  copyFileSync(base, path);
  return path;
};

/**
 * 1. One client under the limit: no limiter, ours counting every request, and hono-rate-limiter
 * (bench/limiter-server.ts) counting every request. The servers run at once and their runs
 * alternate, three times each, so the shared machine's load falls on all alike; the figure is the
 * median run.
 */
async function oneClient(base: string, dir: string, seconds: number) {
  const configs = [
    { label: "no limiter (RATE_LIMIT_PER_MINUTE=0)", limit: "0", entry: "src/node.ts" },
    { label: "ours, counting, never reached", limit: "100000000", entry: "src/node.ts" },
    { label: "hono-rate-limiter, counting", limit: "100000000", entry: "bench/limiter-server.ts" },
  ];
  const servers = await Promise.all(
    configs.map(async (c, i) => {
      const p = port();
      const child = await startServer(copy(base, dir, `one-${i}.db`), p, { RATE_LIMIT_PER_MINUTE: c.limit }, c.entry);
      return { ...c, url: `http://127.0.0.1:${p}`, child, health: [] as number[], search: [] as number[] };
    }),
  );
  const SEARCH = ["/api/v1/prices?q=%E9%98%BF%E6%89%98%E4%BC%90&limit=20"];
  try {
    for (const s of servers) await cannon(s.url, ["/health"], 2);
    for (let r = 0; r < 3; r++) {
      for (const s of r % 2 ? [...servers].reverse() : servers) {
        s.health.push((await cannon(s.url, ["/health"], seconds)).rps);
        s.search.push((await cannon(s.url, SEARCH, seconds)).rps);
      }
    }
  } finally {
    for (const s of servers) s.child.kill("SIGTERM");
  }
  console.log(`  1. one client (one socket address, 16 connections), requests per second, median of 3 alternating ${seconds} s runs:`);
  for (const s of servers)
    console.log(`     ${s.label.padEnd(40)} /health ${median(s.health).toFixed(0).padStart(7)}   cached search ${median(s.search).toFixed(0).padStart(7)}`);
  const [off, ours, theirs] = servers;
  const ratio = (a: typeof off, b: typeof off, k: "health" | "search") => (median(a![k]) / median(b![k])).toFixed(2);
  console.log(`     ours / no limiter: /health ${ratio(ours, off, "health")}, cached search ${ratio(ours, off, "search")}`);
  console.log(`     hono-rate-limiter / ours: /health ${ratio(theirs, ours, "health")}, cached search ${ratio(theirs, ours, "search")}`);
}

/** 2. 60,000 distinct client addresses through a trusted proxy header: memory, and who keeps a window. */
async function manyAddresses(base: string, dir: string) {
  await manyAddressesWith(base, dir, "ours", "src/node.ts");
  await manyAddressesWith(base, dir, "hono-rate-limiter", "bench/limiter-server.ts");
}

async function manyAddressesWith(base: string, dir: string, label: string, entry: string) {
  const p = port();
  const server = await startServer(copy(base, dir, `many-${label}.db`), p, { RATE_LIMIT_PER_MINUTE: "600", TRUST_PROXY: "X-Forwarded-For" }, entry);
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const get = (ip: string) =>
      new Promise<{ status: number; remaining: string | undefined }>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port: p, path: "/no-such-page", agent, headers: { "X-Forwarded-For": ip } }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, remaining: res.headers["ratelimit-remaining"] as string | undefined }));
        });
        req.on("error", reject);
        req.end();
      });
    for (let i = 0; i < 5; i++) await get("198.51.100.1");
    const before = rssMb(server.pid!);
    const started = Date.now();
    const N = 60_000;
    for (let i = 0; i < N; i += 200) {
      await Promise.all(Array.from({ length: 200 }, (_, k) => get(`10.${((i + k) >> 16) & 255}.${((i + k) >> 8) & 255}.${(i + k) & 255}`)));
    }
    const after = rssMb(server.pid!);
    const victim = await get("198.51.100.1");
    agent.destroy();
    console.log(
      `  2. ${label}: ${N.toLocaleString("en")} distinct client addresses in ${((Date.now() - started) / 1000).toFixed(1)} s (${(N / ((Date.now() - started) / 1000)).toFixed(0)} req/s): server RSS ${before.toFixed(0)} MB before, ${after.toFixed(0)} MB after (+${(after - before).toFixed(0)} MB)`,
    );
    console.log(`     a client that had used 5 of its 600 requests before the flood has ${victim.remaining} left after it (599 - 5 = 594 expected: not reset)`);
  } finally {
    server.kill("SIGTERM");
  }
}

/** 3. Six parallel 65 MB posts with a wrong token: peak server RSS, API and import page, chunked and not. */
async function oversizedPosts(base: string, dir: string) {
  const p = port();
  const server = await startServer(copy(base, dir, "posts.db"), p, { ADMIN_TOKEN: "the-right-admin-token-0123456789", ADMIN_AUTH_FAILURES_PER_MINUTE: "0" });
  try {
    const idle = rssMb(server.pid!);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.pid!))), 25);
    const MB = 1024 * 1024;
    const chunk = Buffer.alloc(MB, 0x61);
    const boundary = "----benchBoundary";
    const pageHead = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="token"\r\n\r\nwrong-token-0123456789\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n`,
    );
    const post = (path: string, headers: Record<string, string>, head: Buffer, chunked: boolean) =>
      new Promise<number>((resolve) => {
        const total = 65 * MB;
        const req = httpRequest(
          { host: "127.0.0.1", port: p, method: "POST", path, headers: { ...headers, ...(chunked ? {} : { "content-length": String(head.length + total) }) } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", () => resolve(-1));
        let sent = 0;
        const pump = () => {
          while (sent < total) {
            sent += MB;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
          req.end();
        };
        req.write(head);
        pump();
      });
    const statuses: number[] = [];
    const started = Date.now();
    for (const chunked of [false, true]) {
      const api = Array.from({ length: 3 }, () =>
        post("/api/v1/imports?kind=prices", { "content-type": "text/csv", authorization: "Bearer wrong-token-0123456789" }, Buffer.alloc(0), chunked),
      );
      const page = Array.from({ length: 3 }, () => post("/import", { "content-type": `multipart/form-data; boundary=${boundary}` }, pageHead, chunked));
      statuses.push(...(await Promise.all([...api, ...page])));
    }
    clearInterval(sampler);
    const verdict = peak < 400 ? "MET" : "NOT MET";
    console.log(
      `  3. 6 parallel 65 MB posts with a wrong token (3 to the API, 3 to the import page), with Content-Length and then chunked: answers ${[...new Set(statuses)].join("/")} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    console.log(`     server RSS ${idle.toFixed(0)} MB idle, peak ${peak.toFixed(0)} MB during the posts (target < 400 MB) ${verdict}`);
  } finally {
    server.kill("SIGTERM");
  }
}

/** 4. Read latency over HTTP while the CLI imports a million prices into the server's own file. */
async function readsDuringImport(base: string, dir: string, prices: number, seconds: number) {
  const gen = join("data", prices === 1_000_000 ? "synthetic-1m" : `synthetic-${prices}`);
  if (!existsSync(join(gen, "prices.csv"))) await runGen({ prices, out: gen, seed: 1 });
  const dbPath = copy(base, dir, "import.db");
  const handle = await openMigrated(`file:${dbPath}`);
  const batches = await runImport(handle.db, { kind: "batches", bytes: readFileSync(join(gen, "batches.csv")), fileName: "batches.csv" });
  if (batches.errors.length) throw new Error(`batches did not import: ${batches.errors[0]!.message}`);
  await handle.client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  handle.close();
  const p = port();
  const server = await startServer(dbPath, p, { RESPONSE_CACHE_MB: "0" });
  try {
    const url = `http://127.0.0.1:${p}`;
    const quiet = await openLoop(url, () => false, seconds * 1000);
    const started = Date.now();
    const child: ChildProcess = spawn(
      process.execPath,
      ["--max-old-space-size=384", "--import", "tsx", "src/cli/import.ts", "prices", join(gen, "prices.csv")],
      {
        env: { ...process.env, DATABASE_URL: `file:${dbPath}` },
        stdio: "ignore",
      },
    );
    let code: number | null | undefined;
    child.once("exit", (c) => (code = c));
    const busy = await openLoop(url, () => code !== undefined, 30 * 60_000);
    while (code === undefined) await new Promise((r) => setTimeout(r, 200));
    const importS = (Date.now() - started) / 1000;
    console.log(
      `  4. reads over HTTP, one every 20 ms (open loop, distinct searches, cache off), before and during a CLI import of ${prices.toLocaleString("en")} SYNTHETIC prices (exit ${code}, ${importS.toFixed(0)} s):`,
    );
    for (const [label, r] of [
      ["before the import", quiet],
      ["during the import", busy],
    ] as const) {
      console.log(
        `     ${label.padEnd(18)} ${String(r.count).padStart(6)} reads  p50 ${r.p50.toFixed(0)} ms  p95 ${r.p95.toFixed(0)} ms  p99 ${r.p99.toFixed(0)} ms  max ${r.max.toFixed(0)} ms (started ${r.slowestAt.toFixed(0)} s in)  errors ${r.errors}${r.what ? ` (${r.what})` : ""}`,
      );
    }
    console.log(
      `     read p99 during the import: ${busy.p99.toFixed(0)} ms (target < 500 ms) ${busy.p99 < 500 ? "MET" : "NOT MET"}; ratio to before ${(busy.p99 / quiet.p99).toFixed(2)}`,
    );
  } finally {
    server.kill("SIGTERM");
  }
}

const TERMS = [
  "阿托伐",
  "他汀",
  "氯吡格雷",
  "恩替卡韦",
  "二甲双胍",
  "厄贝沙坦",
  "左乙拉西坦",
  "头孢",
  "氨氯地平",
  "瑞舒伐",
  "演示",
  "SYND",
  "atf",
  "片剂",
  "注射",
];

/** Fires a distinct search every 20 ms whatever the answers take, until `stop()` or `maxMs`. */
async function openLoop(url: string, stop: () => boolean, maxMs: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const latencies: number[] = [];
  let errors = 0;
  const failures = new Map<string, number>();
  const fail = (what: string) => {
    errors++;
    failures.set(what, (failures.get(what) ?? 0) + 1);
  };
  let slowest = { ms: 0, at: 0 };
  const pending: Array<Promise<void>> = [];
  const started = Date.now();
  for (let i = 0; !stop() && Date.now() - started < maxMs; i++) {
    const path = `/api/v1/prices?q=${encodeURIComponent(TERMS[i % TERMS.length]!)}&limit=${5 + (i % 50)}&sort=${["relevance", "discount", "-discount", "unitPrice"][i % 4]}`;
    const t0 = performance.now();
    pending.push(
      new Promise<void>((resolve) => {
        const req = httpRequest({ host: "127.0.0.1", port: Number(new URL(url).port), path, agent }, (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode !== 200) fail(`HTTP ${res.statusCode}`);
            const ms = performance.now() - t0;
            if (ms > slowest.ms) slowest = { ms, at: (Date.now() - started) / 1000 };
            latencies.push(ms);
            resolve();
          });
        });
        req.on("error", (err: NodeJS.ErrnoException) => {
          fail(err.code ?? err.message);
          resolve();
        });
        req.end();
      }),
    );
    await new Promise((r) => setTimeout(r, 20));
  }
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? 0;
  const what = [...failures].map(([k, n]) => `${n}× ${k}`).join(", ");
  return { count: latencies.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: latencies.at(-1) ?? 0, errors, what, slowestAt: slowest.at };
}

async function cannon(url: string, paths: string[], seconds: number) {
  const result = await autocannon({ url, connections: 16, duration: seconds, requests: paths.map((path) => ({ method: "GET", path })) });
  return { rps: result.requests.average, errors: result.errors + result.non2xx };
}
