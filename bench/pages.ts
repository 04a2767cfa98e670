import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createApp } from "../src/app";
import { openMigrated } from "../src/cli/database";
import { loadDemo } from "../src/cli/demo";
import { importFiles } from "../src/services/seed";
import { seedVolumesCsv } from "../test/e2e/support/volumes";
import { loadAverage } from "./support";

/**
 * Server time of every page on the demo data (`npm run demo`: the seeds plus 20,000 synthetic
 * prices, and a year of purchased volumes of the seed prices): each request is a distinct question
 * asked once (no cache: the pages are not cached), timed in process from the request to the last
 * byte of the answer, beside /health asked the same number of times in the same run.
 */
const TARGET_MS = 150;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export async function run(args: string[]): Promise<void> {
  const prices = Number(args.find((a) => a.startsWith("--prices="))?.split("=")[1] ?? 20_000);
  const dir = mkdtempSync(join(tmpdir(), "vbp-bench-pages-"));
  const handle = await openMigrated(`file:${join(dir, "bench.db")}`);
  try {
    await loadDemo(handle.db, prices);
    await importFiles(handle.db, [{ kind: "volumes", name: "bench/volumes.csv", bytes: new TextEncoder().encode(seedVolumesCsv()) }], "bench");
    const deps = { db: handle.db, adminToken: "bench-admin-token-0123456789", importBodyLimitBytes: 5 * 1024 * 1024, rateLimitPerMinute: 0 };
    const app = createApp({ deps: () => deps });
    const html = { headers: { accept: "text/html" } };
    const json = async (path: string) => (await app.request(path)).json() as Promise<any>;

    // Distinct questions per page, drawn from the data itself.
    const names: string[] = (await handle.db.all<{ n: string }>("SELECT DISTINCT generic_name AS n FROM products ORDER BY generic_name LIMIT 100")).map(
      (r) => r.n,
    );
    // Products spread over the whole set (every 25th by id), not the cheapest few.
    const products = (await handle.db.all<{ id: number }>("SELECT id FROM products WHERE id % 25 = 0 ORDER BY id LIMIT 200")).map((r) => r.id);
    const forms = (await handle.db.all<{ f: string }>("SELECT DISTINCT dosage_form AS f FROM products WHERE dosage_form IS NOT NULL LIMIT 12")).map((r) => r.f);
    const batches = (await json("/api/v1/batches")).data.map((b: any) => b.id as string);
    const provinces = ["11", "31", "33", "44", "15", "51"];
    const pages: Record<string, string[]> = {
      "search (no query)": [
        "/",
        "/?include=ended",
        "/?synthetic=1",
        "/?synthetic=1&include=ended",
        ...provinces.flatMap((p) => [`/?province=${p}&synthetic=1`, `/?province=${p}&synthetic=1&include=ended&n=2`]),
        ...[2, 3, 5, 8, 12].map((n) => `/?synthetic=1&n=${n}`),
        "/?synthetic=1&sort=unitPrice",
        "/?synthetic=1&sort=-discount",
        "/?synthetic=1&sort=unitPrice&include=ended&n=3",
        ...forms.map((f, i) => `/?synthetic=1&dosageForm=${encodeURIComponent(f)}${i % 2 ? "&include=ended" : ""}`),
        "/?synthetic=1&spec=20mg",
        "/?synthetic=1&category=device",
        "/?synthetic=1&level=alliance&include=ended",
      ],
      "search (name)": names.flatMap((n, i) => [
        `/?q=${encodeURIComponent(n)}&synthetic=1${i % 2 ? "&include=ended" : ""}`,
        `/?q=${encodeURIComponent(n)}&province=${provinces[i % provinces.length]}&synthetic=1`,
      ]),
      "search (拼音码, typo)": [
        "/?q=atfttgp&synthetic=1",
        "/?q=rsftgp&synthetic=1",
        "/?q=atfttgp&province=33&synthetic=1",
        `/?q=${encodeURIComponent("阿托发他汀")}`,
        `/?q=${encodeURIComponent("氯吡格雷")}&synthetic=1`,
      ],
      product: products.map(
        (id: number, i: number) => `/products/${id}${["", "?all=1", "?perDay=2", `?province=${provinces[i % provinces.length]}`, "?include=ended"][i % 5]}`,
      ),
      "batch list": ["/batches"],
      batch: batches.map((b: string) => `/batches/${encodeURIComponent(b)}`),
      savings: [
        "/savings",
        "/savings?region=15",
        "/savings?region=150300",
        "/savings?from=2021-07&to=2021-12",
        "/savings?batch=national-device-stent",
        ...batches.slice(0, 8).map((b: string) => `/savings?batch=${encodeURIComponent(b)}`),
      ],
      "price check (form)": ["/price-check", "/price-check?province=33", "/price-check/template.csv"],
      import: ["/import"],
      docs: ["/docs"],
    };

    // CPU time of this process beside the wall time: on a shared machine the wall time also counts
    // the time other processes held the cores, the CPU time only this server's work.
    const cpu: number[] = [];
    const time = async (path: string) => {
      const t = performance.now();
      const c = process.cpuUsage();
      const res = await app.request(path, html);
      await res.arrayBuffer();
      if (res.status >= 500) throw new Error(`${path} answered ${res.status}`);
      const used = process.cpuUsage(c);
      if (path !== "/health") cpu.push((used.user + used.system) / 1000);
      return performance.now() - t;
    };
    const rows: Array<{ page: string; n: number; p50: number; p95: number; max: number; slowest: string }> = [];
    const all: number[] = [];
    let asked = 0;
    for (const [page, paths] of Object.entries(pages)) {
      const times: Array<[number, string]> = [];
      for (const path of paths) times.push([await time(path), path]);
      asked += paths.length;
      const sorted = times.map(([t]) => t).sort((a, b) => a - b);
      all.push(...sorted);
      const slowest = times.reduce((a, b) => (b[0] > a[0] ? b : a));
      rows.push({ page, n: paths.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] ?? 0, slowest: slowest[1] });
    }
    // Price check with a posted list of 200 lines.
    const list = [
      "通用名,规格,生产企业,进价,数量",
      ...names.slice(0, 40).flatMap((n, i) => Array.from({ length: 5 }, (_, j) => `${n},${10 * (j + 1)}mg,演示企业${i},${(1 + j).toFixed(2)},${10 + i}`)),
    ].join("\n");
    const checks: number[] = [];
    for (let i = 0; i < 10; i++) {
      const form = new FormData();
      form.append("file", new File([`${list}\n${names[i]},1mg,x,1.00,${i + 1}\n`], "list.csv", { type: "text/csv" }));
      const t = performance.now();
      const res = await app.request("/price-check", { method: "POST", body: form });
      await res.arrayBuffer();
      checks.push(performance.now() - t);
    }
    checks.sort((a, b) => a - b);
    rows.push({
      page: "price check (200 lines)",
      n: checks.length,
      p50: percentile(checks, 50),
      p95: percentile(checks, 95),
      max: checks[checks.length - 1] ?? 0,
      slowest: "POST /price-check",
    });
    all.push(...checks);

    const health: number[] = [];
    for (let i = 0; i < asked; i++) health.push(await time("/health"));
    health.sort((a, b) => a - b);
    const healthP95 = percentile(health, 95);

    all.sort((a, b) => a - b);
    console.log(`pages on the demo data: ${prices.toLocaleString("en-US")} synthetic prices + seeds; load average ${loadAverage()} (2 shared cores)`);
    console.log("page                       n    p50 ms   p95 ms   max ms   p95/health  slowest");
    for (const r of rows) {
      console.log(
        `${r.page.padEnd(26)} ${String(r.n).padStart(3)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)} ${(r.p95 / healthP95).toFixed(1).padStart(10)}x  ${r.slowest}`,
      );
    }
    const p95 = percentile(all, 95);
    cpu.sort((a, b) => a - b);
    console.log(
      `server CPU per page (GET): p50 ${percentile(cpu, 50).toFixed(1)} ms, p95 ${percentile(cpu, 95).toFixed(1)} ms, max ${(cpu[cpu.length - 1] ?? 0).toFixed(1)} ms`,
    );
    console.log(
      `every page: p95 ${p95.toFixed(1)} ms, max ${(all[all.length - 1] ?? 0).toFixed(1)} ms over ${all.length} requests; /health p95 ${healthP95.toFixed(2)} ms (ratio ${(p95 / healthP95).toFixed(0)}x)`,
    );
    const over = rows.filter((r) => r.p95 >= TARGET_MS);
    console.log(
      over.length
        ? `NOT MET: p95 at or over ${TARGET_MS} ms on ${over.map((r) => r.page).join(", ")}`
        : `target met: every page's p95 is under ${TARGET_MS} ms`,
    );
  } finally {
    handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
