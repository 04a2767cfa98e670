import { loadavg } from "node:os";
import { openLibsql } from "../src/db/client";
import { tuneEmbedded } from "../src/db/migrate";
import { runImport } from "../src/services/imports";
import { getSavings, type SavingsQuery } from "../src/services/savings";
import { buildSavingsDb } from "./savings-load";

/**
 * `npm run bench -- savings [--rows=N] [--rounds=R]`: GET /api/v1/savings's service at N (default
 * 10,000,000) SYNTHETIC volume rows. Each query runs R times from the maintained rollups and once
 * from the raw rows (the same code over the view the triggers read: a plain GROUP BY), the answers
 * must be identical, and the report gives p50/p95 and the raw/rollup ratio. Then a 10,000-row volume
 * import measures what keeping the rollups in the import's transaction costs.
 */
const PROBES: Array<{ label: string; q: SavingsQuery }> = [
  { label: "by batch, everything", q: { groupBy: "batch" } },
  { label: "by month, everything", q: { groupBy: "month" } },
  { label: "by category, 2023", q: { groupBy: "category", from: "2023-01", to: "2023-12" } },
  { label: "by region (provinces)", q: { groupBy: "region" } },
  { label: "by region, 2023", q: { groupBy: "region", from: "2023-01", to: "2023-12" } },
  { label: "province by batch", q: { groupBy: "batch", region: "11" } },
  { label: "province by batch, 2023", q: { groupBy: "batch", region: "11", from: "2023-01", to: "2023-12" } },
  { label: "province by city", q: { groupBy: "region", region: "合成省2" } },
  { label: "batch by region", q: { groupBy: "region", batch: "bench-savings-7" } },
  { label: "city, batch, by month", q: { groupBy: "month", region: "110300", batch: "bench-savings-3" } },
];

const TARGET_P95_MS = 50;

const percentile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
const strip = (answer: Awaited<ReturnType<typeof getSavings>>) => JSON.stringify({ data: answer.data, totals: answer.meta.totals });

export async function run(args: string[]): Promise<void> {
  const rows = Number(args.find((a) => a.startsWith("--rows="))?.slice(7) ?? 10_000_000);
  const rounds = Number(args.find((a) => a.startsWith("--rounds="))?.slice(9) ?? 30);
  if (!Number.isSafeInteger(rows) || rows < 1) throw new Error("--rows must be a positive integer");
  console.log(`data: ${rows.toLocaleString("en")} SYNTHETIC volume rows (not real purchases), cached under data/bench/`);
  const path = await buildSavingsDb(rows);
  const url = `file:${path}`;
  const handle = openLibsql(url);
  await tuneEmbedded(handle, url);
  const db = handle.db;

  const load = loadavg().map((x) => x.toFixed(2)).join(", ");
  const all: number[] = [];
  const lines: string[] = [];
  let allEqual = true;
  for (const probe of PROBES) {
    const rollupAnswer = await getSavings(db, probe.q); // warm-up
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t = performance.now();
      await getSavings(db, probe.q);
      times.push(performance.now() - t);
    }
    all.push(...times);
    const t = performance.now();
    const rawAnswer = await getSavings(db, probe.q, { source: "raw" });
    const raw = performance.now() - t;
    const equal = strip(rawAnswer) === strip(rollupAnswer);
    allEqual &&= equal;
    const p50 = percentile(times, 0.5);
    lines.push(
      `${probe.label.padEnd(24)} ${p50.toFixed(1).padStart(7)} ${percentile(times, 0.95).toFixed(1).padStart(7)} ${raw.toFixed(0).padStart(9)} ${(raw / p50).toFixed(0).padStart(8)}x  ${equal ? "same answer" : "DIFFERENT ANSWER"}  (${rollupAnswer.meta.answeredFrom}, ${rollupAnswer.data.length} groups)`,
    );
  }
  console.log(`load average (1, 5, 15 min) at the start / end of the queries: ${load} / ${loadavg().map((x) => x.toFixed(2)).join(", ")} (2 cores shared with other processes)`);
  console.log(`${"query".padEnd(24)} ${"p50 ms".padStart(7)} ${"p95 ms".padStart(7)} ${"raw ms".padStart(9)} ${"raw/p50".padStart(9)}`);
  for (const line of lines) console.log(line);
  const p95 = percentile(all, 0.95);
  console.log(`all savings queries: p95 ${p95.toFixed(1)} ms over ${all.length} runs (target ≤ ${TARGET_P95_MS} ms): ${p95 <= TARGET_P95_MS ? "MET" : "NOT MET"}; rollups ${allEqual ? "equal" : "DIFFER FROM"} the raw GROUP BY`);

  // A month of purchases for 10,000 (price, city) pairs: new rows, written with the rollups in one transaction.
  const header = "批次,医保编码,通用名,转换比,地区,月份,采购量";
  const prices = await db.all<{ id: number; batch: string; name: string; pq: number | null }>(
    (await import("drizzle-orm")).sql`SELECT p.id, p.batch_id AS batch, pr.generic_name AS name, pr.package_qty AS pq FROM prices p JOIN products pr ON pr.id = p.product_id ORDER BY p.id LIMIT 2000`,
  );
  const csv = [header];
  for (let i = 0; i < 10_000; i++) {
    const p = prices[i % prices.length]!;
    csv.push(`${p.batch},,${p.name},${p.pq ?? ""},${11 + (i % 31)}${String(1 + Math.floor(i / prices.length)).padStart(2, "0")}00,2025-01,${100 + i}`);
  }
  const t = performance.now();
  const report = await runImport(db, { kind: "volumes", bytes: new TextEncoder().encode(csv.join("\n")), fileName: "bench-2025-01.csv", actor: "bench" });
  const seconds = (performance.now() - t) / 1000;
  console.log(`volume import with rollups maintained: ${report.rowsImported.toLocaleString("en")} rows in ${seconds.toFixed(2)} s (${Math.round(report.rowsImported / seconds).toLocaleString("en")} rows/s)${report.errors.length ? `; errors: ${JSON.stringify(report.errors.slice(0, 3))}` : ""}`);
  const after = await getSavings(db, { groupBy: "month", from: "2025-01" });
  const afterRaw = await getSavings(db, { groupBy: "month", from: "2025-01" }, { source: "raw" });
  console.log(`after the import, 2025-01 from rollups ${strip(after) === strip(afterRaw) ? "equals" : "DIFFERS FROM"} the raw GROUP BY (spend saved ${after.meta.totals.spendSaved} yuan)`);
  // Leave the cached database as it was built, so every run measures the same data.
  await db.run((await import("drizzle-orm")).sql`DELETE FROM volumes WHERE month = '2025-01'`);
  handle.close();
}
