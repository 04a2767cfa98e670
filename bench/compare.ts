import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import autocannon from "autocannon";

/**
 * HEAD against a base commit, side by side: `bench/compare.sh [<base>]` checks the base out into a
 * temporary worktree and runs this with its folder. Four Node servers (`src/node.ts` run by each
 * tree's own tsx, each on a fresh database loaded from its own seeds/, rate limit off): base and HEAD,
 * each with the response cache (the default) and without it (RESPONSE_CACHE_MB=0). The same requests
 * go to base and HEAD alternately (autocannon, 16 connections), several rounds, and the ratio
 * HEAD/base of req/s is printed per round with its median.
 * Usage: tsx bench/compare.ts <base worktree> [--seconds=S per run, default 3] [--rounds=N, default 4]
 */
async function main() {
  const args = process.argv.slice(2);
  const baseDir = args.find((a) => !a.startsWith("-"));
  if (!baseDir) throw new Error("usage: tsx bench/compare.ts <base worktree> [--seconds=S] [--rounds=N]");
  const opt = (name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
  const seconds = opt("seconds", 3);
  const rounds = opt("rounds", 4);

  const dbDir = mkdtempSync(join(tmpdir(), "vbp-compare-"));
  const servers: Record<string, Server> = {};
  try {
    for (const [name, dir, cacheMb] of [
      ["base", resolve(baseDir), "64"],
      ["head", process.cwd(), "64"],
      ["base-nocache", resolve(baseDir), "0"],
      ["head-nocache", process.cwd(), "0"],
    ] as const) {
      servers[name] = await startServer(dir, join(dbDir, `${name}.db`), { RESPONSE_CACHE_MB: cacheMb });
    }
    const searches = SEARCHES.map((q) => `/api/v1/prices?q=${encodeURIComponent(q)}&limit=20`);
    const productsOf = async (s: Server) => {
      const body = (await (await fetch(`${s.base}/api/v1/prices?limit=50`)).json()) as { data: Array<{ product: { id: number } }> };
      return [...new Set(body.data.map((p) => p.product.id))].slice(0, 20).map((id) => `/api/v1/products/${id}`);
    };
    const groups: Array<{ name: string; base: string; head: string; paths: (s: Server) => Promise<string[]> }> = [
      { name: "/health", base: "base", head: "head", paths: async () => ["/health"] },
      { name: "search, cached", base: "base", head: "head", paths: async () => searches },
      { name: "search, no cache", base: "base-nocache", head: "head-nocache", paths: async () => searches },
      { name: "product pages, no cache", base: "base-nocache", head: "head-nocache", paths: productsOf },
    ];
    for (const s of Object.values(servers)) await load(s.base, searches, 1); // warm-up

    console.log(`  base ${baseDir}; ${seconds} s per run, ${rounds} rounds alternated, 16 connections; data: the real seeds`);
    console.log(
      `  load average before: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    console.log(row("requests", "base req/s", "HEAD req/s", "HEAD/base", "rounds"));
    for (const g of groups) {
      const base = servers[g.base]!;
      const head = servers[g.head]!;
      const basePaths = await g.paths(base);
      const headPaths = await g.paths(head);
      const b: number[] = [];
      const h: number[] = [];
      const ratios: number[] = [];
      for (let r = 0; r < rounds; r++) {
        // Alternate which goes first, so neither always runs right after the other's load.
        const first = r % 2 === 0;
        const x = await load(first ? base.base : head.base, first ? basePaths : headPaths, seconds);
        const y = await load(first ? head.base : base.base, first ? headPaths : basePaths, seconds);
        const [rb, rh] = first ? [x, y] : [y, x];
        b.push(rb);
        h.push(rh);
        ratios.push(rh / rb);
      }
      console.log(row(g.name, median(b).toFixed(0), median(h).toFixed(0), median(ratios).toFixed(2), ratios.map((x) => x.toFixed(2)).join(" ")));
    }
    console.log(
      `  load average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
  } finally {
    for (const s of Object.values(servers)) s.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dbDir, { recursive: true, force: true });
  }
}

// What pharmacists type, all found in the real seeds: Chinese names and fragments, 拼音码, English.
const SEARCHES = ["阿托伐他汀", "氯吡格雷", "atfttgp", "amlodipine", "恩替卡韦", "注射", "瑞舒伐他汀", "lbgl"];

type Server = { child: ChildProcess; base: string };

async function startServer(dir: string, dbPath: string, env: Record<string, string>): Promise<Server> {
  const port = 20000 + Math.floor(Math.random() * 9000);
  const child = spawn(process.execPath, ["--import", "tsx", "src/node.ts"], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: `file:${dbPath}`, PORT: String(port), HOST: "127.0.0.1", LOG_REQUESTS: "false", RATE_LIMIT_PER_MINUTE: "0", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  const deadline = Date.now() + 120_000;
  while (!out.includes("serving on")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server in ${dir} did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, base: `http://127.0.0.1:${port}` };
}

async function load(url: string, paths: string[], seconds: number): Promise<number> {
  const result = await autocannon({ url, connections: 16, duration: seconds, requests: paths.map((path) => ({ method: "GET", path })) });
  if (result.errors + result.timeouts + result.non2xx > 0) throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  return result.requests.total / seconds;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

function row(...cells: string[]): string {
  return `  ${cells[0]!.padEnd(26)}${cells
    .slice(1, 4)
    .map((c) => c.padStart(12))
    .join("")}   ${cells[4] ?? ""}`;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
