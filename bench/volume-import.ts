import { statSync } from "node:fs";
import { sql } from "drizzle-orm";
import { openLibsql } from "../src/db/client";
import { tuneEmbedded } from "../src/db/migrate";
import { volumeChunkStatements, volumeChunkStatementsPerRowTriggers, volumesKind } from "../src/import/kinds/volumes";
import { type AtomicWrite, defaultAtomicWrite, transactionWrite } from "../src/import/writer";
import { runImport } from "../src/services/imports";
import { getSavings } from "../src/services/savings";
import { buildSavingsDb } from "./savings-load";
import { loadAverage } from "./support";

/**
 * `npm run bench -- volume-import [--rows=N] [--import-rows=M] [--rounds=R] [--before=no-price-cache|triggers]`:
 * a volume import of M (default 10,000) SYNTHETIC rows into the savings bench's database of N
 * (default 200,000) volume rows, the six savings rollups and the purchase rollup kept in the
 * import's transaction. Before and after alternate R rounds (default 3) in this process on the same
 * database, through both writers: the CLI's (one transaction, 5,000-row chunks) and the HTTP
 * default (one batch, 500-row chunks). "Before" is the validation without the price cache (every
 * row's natural key built; the default) or, with --before=triggers, the chunk written through the
 * per-row triggers; "after" is the code as it is. Each round imports new rows, then the same rows
 * with every amount changed (the update path), checks the rollups against a plain GROUP BY of the
 * raw rows, and deletes its rows again. Bounded: 2 × 2 × R imports of M rows. The last lines give
 * each writer's rows/s against the 20,000 target.
 */
