import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { PROJECT_ROOT, seedFiles } from "../../src/cli/files";
import { runGen } from "../../src/cli/gen";
import { type Db, openLibsql } from "../../src/db/client";
import { readRows } from "../../src/db/read-rows";
import { ensureStatistics } from "../../src/db/statistics";
import { transactionWrite } from "../../src/import/writer";
import { previewImport } from "../../src/services/import-preview";
import { runImport } from "../../src/services/imports";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

/**
 * The planner's statistics follow the data (issue 16): a database built only by imports, through
 * the CLI's writer or over HTTP, has sqlite_stat1 rows for prices afterwards, so queries are planned
 * on what the tables hold; a server started on a database that has none analyzes it once.
 */
const seed = (name: string) => readFileSync(join(PROJECT_ROOT, "seeds", name));
const nationalPrices = seed("prices-national.csv");

async function statsFor(db: Db, table: string): Promise<Array<{ idx: string | null; stat: string }>> {
  const exists = await readRows<{ n: number }>(db, "SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'");
  if (!exists[0]?.n) return [];
  return readRows(db, "SELECT idx, stat FROM sqlite_stat1 WHERE tbl = ?", [table]);
}

/** A world with the real regions and batches but no prices, and no statistics yet. */
async function emptyWorld(): Promise<TestWorld> {
  const world = await createTestWorld({ seed: false });
  for (const f of seedFiles().filter((f) => f.kind !== "prices")) {
    const report = await runImport(world.db, { kind: f.kind, bytes: f.bytes, fileName: f.name });
    expect(report.errors).toEqual([]);
  }
  expect(await statsFor(world.db, "prices")).toEqual([]);
  return world;
}

let world: TestWorld | undefined;
afterEach(() => world?.close());

describe("planner statistics after imports", () => {
  it("an import through the CLI's writer (one transaction, staged) leaves sqlite_stat1 rows for prices that count them", async () => {
    world = await emptyWorld();
    const report = await runImport(world.db, {
      kind: "prices",
      bytes: nationalPrices,
      fileName: "prices-national.csv",
      write: transactionWrite({ chunkRows: 200, stagedRows: 400 }),
    });
    expect(report.errors).toEqual([]);
    const n = (await readRows<{ n: number }>(world.db, "SELECT count(*) AS n FROM prices"))[0]!.n;
    const stats = await statsFor(world.db, "prices");
    // One row per index of prices; each stat starts with the table's row count (exact below the analysis limit).
    expect(stats.map((s) => s.idx)).toContain("prices_batch_product_uq");
    for (const s of stats) expect(Number(s.stat.split(" ")[0])).toBe(n);
    expect((await statsFor(world.db, "products")).length).toBeGreaterThan(0);
  });

  it("an import over HTTP leaves sqlite_stat1 rows for prices", async () => {
    world = await emptyWorld();
    const res = await world.app.request("/api/v1/imports?kind=prices", {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv" },
      body: nationalPrices,
    });
    expect(res.status).toBe(200);
    expect((await statsFor(world.db, "prices")).length).toBeGreaterThan(0);
  });

  it("a dry run writes no statistics", async () => {
    world = await emptyWorld();
    const report = await runImport(world.db, { kind: "prices", bytes: nationalPrices, fileName: "prices-national.csv", dryRun: true });
    expect(report.errors).toEqual([]);
    expect(await statsFor(world.db, "prices")).toEqual([]);
  });

  it("at start, a database with prices but no statistics is analyzed once; the next start leaves it alone", async () => {
    world = await createTestWorld();
    // The seeds' imports analyzed it; a database from before statistics were kept has none.
    await world.db.run(sql.raw("DELETE FROM sqlite_stat1"));
    expect(await statsFor(world.db, "prices")).toEqual([]);
    const first = await ensureStatistics(world.db);
    expect(first.analyzed).toBe(true);
    expect((await statsFor(world.db, "prices")).length).toBeGreaterThan(0);
    expect((await ensureStatistics(world.db)).analyzed).toBe(false);
  });
});

/** The rows sqlite_stat1 says prices holds. */
const analyzedPrices = async (db: Db) => Math.max(...(await statsFor(db, "prices")).map((s) => Number(s.stat.split(" ")[0])));
const priceCount = async (db: Db) => (await readRows<{ n: number }>(db, "SELECT count(*) AS n FROM prices"))[0]!.n;

describe("statistics taken while the database held a few prices", () => {
  /**
   * The seeds' regions and batches and the 3 demo prices, analyzed at 3; and 5,000 SYNTHETIC prices
   * (npm run gen) to bring in, their batches imported. With those statistics the planner read every
   * price for each staged row: 3,000 prices took 56 s to import and 20,000 never finished.
   */
  async function analyzedAtThree(): Promise<Uint8Array> {
    world = await emptyWorld();
    expect((await runImport(world.db, { kind: "prices", bytes: seed("prices.csv"), fileName: "prices.csv" })).errors).toEqual([]);
    await world.db.run(sql`ANALYZE`);
    expect(await analyzedPrices(world.db)).toBe(3);
    const dir = mkdtempSync(join(tmpdir(), "vbp-gen-"));
    try {
      await runGen({ prices: 5000, out: dir, seed: 1 });
      expect((await runImport(world.db, { kind: "batches", bytes: readFileSync(join(dir, "batches.csv")) })).errors).toEqual([]);
      return readFileSync(join(dir, "prices.csv"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("imports 5,000 prices into it in seconds, and the statistics then count them", { timeout: 60_000 }, async () => {
    const file = await analyzedAtThree();
    const report = await runImport(world!.db, { kind: "prices", bytes: file, fileName: "synthetic.csv" });
    expect(report.errors).toEqual([]);
    expect(report.rowsImported).toBe(5000);
    // ANALYZE reads 1,000 rows per index (analysis_limit): past that its count is an estimate.
    const analyzed = await analyzedPrices(world!.db);
    const n = await priceCount(world!.db);
    expect(analyzed).toBeGreaterThan(n / 2);
    expect(analyzed).toBeLessThan(n * 2);
  });

  it("previews the same 5,000 prices, and leaves the database and its statistics as they were", { timeout: 60_000 }, async () => {
    const file = await analyzedAtThree();
    const { report, preview } = await previewImport(world!.db, { kind: "prices", bytes: file, fileName: "synthetic.csv" });
    expect(report.errors).toEqual([]);
    expect(preview?.added).toBe(5000);
    expect(await priceCount(world!.db)).toBe(3);
    expect(await analyzedPrices(world!.db)).toBe(3);
  });

  it("a server started on a database whose statistics count a tenth of its prices or less analyzes it again; current ones are left alone", async () => {
    world = await emptyWorld();
    expect((await runImport(world.db, { kind: "prices", bytes: nationalPrices, fileName: "prices-national.csv" })).errors).toEqual([]);
    expect((await ensureStatistics(world.db)).analyzed).toBe(false);
    // What a copy of the file taken without its write-ahead log can hold: statistics from when it had 3 prices.
    await world.db.run(sql`UPDATE sqlite_stat1 SET stat = '3' || substr(stat, instr(stat, ' ')) WHERE tbl = 'prices'`);
    await world.db.run(sql`ANALYZE sqlite_schema`);
    expect(await analyzedPrices(world.db)).toBe(3);
    // The server's start opens a connection of its own, which has run no statement yet.
    const started = openLibsql(world.url);
    try {
      expect((await ensureStatistics(started.db)).analyzed).toBe(true);
    } finally {
      started.close();
    }
    expect(await analyzedPrices(world.db)).toBe(await priceCount(world.db));
  });
});
