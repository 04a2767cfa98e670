import { mkdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { openLibsql } from "../src/db/client";
import { migrateLibsql, tuneEmbedded } from "../src/db/migrate";
import { productNaturalKey } from "../src/domain/names";
import { getSavings, type SavingsQuery } from "../src/services/savings";
import { storageByTable, storageReport } from "./storage";
import { loadAverage } from "./support";

/**
 * `npm run bench -- volumes-at-scale [--rows=N] [--keep]`: a national decade of SYNTHETIC monthly
 * volumes (default 100,000,000 rows) generated straight into a new SQLite file with the app's
 * schema, for docs/volumes-at-scale.md. Shape: 31 provinces with as many pooling regions (统筹区,
 * one per prefecture-level division) as each has, 4,000 chosen prices in 40 batches, 120 months
 * (2016-01 … 2025-12); every region buys the same number of prices a month, a window of the
 * price list that moves with the province. The volume insert trigger is dropped while loading (the
 * rows go in in index order, in chunks), the indexes are built as the migrations define them, then
 * the rollups with one GROUP BY each as the savings bench's builder does. Printed: generation rows/s,
 * bytes per row by table, rollup build time, 10 kinds of savings question × 3 values from the
 * rollups (p50/p95), one raw GROUP BY, and each province's share of the rows against D1's 10 GB.
 * The file is deleted at the end unless --keep.
 */

/** Prefecture-level divisions per province (GB/T 2260 province codes; counts as of the early 2020s, ±1 per revision). */
const PROVINCES: Array<[code: string, cities: number]> = [
  ["11", 1],
  ["12", 1],
  ["13", 11],
  ["14", 11],
  ["15", 12],
  ["21", 14],
  ["22", 9],
  ["23", 13],
  ["31", 1],
  ["32", 13],
  ["33", 11],
  ["34", 16],
  ["35", 9],
  ["36", 11],
  ["37", 16],
  ["41", 17],
  ["42", 17],
  ["43", 14],
  ["44", 21],
  ["45", 14],
  ["46", 4],
  ["50", 1],
  ["51", 21],
  ["52", 9],
  ["53", 16],
  ["54", 7],
  ["61", 10],
  ["62", 14],
  ["63", 8],
  ["64", 5],
  ["65", 14],
];
const PRICES = 4000;
const BATCHES = 40;
const MONTHS = 120;
const D1_CAP_BYTES = 10 * 2 ** 30;
const PACKAGE_QTYS = [null, 7, 10, 12, 14, 20, 24, 28, 30, 36, 48, 60, 100];

const loadNow = () => loadAverage(", ");
const percentile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
const month = (m: number) => `${2016 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;

export async function run(args: string[]): Promise<void> {
  const rows = Number(args.find((a) => a.startsWith("--rows="))?.slice(7) ?? 100_000_000);
  const keep = args.includes("--keep");
  const regions = PROVINCES.flatMap(([prov, n]) => Array.from({ length: n }, (_, j) => ({ prov, code: `${prov}${String(j + 1).padStart(2, "0")}00` })));
  const perRegionMonth = Math.ceil(rows / (regions.length * MONTHS));
  if (!Number.isSafeInteger(rows) || rows < 1 || perRegionMonth > PRICES) throw new Error(`--rows must be between 1 and ${PRICES * regions.length * MONTHS}`);
  console.log(
    `data: ${rows.toLocaleString("en")} SYNTHETIC volume rows (not real purchases): ${regions.length} pooling regions in ${PROVINCES.length} provinces × ${MONTHS} months × ${perRegionMonth} of ${PRICES} prices each; load average ${loadNow()}`,
  );
  const dir = resolve("data/bench");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `volumes-at-scale-${rows}.db`);
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(path + suffix, { force: true });
  const handle = openLibsql(`file:${path}`);
  const c = handle.client;
  try {
    await migrateLibsql(handle.db);
    for (const pragma of ["journal_mode = OFF", "synchronous = OFF", "cache_size = -1000000", "temp_store = FILE"]) await c.execute(`PRAGMA ${pragma}`);

    const regionRows = PROVINCES.map(([prov], i) => `('${prov}', '合成省${i + 1}', NULL, 'province', NULL)`);
    regions.forEach((r, i) => {
      regionRows.push(`('${r.code}', '合成市${r.code}', '${r.prov}', 'city', ${i % 11 === 10 ? "NULL" : String(5000 + (i % 40) * 100)})`);
    });
    await c.execute(`INSERT INTO regions (code, name, parent_code, level, fund_share_bp) VALUES ${regionRows.join(", ")}`);
    const batchRows = Array.from(
      { length: BATCHES },
      (_, n) =>
        `('scale-${n + 1}', '合成批次${n + 1}（演示）', '${n < 12 ? "national" : "provincial"}', '${n % 4 === 3 ? "device" : "drug"}', '2016-01-01', '2025-12-31', 1)`,
    );
    await c.execute(`INSERT INTO batches (id, name, level, category, cycle_start, cycle_end, synthetic) VALUES ${batchRows.join(", ")}`);
    const stmts: Array<{ sql: string; args: Array<string | number | null> }> = [];
    for (let i = 1; i <= PRICES; i++) {
      const pq = PACKAGE_QTYS[i % PACKAGE_QTYS.length] ?? null;
      const chosen = 10_000 + ((i * 7919) % 5_000_000);
      stmts.push(
        {
          sql: "INSERT INTO products (id, natural_key, category, generic_name, package_qty, synthetic) VALUES (?, ?, 'drug', ?, ?, 1)",
          args: [i, productNaturalKey({ genericName: `合成药品${i}`, packageQty: pq }), `合成药品${i}`, pq],
        },
        {
          sql: `INSERT INTO prices (id, batch_id, product_id, chosen_price_e4, reference_price_e4, reference_kind, unit_price_e4, agreed_volume, synthetic)
            VALUES (?, ?, ?, ?, ?, 'pre_vbp', ?, ?, 1)`,
          args: [i, `scale-${((i - 1) % BATCHES) + 1}`, i, chosen, chosen * (2 + (i % 19)), Math.round(chosen / (pq ?? 1)), 100_000 + i * 1000],
        },
      );
    }
    await c.batch(stmts, "write");
    await c.execute("CREATE TEMP TABLE sim_month (idx INTEGER PRIMARY KEY, month TEXT NOT NULL)");
    await c.execute(`INSERT INTO sim_month VALUES ${Array.from({ length: MONTHS }, (_, m) => `(${m}, '${month(m)}')`).join(", ")}`);
    await c.execute("CREATE TEMP TABLE sim_region (code TEXT PRIMARY KEY, idx INTEGER NOT NULL, offset INTEGER NOT NULL) WITHOUT ROWID");
    // Each province buys a window of the price list of its own (its provincial batches differ).
    await c.execute(`INSERT INTO sim_region VALUES ${regions.map((r, i) => `('${r.code}', ${i}, ${(Number(r.prov) * 97) % PRICES})`).join(", ")}`);

    // Loaded without triggers and indexes; rows go in ordered by (price, region, month), the unique index's order.
    await c.execute("DROP TRIGGER volumes_rollup_after_insert");
    const indexes = (await c.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'volumes' AND sql IS NOT NULL")).rows.map(
      (r) => ({
        name: String(r.name),
        sql: String(r.sql),
      }),
    );
    for (const index of indexes) await c.execute(`DROP INDEX ${index.name}`);
    const started = performance.now();
    let written = 0;
    const perChunk = 20;
    for (let first = 1; first <= PRICES && written < rows; first += perChunk) {
      const result = await c.execute({
        sql: `INSERT INTO volumes (price_id, region_code, month, units, amount_paid_e4, fund_share_bp, created_at, updated_at)
          SELECT p.id, r.code, m.month, (1 + h % 500) * q + CASE WHEN h % 100 = 0 THEN h % q ELSE 0 END, p.chosen_price_e4 * (1 + h % 500),
            CASE WHEN h % 50 = 1 THEN 5000 + h % 3000 END, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
          FROM (SELECT p.id, p.chosen_price_e4, CASE WHEN pr.package_qty > 0 THEN pr.package_qty ELSE 1 END AS q, r.code, mm.idx AS mi,
                  ((p.id * 1103515245 + r.idx * 12345 + mm.idx * 2654435761) % 1000003) AS h
                FROM prices p JOIN products pr ON pr.id = p.product_id, sim_region r, sim_month mm
                WHERE p.id BETWEEN ? AND ? AND (p.id - 1 - r.offset + ${PRICES}) % ${PRICES} < ${perRegionMonth}) AS p
          JOIN sim_region r ON r.code = p.code JOIN sim_month m ON m.idx = p.mi
          ORDER BY p.id, r.code, m.month`,
        args: [first, first + perChunk - 1],
      });
      written += result.rowsAffected;
      if (Math.floor(written / 10_000_000) !== Math.floor((written - result.rowsAffected) / 10_000_000))
        console.log(`  ${written.toLocaleString("en")} rows in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    const loadSeconds = (performance.now() - started) / 1000;
    console.log(
      `generated ${written.toLocaleString("en")} rows in ${loadSeconds.toFixed(0)} s (${Math.round(written / loadSeconds).toLocaleString("en")} rows/s, no indexes); load average ${loadNow()}`,
    );
    for (const index of indexes) {
      const t = performance.now();
      await c.execute(index.sql);
      console.log(`  index ${index.name} built in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    }
    const sums = "parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num";
    const summed = sums
      .split(", ")
      .map((col) => `SUM(${col})`)
      .join(", ");
    let t = performance.now();
    await c.execute(`INSERT INTO savings_rollup_batch_region_month (batch_id, region_code, month, divisor, ${sums})
      SELECT batch_id, region_code, month, divisor, ${summed} FROM volume_parts GROUP BY 1, 2, 3, 4`);
    await c.execute(`INSERT INTO purchase_rollup_price_region (price_id, region_code, units, volume_rows)
      SELECT price_id, region_code, SUM(units), COUNT(*) FROM volumes GROUP BY 1, 2`);
    console.log(`rollups built in ${((performance.now() - t) / 1000).toFixed(0)} s (set-based, from the raw rows); load average ${loadNow()}`);
    await c.execute("ANALYZE");
    await c.execute("PRAGMA journal_mode = DELETE");

    const bytes = statSync(path).size;
    console.log(`file: ${(bytes / 2 ** 30).toFixed(2)} GB, ${(bytes / written).toFixed(1)} bytes per volume row`);
    const storage = await storageByTable(c);
    for (const line of storageReport(storage, written)) console.log(line);

    const handleRead = openLibsql(`file:${path}`);
    await tuneEmbedded(handleRead, `file:${path}`);
    const db = handleRead.db;
    const kinds: Array<[string, (v: number) => SavingsQuery]> = [
      ["by batch, everything", () => ({ groupBy: "batch" })],
      ["by month, one year", (v) => ({ groupBy: "month", from: `${2017 + v * 3}-01`, to: `${2017 + v * 3}-12` })],
      ["by category, one year", (v) => ({ groupBy: "category", from: `${2018 + v * 2}-01`, to: `${2018 + v * 2}-12` })],
      ["by region (provinces)", () => ({ groupBy: "region" })],
      ["by region, one year", (v) => ({ groupBy: "region", from: `${2019 + v * 2}-01`, to: `${2019 + v * 2}-12` })],
      ["one province, by batch", (v) => ({ groupBy: "batch", region: PROVINCES[v * 9 + 2]![0] })],
      ["one province, by batch, year", (v) => ({ groupBy: "batch", region: PROVINCES[v * 9 + 3]![0], from: "2024-01", to: "2024-12" })],
      ["one province, by city", (v) => ({ groupBy: "region", region: `合成省${v * 5 + 19}` })],
      ["one batch, by region", (v) => ({ groupBy: "region", batch: `scale-${v * 11 + 1}` })],
      ["one city and batch, by month", (v) => ({ groupBy: "month", region: regions[v * 100]!.code, batch: `scale-${v * 5 + 2}` })],
    ];
    const all: number[] = [];
    const questionLoad = loadNow();
    for (const [label, make] of kinds) {
      const times: number[] = [];
      for (let v = 0; v < 3; v++) {
        await getSavings(db, make(v)); // one warm-up per value: the first read of its pages from disk
        for (let i = 0; i < 5; i++) {
          const q0 = performance.now();
          await getSavings(db, make(v));
          times.push(performance.now() - q0);
        }
      }
      all.push(...times);
      console.log(`  ${label.padEnd(30)} p50 ${percentile(times, 0.5).toFixed(1).padStart(7)} ms  p95 ${percentile(times, 0.95).toFixed(1).padStart(7)} ms`);
    }
    console.log(
      `savings from the rollups, 10 kinds × 3 values × 5 runs: p50 ${percentile(all, 0.5).toFixed(1)} ms, p95 ${percentile(all, 0.95).toFixed(1)} ms (load average ${questionLoad} → ${loadNow()})`,
    );
    t = performance.now();
    const raw = await getSavings(db, { groupBy: "region" }, { source: "raw" });
    const rawMs = performance.now() - t;
    const rolled = await getSavings(db, { groupBy: "region" });
    const same = JSON.stringify([raw.data, raw.meta.totals]) === JSON.stringify([rolled.data, rolled.meta.totals]);
    console.log(
      `one raw GROUP BY (by region, every volume row): ${(rawMs / 1000).toFixed(1)} s; ${same ? "equals" : "DIFFERS FROM"} the rollup answer; load average ${loadNow()}`,
    );
    handleRead.close();

    // Per-province shards as D1 would hold them: that province's volume rows and rollup rows.
    const volumeBytes = storage.filter((l) => l.table === "volumes").reduce((s, l) => s + l.tableBytes + l.indexBytes, 0);
    const rollupBytes = storage.filter((l) => /rollup/.test(l.table)).reduce((s, l) => s + l.tableBytes + l.indexBytes, 0);
    const byProvince = (await c.execute("SELECT substr(region_code, 1, 2) AS prov, count(*) AS n FROM volumes GROUP BY 1 ORDER BY n DESC")).rows.map((r) => ({
      prov: String(r.prov),
      n: Number(r.n),
    }));
    const largest = byProvince[0]!;
    const share = largest.n / written;
    const shardBytes = share * (volumeBytes + rollupBytes);
    console.log(
      `largest province ${largest.prov}: ${largest.n.toLocaleString("en")} rows (${(share * 100).toFixed(1)} %), ≈ ${(shardBytes / 2 ** 30).toFixed(2)} GB as its own D1 shard (${((shardBytes / D1_CAP_BYTES) * 100).toFixed(0)} % of 10 GB); smallest ${byProvince.at(-1)!.prov}: ${byProvince.at(-1)!.n.toLocaleString("en")} rows`,
    );
    console.log(`one database for everything: ${(bytes / 2 ** 30).toFixed(2)} GB (${((bytes / D1_CAP_BYTES) * 100).toFixed(0)} % of D1's 10 GB)`);
  } finally {
    handle.close();
    if (!keep) for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(path + suffix, { force: true });
  }
}