export async function run(args: string[]): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const value = Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
    return value;
  };
  const rows = arg("rows", 200_000);
  const importRows = arg("import-rows", 10_000);
  const rounds = arg("rounds", 3);
  console.log(
    `data: ${rows.toLocaleString("en")} SYNTHETIC volume rows (not real purchases), cached under data/bench/; imports of ${importRows.toLocaleString("en")} rows`,
  );
  const path = await buildSavingsDb(rows);
  const url = `file:${path}`;
  const handle = openLibsql(url);
  await tuneEmbedded(handle, url);
  const db = handle.db;
  const bytes = statSync(path).size;
  console.log(
    `storage: ${(bytes / 2 ** 20).toFixed(0)} MB for ${rows.toLocaleString("en")} volume rows with their rollups and indexes: ${(bytes / rows).toFixed(0)} bytes per volume row`,
  );

  // A month of purchases for (price, city) pairs: rows that do not exist yet.
  const prices = await db.all<{ batch: string; name: string; pq: number | null }>(
    sql`SELECT p.batch_id AS batch, pr.generic_name AS name, pr.package_qty AS pq FROM prices p JOIN products pr ON pr.id = p.product_id ORDER BY p.id LIMIT 2000`,
  );
  const cities = (await db.all<{ code: string }>(sql`SELECT code FROM regions WHERE level = 'city' ORDER BY code`)).map((r) => r.code);
  if (importRows > prices.length * cities.length) throw new Error(`--import-rows at most ${prices.length * cities.length}`);
  const file = (round: number, amount: number) => {
    const csv = ["批次,医保编码,通用名,转换比,地区,月份,采购量,采购金额"];
    for (let i = 0; i < importRows; i++) {
      const p = prices[i % prices.length]!;
      const city = cities[(Math.floor(i / prices.length) + round) % cities.length]!;
      csv.push(`${p.batch},,${p.name},${p.pq ?? ""},${city},2025-01,${100 + i + (i % 100 === 0 ? 3 : 0)},${amount + i}`);
    }
    return new TextEncoder().encode(csv.join("\n"));
  };

  // Before: --before=no-price-cache (default) reads every row's product cells into its natural key
  // (the validation before the price cache); --before=triggers writes with the per-row triggers.
  const baseline = args.find((a) => a.startsWith("--before="))?.slice(9) ?? "no-price-cache";
  if (baseline !== "no-price-cache" && baseline !== "triggers") throw new Error("--before must be no-price-cache or triggers");
  console.log(
    `before: ${baseline === "triggers" ? "per-row triggers keep the rollups" : "set-based, no price cache (each row's natural key built)"}; after: the code as it is`,
  );
  const original = volumesKind.chunkStatements;
  const originalPrepare = volumesKind.prepare;
  const withoutPriceCache: typeof volumesKind.prepare = async (...a) => ({ ...(await originalPrepare(...a)), priceByCells: undefined });
  const forms = { before: baseline === "triggers" ? volumeChunkStatementsPerRowTriggers : volumeChunkStatements, after: volumeChunkStatements };
  const writers: Array<[string, AtomicWrite]> = [
    ["CLI writer (transaction, 5,000-row chunks)", transactionWrite()],
    ["HTTP default (one batch, 500-row chunks)", defaultAtomicWrite(db)],
  ];
  const times = new Map<string, number[]>();
  let allEqual = true;
  const startLoad = loadAverage(", ");
  for (let round = 0; round < rounds; round++) {
    for (const [writerName, write] of writers) {
      for (const form of (round % 2 ? ["after", "before"] : ["before", "after"]) as Array<keyof typeof forms>) {
        volumesKind.chunkStatements = forms[form];
        if (form === "before" && baseline === "no-price-cache") volumesKind.prepare = withoutPriceCache;
        try {
          for (const [phase, amount] of [
            ["new rows", 1000],
            ["changed rows", 2000],
          ] as const) {
            const t = performance.now();
            const report = await runImport(db, { kind: "volumes", bytes: file(round, amount), fileName: `bench-2025-01-${phase}.csv`, actor: "bench", write });
            const seconds = (performance.now() - t) / 1000;
            if (report.errors.length || report.rowsImported !== importRows) throw new Error(`import failed: ${JSON.stringify(report.errors.slice(0, 3))}`);
            const key = `${writerName}|${phase}|${form}`;
            times.set(key, [...(times.get(key) ?? []), importRows / seconds]);
            const rollup = await getSavings(db, { groupBy: "region", from: "2025-01" });
            const raw = await getSavings(db, { groupBy: "region", from: "2025-01" }, { source: "raw" });
            allEqual &&= JSON.stringify([rollup.data, rollup.meta.totals]) === JSON.stringify([raw.data, raw.meta.totals]);
          }
        } finally {
          volumesKind.chunkStatements = original;
          volumesKind.prepare = originalPrepare;
        }
        // Leave the cached database as it was built (the delete triggers take the rows' parts out).
        await db.run(sql`DELETE FROM volumes WHERE month = '2025-01'`);
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  console.log(`load average (1, 5, 15 min) at the start / end: ${startLoad} / ${loadAverage(", ")} (2 cores shared with other processes)`);
  console.log(
    `${"writer".padEnd(44)} ${"rows".padEnd(13)} ${"before rows/s".padStart(14)} ${"after rows/s".padStart(13)} ${"after/before".padStart(13)}  (median of ${rounds}, alternating)`,
  );
  for (const [writerName] of writers) {
    for (const phase of ["new rows", "changed rows"]) {
      const before = median(times.get(`${writerName}|${phase}|before`)!);
      const after = median(times.get(`${writerName}|${phase}|after`)!);
      console.log(
        `${writerName.padEnd(44)} ${phase.padEnd(13)} ${Math.round(before).toLocaleString("en").padStart(14)} ${Math.round(after).toLocaleString("en").padStart(13)} ${(after / before).toFixed(2).padStart(12)}×`,
      );
    }
  }
  for (const [writerName] of writers) {
    const after = ["new rows", "changed rows"].map((phase) => median(times.get(`${writerName}|${phase}|after`)!));
    console.log(
      `${writerName}: ${Math.round(after[0]!).toLocaleString("en")} rows/s new, ${Math.round(after[1]!).toLocaleString("en")} rows/s changed (after, median): target ≥ 20,000 ${Math.min(...after) >= 20_000 ? "MET" : "NOT MET"}`,
    );
  }
  const pending = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM volume_rollup_pending`);
  console.log(
    `rollups after every import ${allEqual ? "equal" : "DIFFER FROM"} the raw GROUP BY; volume_rollup_pending holds ${pending?.n} rows (must be 0); target ≥ 20,000 rows/s`,
  );
  handle.close();
}
