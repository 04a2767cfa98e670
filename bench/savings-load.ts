import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { openLibsql } from "../src/db/client";
import { MIGRATIONS_FOLDER, migrateLibsql } from "../src/db/migrate";
import { productNaturalKey } from "../src/domain/names";

/**
 * Builds (once, cached under data/bench/) a SYNTHETIC database with `rows` volume rows: 372 regions
 * (31 provinces, 341 cities with fund shares), 40 batches, 2000 prices, 36 months. Row by row the
 * triggers write ~10k rows/s on this machine (17 min for 10M), so the bulk load drops the volume insert
 * trigger, builds the rollups with one GROUP BY over the same view the triggers read, and puts the
 * trigger back from the migration file; the bench then checks rollup answers against raw ones.
 */
export const BENCH_SHAPE = { provinces: 31, citiesPerProvince: 11, batches: 40, prices: 2000, months: 36 };
const PACKAGE_QTYS = [null, 7, 10, 12, 14, 20, 24, 28, 30, 36, 48, 60, 100];

/**
 * A hash of every migration (tables, views, triggers) and of this loader, so a cached database built
 * by another schema or another data shape is never reused: any edit gives a new file name.
 */
export function benchFingerprint(): string {
  const hash = createHash("sha256");
  const sqlFiles = readdirSync(MIGRATIONS_FOLDER)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  for (const file of [...sqlFiles, "meta/_journal.json"])
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(MIGRATIONS_FOLDER, file)))
      .update("\0");
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  return hash.digest("hex").slice(0, 12);
}

/** The volume insert trigger exactly as the latest migration that defines it creates it. */
function insertTriggerSql(): string {
  const file = readFileSync(join(MIGRATIONS_FOLDER, "0017_volume_rollups_set_based.sql"), "utf8");
  const chunk = file.split("--> statement-breakpoint").find((part) => part.includes("CREATE TRIGGER `volumes_rollup_after_insert`"));
  if (!chunk) throw new Error("volumes_rollup_after_insert not found in the migration");
  return chunk.slice(chunk.indexOf("CREATE TRIGGER"));
}

