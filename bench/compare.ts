import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { setPriority, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadAverage, median, numberOpt, ratioHeader, ratioRow, requestsPerSecond, rotated, SEED_SEARCHES, startServer } from "./support";

/**
 * HEAD against a base commit, side by side: `bench/compare.sh [<base>]` checks the base out into a
 * temporary worktree and runs this with its folder. Four Node servers (`src/node.ts` run by each
 * tree's own tsx, each on a fresh database loaded from its own seeds/, rate limit off): base, a second
 * server of the base (the control) and HEAD, each with the response cache (the default) and without
 * it (RESPONSE_CACHE_MB=0). The same requests go to the three in turn, the order rotated each round
 * (autocannon, 16 connections), and HEAD/base of req/s is printed per round with its median, beside
 * control/base: two servers of the same code differ by that much in this run, which is its noise. The load generator runs at nice
 * `--client-nice` (default 10) once the servers have started: on two cores it otherwise takes the CPU
 * from the servers' read threads (nice 5), which a client on another machine would not.
 * Usage: tsx bench/compare.ts <base worktree> [--seconds=S per run, default 3] [--rounds=N, default 4] [--client-nice=N]
 */
async function main() {
  const args = process.argv.slice(2);
  const baseDir = args.find((a) => !a.startsWith("-"));
  if (!baseDir) throw new Error("usage: tsx bench/compare.ts <base worktree> [--seconds=S] [--rounds=N]");
  const seconds = numberOpt(args, "seconds", 3);
  const rounds = numberOpt(args, "rounds", 4);
  const clientNice = numberOpt(args, "client-nice", 10);

  const dbDir = mkdtempSync(join(tmpdir(), "vbp-compare-"));
  const servers: Record<string, Server> = {};
  try {
    for (const [name, dir, cacheMb] of [
      ["base", resolve(baseDir), "64"],
      ["control", resolve(baseDir), "64"],
      ["head", process.cwd(), "64"],
      ["base-nocache", resolve(baseDir), "0"],
      ["control-nocache", resolve(baseDir), "0"],
      ["head-nocache", process.cwd(), "0"],
    ] as const) {
      const port = 20000 + Math.floor(Math.random() * 9000);
      const child = await startServer(join(dbDir, `${name}.db`), port, { RESPONSE_CACHE_MB: cacheMb }, "src/node.ts", ["--import", "tsx"], dir);
      servers[name] = { child, base: `http://127.0.0.1:${port}` };
    }
    const searches = SEED_SEARCHES.map((q) => `/api/v1/prices?q=${encodeURIComponent(q)}&limit=20`);
    const productsOf = async (s: Server) => {
      const body = (await (await fetch(`${s.base}/api/v1/prices?limit=50`)).json()) as { data: Array<{ product: { id: number } }> };
      return [...new Set(body.data.map((p) => p.product.id))].slice(0, 20).map((id) => `/api/v1/products/${id}`);
    };
    const groups: Array<{ name: string; suffix: string; paths: (s: Server) => Promise<string[]> }> = [
      { name: "/health", suffix: "", paths: async () => ["/health"] },
      { name: "search, cached", suffix: "", paths: async () => searches },
      { name: "search, no cache", suffix: "-nocache", paths: async () => searches },
      { name: "product pages, no cache", suffix: "-nocache", paths: productsOf },
    ];
    for (const s of Object.values(servers)) await requestsPerSecond(s.base, searches, 1); // warm-up
    // After the servers started, which would have inherited it: this thread only (Linux nices threads).
    setPriority(clientNice);

    console.log(`  base ${baseDir}; ${seconds} s per run, ${rounds} rounds alternated, 16 connections, client at nice ${clientNice}; data: the real seeds`);
    console.log(`  load average before: ${loadAverage()}`);
    console.log("  control: a second server of the base, measured in the same rounds; control/base is the noise of this run");
    console.log(ratioHeader(26, "requests", "base req/s", "HEAD req/s", "HEAD/base", "rounds; control/base, rounds"));
    for (const g of groups) {
      const [base, control, head] = (["base", "control", "head"] as const).map((n) => servers[`${n}${g.suffix}`]!);
      const run = async (s: Server) => {
        const paths = await g.paths(s);
        return () => requestsPerSecond(s.base, paths, seconds);
      };
      const [b, c, h] = await rotated(rounds, [await run(base!), await run(control!), await run(head!)]);
      const headRow = ratioRow(26, g.name, { a: b!, b: h!, ratios: h!.map((x, i) => x / b![i]!) });
      const controlRatios = c!.map((x, i) => x / b![i]!);
      console.log(`${headRow};  ${median(controlRatios).toFixed(2)}: ${controlRatios.map((x) => x.toFixed(2)).join(" ")}`);
    }
    console.log(`  load average after: ${loadAverage()}`);
  } finally {
    for (const s of Object.values(servers)) s.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dbDir, { recursive: true, force: true });
  }
}

type Server = { child: ChildProcess; base: string };

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
