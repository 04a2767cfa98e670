import autocannon from "autocannon";
import { buildSearchDb } from "./search-load";
import { numberOpt, rssMb, startServer } from "./support";

/**
 * HTTP load on the real Node server over loopback, at 1,000,000 SYNTHETIC prices: search and product
 * pages at concurrency 64 against /health on the same server in the same run (the ratio is the
 * figure), p99 latency, errors, and the server's memory before and after a long run.
 * Options: --prices N (default 1000000), --seconds S per short run (default 15), --soak S (default 120).
 */
export async function run(args: string[]): Promise<void> {
  const prices = numberOpt(args, "prices", 1_000_000);
  const seconds = numberOpt(args, "seconds", 15);
  const soakSeconds = numberOpt(args, "soak", 120);
  const dbPath = await buildSearchDb(prices);
  const port = 20000 + Math.floor(Math.random() * 9000);
  const server = await startServer(dbPath, port);
  try {
    const base = `http://127.0.0.1:${port}`;
    const productIds = await sampleIds(`${base}/api/v1/prices?limit=200&sort=-discount`);
    const searchPaths = SEARCH_QUERIES.map((q) => `/api/v1/prices?q=${encodeURIComponent(q)}&limit=20`);
    const productPaths = productIds.map((id) => `/api/v1/products/${id}`);

    await load(base, ["/health"], 3); // warm-up
    const health = await load(base, ["/health"], seconds);
    const search = await load(base, searchPaths, seconds);
    const products = await load(base, productPaths, seconds);

    console.log(`  data: ${prices.toLocaleString("en")} synthetic prices; concurrency 64; ${seconds} s per run; server on 127.0.0.1`);
    console.log(row("endpoint", "req/s", "p50 ms", "p99 ms", "errors", "vs /health"));
    for (const [name, r] of [
      ["/health", health],
      ["search (/api/v1/prices?q=…)", search],
      ["product pages (/api/v1/products/{id})", products],
    ] as const) {
      console.log(row(name, r.rps.toFixed(0), r.p50.toFixed(1), r.p99.toFixed(1), String(r.errors), (r.rps / health.rps).toFixed(2)));
    }
    const ratio = search.rps / health.rps;
    console.log(
      `  search throughput / health throughput: ${ratio.toFixed(2)} (target ≥ 0.5) ${ratio >= 0.5 ? "MET" : "NOT MET"} — with the response cache (default)`,
    );
    console.log(`  errors under load: ${health.errors + search.errors + products.errors} (target 0)`);

    if (soakSeconds > 0) {
      const before = rssMb(server.pid!);
      const mixed = await load(base, [...searchPaths, ...productPaths], soakSeconds);
      global.gc?.();
      await new Promise((r) => setTimeout(r, 2000));
      const after = rssMb(server.pid!);
      console.log(
        `  soak: ${soakSeconds} s of mixed search and product pages, ${mixed.requests.toLocaleString("en")} requests, ${mixed.errors} errors, p99 ${mixed.p99.toFixed(1)} ms`,
      );
      console.log(
        `  server memory (RSS): ${before.toFixed(0)} MB before, ${after.toFixed(0)} MB after (${after - before >= 0 ? "+" : ""}${(after - before).toFixed(0)} MB)`,
      );
    }
  } finally {
    server.kill("SIGTERM");
  }

  // The same search mix on a server without the response cache: what each search costs the database.
  const uncachedPort = port + 1;
  const uncached = await startServer(dbPath, uncachedPort, { RESPONSE_CACHE_MB: "0" });
  try {
    const base = `http://127.0.0.1:${uncachedPort}`;
    await load(base, ["/health"], 3);
    const health = await load(base, ["/health"], seconds);
    const search = await load(
      base,
      SEARCH_QUERIES.map((q) => `/api/v1/prices?q=${encodeURIComponent(q)}&limit=20`),
      seconds,
    );
    console.log(
      `  without the response cache (RESPONSE_CACHE_MB=0): search ${search.rps.toFixed(0)} req/s, p99 ${search.p99.toFixed(1)} ms, ${search.errors} errors; /health ${health.rps.toFixed(0)} req/s; ratio ${(search.rps / health.rps).toFixed(2)}`,
    );
  } finally {
    uncached.kill("SIGTERM");
  }
}

// A fixed mix of what pharmacists type: Chinese prefixes and fragments, 拼音码, English, firms, codes.
const SEARCH_QUERIES = [
  "阿托伐",
  "他汀",
  "atfttgp",
  "atf",
  "atorvastatin",
  "氯吡格雷",
  "lbgl",
  "恩替卡韦",
  "演示",
  "注射",
  "SYND00001",
  "Amlodipine",
  "孟鲁司特",
  "ms",
];

type LoadResult = { rps: number; p50: number; p99: number; errors: number; requests: number };

async function load(base: string, paths: string[], seconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url: base,
    connections: 64,
    duration: seconds,
    requests: paths.map((path) => ({ method: "GET", path })),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}

async function sampleIds(url: string): Promise<number[]> {
  const body = (await (await fetch(url)).json()) as { data: Array<{ product: { id: number } }> };
  return [...new Set(body.data.map((p) => p.product.id))].slice(0, 50);
}

function row(...cells: string[]): string {
  return `  ${cells[0]!.padEnd(40)}${cells
    .slice(1)
    .map((c) => c.padStart(12))
    .join("")}`;
}