export async function buildSavingsDb(rows: number, log: (line: string) => void = console.log): Promise<string> {
  const dir = resolve("data/bench");
  mkdirSync(dir, { recursive: true });
  const name = `savings-${rows}-${benchFingerprint()}.db`;
  const path = join(dir, name);
  if (existsSync(path)) {
    log(`using cached ${path}`);
    return path;
  }
  // Finished databases of the same size built for another schema can never be used again: free
  // their space (a `.building` file may be another run's, still being written, so it stays).
  for (const stale of readdirSync(dir).filter((f) => f.startsWith(`savings-${rows}-`) && f.endsWith(".db") && f !== name)) {
    log(`removing stale ${join(dir, stale)} (built for another schema or loader)`);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(join(dir, stale + suffix), { force: true });
  }
  const tmp = `${path}.building`;
  for (const suffix of ["", "-wal", "-shm"]) rmSync(tmp + suffix, { force: true });
  const handle = openLibsql(`file:${tmp}`);
  const c = handle.client;
  await migrateLibsql(handle.db);
  for (const pragma of ["journal_mode = OFF", "synchronous = OFF", "cache_size = -1000000", "temp_store = MEMORY"]) await c.execute(`PRAGMA ${pragma}`);
  const started = performance.now();

  const { provinces, citiesPerProvince, batches, prices, months } = BENCH_SHAPE;
  const regionRows: string[] = [];
  const cityCodes: string[] = [];
  for (let i = 0; i < provinces; i++) {
    const prov = String(11 + i);
    regionRows.push(`('${prov}', '合成省${i + 1}', NULL, 'province', NULL)`);
    for (let j = 1; j <= citiesPerProvince; j++) {
      const code = `${prov}${String(j).padStart(2, "0")}00`;
      cityCodes.push(code);
      // One city in eleven has no fund share of its own (nor its province): its savings count as unshared.
      const share = j === citiesPerProvince ? "NULL" : String(5000 + ((i * 7 + j * 13) % 40) * 100);
      regionRows.push(`('${code}', '合成市${i + 1}-${j}', '${prov}', 'city', ${share})`);
    }
  }
  await c.execute(`INSERT INTO regions (code, name, parent_code, level, fund_share_bp) VALUES ${regionRows.join(", ")}`);
  const batchRows = Array.from(
    { length: batches },
    (_, n) => `('bench-savings-${n + 1}', '合成批次${n + 1}（演示）', 'provincial', '${n % 3 === 0 ? "device" : "drug"}', '2022-01-01', '2024-12-31', 1)`,
  );
  await c.execute(`INSERT INTO batches (id, name, level, category, cycle_start, cycle_end, synthetic) VALUES ${batchRows.join(", ")}`);
  const stmts: Array<{ sql: string; args: Array<string | number | null> }> = [];
  for (let i = 1; i <= prices; i++) {
    const pq = PACKAGE_QTYS[i % PACKAGE_QTYS.length] ?? null;
    const chosen = 10_000 + ((i * 7919) % 5_000_000);
    const ref = chosen * (2 + (i % 19));
    stmts.push({
      sql: `INSERT INTO products (id, natural_key, category, generic_name, package_qty, synthetic) VALUES (?, ?, 'drug', ?, ?, 1)`,
      args: [i, productNaturalKey({ genericName: `合成药品${i}`, packageQty: pq }), `合成药品${i}`, pq],
    });
    stmts.push({
      sql: `INSERT INTO prices (id, batch_id, product_id, chosen_price_e4, reference_price_e4, reference_kind, unit_price_e4, agreed_volume, synthetic)
        VALUES (?, ?, ?, ?, ?, 'pre_vbp', ?, ?, 1)`,
      args: [i, `bench-savings-${((i - 1) % batches) + 1}`, i, chosen, ref, Math.round(chosen / (pq ?? 1)), 100_000 + i * 1000],
    });
  }
  await c.batch(stmts, "write");
  await c.execute(`CREATE TABLE bench_city (idx INTEGER PRIMARY KEY, code TEXT NOT NULL)`);
  await c.execute(`INSERT INTO bench_city VALUES ${cityCodes.map((code, i) => `(${i}, '${code}')`).join(", ")}`);
  await c.execute(`CREATE TABLE bench_month (idx INTEGER PRIMARY KEY, month TEXT NOT NULL)`);
  await c.execute(
    `INSERT INTO bench_month VALUES ${Array.from({ length: months }, (_, m) => `(${m}, '${2022 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}')`).join(", ")}`,
  );
  const slots = Math.ceil(rows / (prices * months));
  if (slots > cityCodes.length) throw new Error(`at most ${prices * months * cityCodes.length} rows fit this shape`);
  await c.execute(`CREATE TABLE bench_slot (k INTEGER PRIMARY KEY)`);
  await c.execute(`INSERT INTO bench_slot VALUES ${Array.from({ length: slots }, (_, k) => `(${k})`).join(", ")}`);

  await c.execute("DROP TRIGGER volumes_rollup_after_insert");
  // Whole packages mostly; one row in a hundred ends in a partly bought package; one in fifty has its own fund share.
  const perChunk = 50;
  let written = 0;
  for (let first = 1; first <= prices && written < rows; first += perChunk) {
    const limit = Math.min(perChunk * slots * months, rows - written);
    await c.execute({
      sql: `INSERT INTO volumes (price_id, region_code, month, units, amount_paid_e4, fund_share_bp)
        SELECT p.id, bc.code, m.month,
          (1 + h % 500) * q + CASE WHEN h % 100 = 0 THEN h % q ELSE 0 END,
          p.chosen_price_e4 * (1 + h % 500),
          CASE WHEN h % 50 = 1 THEN 5000 + h % 3000 END
        FROM (SELECT p.id, p.chosen_price_e4, CASE WHEN pr.package_qty > 0 THEN pr.package_qty ELSE 1 END AS q, s.k, mm.idx AS mi,
                ((p.id * 1103515245 + s.k * 12345 + mm.idx * 2654435761) % 1000003) AS h
              FROM prices p JOIN products pr ON pr.id = p.product_id, bench_slot s, bench_month mm
              WHERE p.id BETWEEN ? AND ?) AS p
        JOIN bench_city bc ON bc.idx = (p.id * 7 + p.k) % ${cityCodes.length}
        JOIN bench_month m ON m.idx = p.mi
        ORDER BY p.id, bc.code, m.month
        LIMIT ?`,
      args: [first, first + perChunk - 1, limit],
    });
    written += limit;
    const seconds = (performance.now() - started) / 1000;
    if (first === 1 || Math.floor(written / 1_000_000) !== Math.floor((written - limit) / 1_000_000)) {
      log(`  ${written.toLocaleString("en")} volume rows in ${seconds.toFixed(0)} s`);
    }
  }
  const sums = "parts, volume_rows, units, amount_paid_e4, spend_num, fund_hi, fund_lo, unshared_num";
  const summed = sums
    .split(", ")
    .map((col) => `SUM(${col})`)
    .join(", ");
  await c.execute(`INSERT INTO savings_rollup_batch_region_month (batch_id, region_code, month, divisor, ${sums})
    SELECT batch_id, region_code, month, divisor, ${summed} FROM volume_parts GROUP BY 1, 2, 3, 4`);
  await c.execute(`INSERT INTO purchase_rollup_price_region (price_id, region_code, units, volume_rows)
    SELECT price_id, region_code, SUM(units), COUNT(*) FROM volumes GROUP BY 1, 2`);
  log(`  rollups built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  await c.execute(insertTriggerSql());
  await c.execute("ANALYZE");
  handle.close();
  renameSync(tmp, path);
  log(`built ${path} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return path;
}
