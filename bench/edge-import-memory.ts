import { copyFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { openLibsql } from "../src/db/client";
import { D1_CHUNK_SIZE, D1_SINGLE_BATCH_MAX } from "../src/edge/d1-staged-write";
import type { AtomicWrite } from "../src/import/writer";
import { uploadSource } from "../src/routes/imports/upload-source";
import { runImport } from "../src/services/imports";
import { buildSavingsDb } from "./savings-load";

/**
 * `node --expose-gc --import tsx bench/edge-import-memory.ts [--rows=N,M,…]`: the memory a volume
 * import takes on the Worker's code path, run in Node (workerd in local mode does not enforce the
 * 128 MB nor report an isolate's heap): the whole body in memory as the Worker reads it
 * (`c.req.arrayBuffer()`), fed through `uploadSource`, validated against a copy of the savings
 * bench's database, its statements held as D1's staged writer holds them (up to 5,000 before the
 * first batch, then 1,000 at a time) and dropped instead of sent (D1 itself is not in Node). The JS
 * heap plus ArrayBuffers is sampled every 5 ms; printed are the peak above the baseline taken with
 * the body already in memory, and that plus the body, per row.
 */
const sizes = (process.argv.find((a) => a.startsWith("--rows="))?.slice(7) ?? "25000,50000,100000").split(",").map(Number);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
const memory = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;

/** Holds statements as d1StagedWrite does, without a D1 to send them to. */
const heldAsD1: AtomicWrite = async (_db, chunks) => {
  let held: unknown[] = [];
  let limit = D1_SINGLE_BATCH_MAX;
  for await (const chunk of chunks) {
    held.push(...chunk);
    if (held.length > limit) {
      held = [];
      limit = D1_CHUNK_SIZE;
    }
  }
};

const source = await buildSavingsDb(200_000);
for (const rows of sizes) {
  const path = `${source}.edge-memory`;
  copyFileSync(source, path);
  const handle = openLibsql(`file:${path}`);
  const db = handle.db;
  const prices = await db.all<{ batch: string; name: string; pq: number | null }>(
    sql`SELECT p.batch_id AS batch, pr.generic_name AS name, pr.package_qty AS pq FROM prices p JOIN products pr ON pr.id = p.product_id ORDER BY p.id LIMIT 2000`,
  );
  const cities = (await db.all<{ code: string }>(sql`SELECT code FROM regions WHERE level = 'city' ORDER BY code`)).map((r) => r.code);
  let text = "批次,医保编码,通用名,转换比,地区,月份,采购量,采购金额";
  for (let i = 0; i < rows; i++) {
    const p = prices[i % prices.length]!;
    const city = cities[Math.floor(i / prices.length) % cities.length]!;
    text += `\n${p.batch},,${p.name},${p.pq ?? ""},${city},${2025 + Math.floor(i / (prices.length * cities.length))}-01,${100 + i},${1000 + i}`;
  }
  const bytes = new TextEncoder().encode(text);
  text = "";
  gc();
  gc();
  const base = memory();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, memory());
  }, 5);
  const t = performance.now();
  const report = await runImport(db, { kind: "volumes", bytes, source: uploadSource(bytes), fileName: "edge.csv", actor: "bench", write: heldAsD1 });
  const seconds = (performance.now() - t) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, memory());
  if (report.errors.length || report.rowsTotal !== rows) throw new Error(`import failed: ${JSON.stringify(report.errors.slice(0, 3))}`);
  const withBody = peak - base + bytes.length;
  console.log(
    `${rows.toLocaleString("en").padStart(9)} volume rows, body ${mb(bytes.length)}: peak ${mb(peak - base)} above the body (${mb(withBody)} with it, ${(withBody / rows).toFixed(0)} bytes a row) in ${seconds.toFixed(1)} s; load average ${loadavg()[0]!.toFixed(2)}`,
  );
  handle.close();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
}
