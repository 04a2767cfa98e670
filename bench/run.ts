/**
 * `npm run bench [-- <part> ...]`: runs the benchmark parts in order (all when none is named).
 * Each part prints ratios measured side by side in this run, never a bare time, and says that its
 * data is synthetic. Parts register themselves below with a one-line entry.
 */
type Part = { name: string; describe: string; run: (args: string[]) => Promise<void> };

const PARTS: Part[] = [
  {
    name: "import",
    describe:
      "1,000,000-row prices CSV through the CLI vs the sqlite3 shell loading the same rows; ratio and peak memory; then a 100,000-row .xlsx beside the same rows as CSV",
    run: (a) => import("./import").then((m) => m.run(a)),
  },
  {
    name: "import-http",
    describe:
      "--rows=N (default 1,000,000) synthetic prices posted to the Node server's POST /api/v1/imports as one streamed body: server RSS before, peak, after; rows/s",
    run: (a) => import("./import-http").then((m) => m.run(a)),
  },
  {
    name: "savings",
    describe: "GET /api/v1/savings at 10,000,000 synthetic volume rows: rollups vs a plain GROUP BY over the raw rows, p95",
    run: (a) => import("./savings").then((m) => m.run(a)),
  },
  {
    name: "volume-import",
    describe:
      "--import-rows=M (default 10,000) synthetic volume rows imported into the savings database of --rows=N (default 200,000) with the rollups maintained: per-row triggers vs set-based, rows/s side by side",
    run: (a) => import("./volume-import").then((m) => m.run(a)),
  },
  {
    name: "volumes-at-scale",
    describe:
      "--rows=N (default 100,000,000) synthetic monthly volume rows of a national decade generated straight into a new SQLite file: rows/s, bytes per row, rollup build, savings p50/p95, per-province D1 shard sizes (file deleted unless --keep)",
    run: (a) => import("./volumes-at-scale").then((m) => m.run(a)),
  },
  {
    name: "search",
    describe: "search at --prices=N synthetic prices (default 1,000,000): service layer vs the same SQL direct, p50/p95 per query class",
    run: (a) => import("./search").then((m) => m.run(a)),
  },
  {
    name: "varied",
    describe:
      "300 distinct user-like searches over every parameter, each run once, in process and over HTTP with the cache off, at 100,000 and 1,000,000 prices",
    run: (a) => import("./varied").then((m) => m.run(a)),
  },
  {
    name: "abuse",
    describe:
      "what an attacker tried (issue 17): one client under the rate limit, memory after 60,000 client addresses, RSS during 6 oversized posts with a wrong token, read p99 during a CLI import of 1,000,000 prices",
    run: (a) => import("./abuse").then((m) => m.run(a)),
  },
  {
    name: "pages",
    describe: "server time of every page on the demo data (seeds + 20,000 synthetic prices), distinct questions each asked once, p50/p95/max beside /health",
    run: (a) => import("./pages").then((m) => m.run(a)),
  },
  {
    name: "cold-start",
    describe: "time from starting the server to its first /health 200, fresh and at 1,000,000 synthetic prices: node dist/ vs npm start vs tsx",
    run: (a) => import("./cold-start").then((m) => m.run(a)),
  },
  {
    name: "http",
    describe: "HTTP load on the Node server at --prices=N (default 1,000,000): search and product pages vs /health, p99, memory",
    run: (a) => import("./http").then((m) => m.run(a)),
  },
  {
    name: "middleware",
    describe:
      "Hono's own middleware (request-id, cors, etag, timeout, body-limit) against ours on the app's request path over HTTP, alternated: req/s and hono/ours (about 100 s)",
    run: (a) => import("./middleware").then((m) => m.run(a)),
  },
  {
    name: "export",
    describe:
      "GET /api/v1/prices.xlsx of --rows=N synthetic prices (default 100,000), streamed, beside the CSV export of the same rows, then both as change exports (updatedSince); time, bytes, memory",
    run: (a) => import("./export").then((m) => m.run(a)),
  },
];

async function main() {
  const args = process.argv.slice(2);
  const named = args.filter((a) => !a.startsWith("-"));
  const selected = named.length ? PARTS.filter((p) => named.includes(p.name)) : PARTS;
  const unknown = named.filter((n) => !PARTS.some((p) => p.name === n));
  if (unknown.length) {
    console.error(`unknown bench part(s): ${unknown.join(", ")}; known: ${PARTS.map((p) => p.name).join(", ")}`);
    process.exit(2);
  }
  for (const part of selected) {
    console.log(`\n=== bench: ${part.name} — ${part.describe}`);
    await part.run(args.filter((a) => a.startsWith("-")));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
