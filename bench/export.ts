/**
 * `npm run bench -- export`: GET /api/v1/prices.xlsx of 100,000 synthetic prices, streamed, beside
 * the CSV export of the same rows in the same run (the ratio is what the workbook costs over the
 * CSV), with bytes, the server's peak memory and the load average; then the change exports of the
 * same rows (`updatedSince` before they were written: every row is a change, walked a page at a time
 * like the JSON change feed, with the change and changedAt columns). Data is synthetic.
 */
import { resolve } from "node:path";
import { createApp } from "../src/app";
import { openMigrated } from "../src/cli/database";
import { nodeDeps } from "../src/cli/node-deps";
import { XLSX_ROW_CAP } from "../src/services/export";
import { buildSearchDb } from "./search-load";
import { loadAverage } from "./support";

const ROWS = 100_000;

export async function run(args: string[]): Promise<void> {
  const rows = Number(args.find((a) => a.startsWith("--rows="))?.slice(7) ?? ROWS);
  // The search bench's synthetic database (built once, kept in data/bench/).
  const url = `file:${resolve(await buildSearchDb(rows))}`;
  {
    const handle = await openMigrated(url, undefined, { seed: false });
    const node = nodeDeps(handle, url, undefined, { importBodyLimitBytes: 1 << 30 });
    const app = createApp({ deps: () => node.deps });
    const load = () => loadAverage(", ");
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const timed = async (path: string) => {
      const started = performance.now();
      const res = await app.request(path);
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
      let bytes = 0;
      const firstByte = { ms: 0 };
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        if (bytes === 0) firstByte.ms = performance.now() - started;
        bytes += chunk.length;
      }
      return { ms: performance.now() - started, firstMs: firstByte.ms, bytes };
    };
    const before = load();
    const csv = await timed("/api/v1/prices.csv");
    const xlsx = await timed("/api/v1/prices.xlsx");
    const since = `updatedSince=${encodeURIComponent("2000-01-01T00:00:00Z")}`;
    const csvChanges = await timed(`/api/v1/prices.csv?${since}`);
    const xlsxChanges = await timed(`/api/v1/prices.xlsx?${since}`);
    clearInterval(sampler);
    console.log(`${rows} synthetic prices (+ the seed rows), each export once (load average ${before} → ${load()}):`);
    console.log(`  prices.csv  ${(csv.ms / 1000).toFixed(1)} s, first bytes after ${csv.firstMs.toFixed(0)} ms, ${(csv.bytes / 1048576).toFixed(1)} MB`);
    console.log(
      `  prices.xlsx ${(xlsx.ms / 1000).toFixed(1)} s, first bytes after ${xlsx.firstMs.toFixed(0)} ms, ${(xlsx.bytes / 1048576).toFixed(1)} MB; ${(xlsx.ms / csv.ms).toFixed(2)}× the CSV export`,
    );
    console.log(
      `  prices.csv?updatedSince  ${(csvChanges.ms / 1000).toFixed(1)} s, first bytes after ${csvChanges.firstMs.toFixed(0)} ms, ${(csvChanges.bytes / 1048576).toFixed(1)} MB`,
    );
    console.log(
      `  prices.xlsx?updatedSince ${(xlsxChanges.ms / 1000).toFixed(1)} s, first bytes after ${xlsxChanges.firstMs.toFixed(0)} ms, ${(xlsxChanges.bytes / 1048576).toFixed(1)} MB`,
    );
    console.log(`  peak RSS of the process ${(peak / 1048576).toFixed(0)} MB; one .xlsx export takes at most ${XLSX_ROW_CAP} rows`);
    node.close();
  }
}
