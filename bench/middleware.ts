import { type ChildProcess, spawn } from "node:child_process";
import { alternated, loadAverage, numberOpt, ratioHeader, ratioRow, requestsPerSecond, SEED_SEARCHES, waitForOutput } from "./support";

/**
 * Hono's built-in middleware against ours, on the app's request path over HTTP (@hono/node-server on
 * 127.0.0.1, served by bench/middleware-server.ts in a process of its own), alternated ours / Hono's
 * several times so both see the same machine load. Prints req/s of each and the ratio hono/ours per
 * round and its median; Hono's is adopted where the median is ≥ 0.95 and the behaviour tests pass.
 * Data: the real seeds (seeds/). Options: --seconds S per run (default 2), --rounds N (default 4).
 * About 100 s with the defaults.
 */
export async function run(args: string[]): Promise<void> {
  const seconds = numberOpt(args, "seconds", 2);
  const rounds = numberOpt(args, "rounds", 4);
  const { child, ports } = await startServers();
  try {
    const base = (name: string) => `http://127.0.0.1:${ports[name]}`;
    const search = SEED_SEARCHES.map((q) => `/api/v1/prices?q=${encodeURIComponent(q)}&limit=50`);
    const pairs: Array<{ name: string; ours: string; hono: string; paths: string[]; what: string }> = [
      {
        name: "request-id",
        ours: "hand-written-request-id",
        hono: "ours",
        paths: [...search, "/health"],
        what: 'searches (response cache on) and /health; the app now uses hono/request-id, "ours" is the hand-written one it replaced',
      },
      { name: "cors", ours: "ours", hono: "hono-cors", paths: search, what: "searches, response cache on" },
      { name: "etag", ours: "ours-nocache", hono: "hono-etag-nocache", paths: search, what: "searches, response cache off: every answer hashed" },
      {
        name: "timeout",
        ours: "ours",
        hono: "hono-timeout",
        paths: search,
        what: "searches, response cache on (ours: the read threads' budget, no middleware)",
      },
    ];
    const headerOf = async (name: string, path: string) => {
      const res = await fetch(`${base(name)}${path}`, { headers: { Origin: "https://example.org" } });
      await res.arrayBuffer();
      return ["access-control-allow-origin", "x-request-id", "etag", "cache-control"].map((h) => `${h}=${res.headers.get(h) ? "yes" : "no"}`).join(" ");
    };
    // Warm every server (JIT, the response cache, SQLite's page cache).
    for (const name of Object.keys(ports)) await requestsPerSecond(base(name), search, 1);

    console.log(`  data: the real seeds; ${seconds} s per run, ${rounds} rounds alternated, 16 connections; load average before: ${loadAverage()}`);
    console.log(ratioHeader(14, "middleware", "ours req/s", "hono req/s", "hono/ours", "rounds"));
    for (const pair of pairs) {
      const runs = await alternated(
        rounds,
        () => requestsPerSecond(base(pair.ours), pair.paths, seconds),
        () => requestsPerSecond(base(pair.hono), pair.paths, seconds),
      );
      console.log(ratioRow(14, pair.name, runs));
      console.log(`    ${pair.what}`);
      // The headers a first (uncached) answer carries, which the behaviour tests check.
      const fresh = `/api/v1/prices?q=${encodeURIComponent("阿莫西林")}&limit=${7 + pairs.indexOf(pair)}`;
      console.log(`    first answer, ours: ${await headerOf(pair.ours, fresh)}`);
      console.log(`    first answer, hono: ${await headerOf(pair.hono, fresh)}`);
    }
    await bodyLimitRuns(base("ours"), base("hono-body-limit"), seconds, rounds);
    console.log(`  load average after: ${loadAverage()}`);
  } finally {
    child.kill("SIGTERM");
  }
}

/**
 * Streamed (chunked) uploads of 4 MB, as a spooled import arrives: ours checks the declared length
 * and lets the reader count; hono/body-limit reads the whole body into memory first, then hands it on.
 */
async function bodyLimitRuns(ours: string, hono: string, seconds: number, rounds: number) {
  const chunk = new Uint8Array(64 * 1024).fill(44);
  const post = async (base: string) => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(ctl) {
        if (sent >= 64) return ctl.close();
        sent++;
        ctl.enqueue(chunk);
      },
    });
    const res = await fetch(`${base}/bench/upload`, { method: "POST", body, duplex: "half" } as RequestInit);
    return (await res.json()) as { bytes: number };
  };
  const runFor = async (base: string) => {
    let done = 0;
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (Date.now() < until) {
          const r = await post(base);
          if (r.bytes !== 64 * chunk.length) throw new Error(`upload answered ${JSON.stringify(r)}`);
          done++;
        }
      }),
    );
    return done / seconds;
  };
  const runs = await alternated(
    rounds,
    () => runFor(ours),
    () => runFor(hono),
  );
  console.log(ratioRow(14, "body-limit", runs, 1));
  console.log("    chunked 4 MB uploads, 8 at a time: ours counts the body as it arrives; hono/body-limit holds each whole body in memory first");
}

async function startServers(): Promise<{ child: ChildProcess; ports: Record<string, number> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/middleware-server.ts"], { stdio: ["ignore", "pipe", "inherit"] });
  const ready = await waitForOutput(child, /ready (\{.*\})/, "bench servers");
  return { child, ports: JSON.parse(ready[1]!) };
}
