/**
 * Import bench: a 1,000,000-row SYNTHETIC prices CSV (`npm run gen`) imported through the CLI,
 * beside the sqlite3 shell loading the same rows into the same tables and search index.
 *
 *   npm run bench -- import [--rows=1000000] [--xlsx-rows=100000] [--only-xlsx] [--keep]
 *
 * Then the same CLI imports an .xlsx workbook of --xlsx-rows of the same synthetic rows (written by
 * exceljs's streaming writer, not timed), beside the CSV of those very rows: time and peak memory.
 *
 * The baseline is what a person would do with the sqlite3 shell: `.import` the CSV into a staging
 * table, then set-based INSERT … SELECT into products, prices and price_regions of a database made
 * by the same migrations, so the same indexes and search triggers (FTS5) do the same work. The
 * pinyin search keys, which SQL cannot compute, are handed to the baseline as a small ready-made
 * table (one row per generic name), so both sides fill the search index with the same text.
 * Debian's sqlite3 (3.40) cannot compile this schema's FTS5 table (`contentless_delete` needs
 * 3.43), so when it refuses, the INSERT … SELECT step runs in the SQLite engine the app ships
 * (libsql, 3.45) as one SQL script, still without any per-row JavaScript.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import Papa from "papaparse";
import { openMigrated } from "../src/cli/database";
import { runGen } from "../src/cli/gen";
import { loadSearchKeys } from "../src/domain/search-keys";
import { runImport } from "../src/services/imports";

const searchKeys = await loadSearchKeys();

const ROOT = resolve(import.meta.dirname, "..");
const TARGET_RATIO = 2.0;
const TARGET_PEAK_MB = 512;

type Measured = { seconds: number; peakMb: number; output: string; code: number | null };

/** Runs a command, sampling its peak resident memory (VmHWM) from /proc while it runs. */
function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, input?: string): Promise<Measured> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(cmd, args, { env, cwd: ROOT, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    let output = "";
    let peakKb = 0;
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    if (input !== undefined) child.stdin!.end(input);
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // the process has just exited
      }
    };
    const timer = setInterval(sample, 100);
    child.on("error", fail);
    child.on("exit", (code) => {
      clearInterval(timer);
      done({ seconds: (performance.now() - started) / 1000, peakMb: peakKb / 1024, output, code });
    });
  });
}

function rowsArg(args: string[]): number {
  const raw = args.find((a) => a.startsWith("--rows="))?.slice("--rows=".length);
  const n = raw === undefined ? 1_000_000 : Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--rows must be a positive integer, got ${raw}`);
  return n;
}

const STAGING_COLUMNS =
  "batch, category, genericName, genericNameEn, dosageForm, spec, packageText, packageQty, packageUnit, smallestUnit, manufacturer, nhsaCode, approvalNo, chosenPrice, referencePrice, referenceKind, supplyRegions, agreedVolume, cycleStart, cycleEnd, source, synthetic";

const naturalKey = (s: string) =>
  `CASE WHEN ${s}.nhsaCode <> '' THEN 'code:' || upper(${s}.nhsaCode) ELSE 'name:' || lower(${s}.genericName) || '|' || ${s}.dosageForm || '|' || ${s}.spec || '|' || ${s}.packageQty || '|' || ${s}.manufacturer END`;

/** The set-based load: same tables, same derived columns (unit price, reduction, region codes). */
function loadSql(stagingSchema: string): string {
  const st = `${stagingSchema}.staging`;
  const names = `${stagingSchema}.names`;
  return `
BEGIN IMMEDIATE;
INSERT INTO products (natural_key, category, generic_name, generic_name_en, dosage_form, spec, package_text, package_qty, package_unit, smallest_unit, manufacturer, nhsa_code, approval_no, name_norm, name_pinyin, name_initials, synthetic)
SELECT ${naturalKey("s")}, s.category, s.genericName, nullif(s.genericNameEn, ''), nullif(s.dosageForm, ''), nullif(s.spec, ''), nullif(s.packageText, ''),
  CAST(nullif(s.packageQty, '') AS INTEGER), nullif(s.packageUnit, ''), nullif(s.smallestUnit, ''), nullif(s.manufacturer, ''), nullif(s.nhsaCode, ''), nullif(s.approvalNo, ''),
  n.name_norm, n.name_pinyin, n.name_initials, s.synthetic = 'true'
FROM ${st} s JOIN ${names} n ON n.generic_name = s.genericName WHERE true
ON CONFLICT(natural_key) DO UPDATE SET generic_name = excluded.generic_name WHERE generic_name IS NOT excluded.generic_name;
INSERT INTO prices (batch_id, product_id, chosen_price_e4, reference_price_e4, reference_kind, unit_price_e4, discount_bp, supply_regions, agreed_volume, cycle_start, cycle_end, source, synthetic)
SELECT s.batch, pr.id, CAST(round(s.chosenPrice * 10000) AS INTEGER), CAST(round(nullif(s.referencePrice, '') * 10000) AS INTEGER), nullif(s.referenceKind, ''),
  CAST(round(s.chosenPrice * 10000 / coalesce(pr.package_qty, 1)) AS INTEGER),
  CASE WHEN s.referencePrice <> '' THEN CAST(round((s.referencePrice - s.chosenPrice) * 10000 / s.referencePrice) AS INTEGER) END,
  coalesce((SELECT group_concat(r.code, ',') FROM json_each('["' || replace(s.supplyRegions, '、', '","') || '"]') j JOIN regions r ON r.name = j.value), ''),
  CAST(nullif(s.agreedVolume, '') AS INTEGER), nullif(s.cycleStart, ''), nullif(s.cycleEnd, ''), nullif(s.source, ''), s.synthetic = 'true'
FROM ${st} s JOIN products pr ON pr.natural_key = ${naturalKey("s")} WHERE true
ON CONFLICT(batch_id, product_id) DO UPDATE SET chosen_price_e4 = excluded.chosen_price_e4 WHERE chosen_price_e4 IS NOT excluded.chosen_price_e4;
INSERT INTO price_regions (price_id, region_code)
SELECT p.id, j.value FROM prices p JOIN json_each('["' || replace(p.supply_regions, ',', '","') || '"]') j WHERE p.supply_regions <> '' AND true
ON CONFLICT DO NOTHING;
COMMIT;
`;
}

const count = (dbPath: string, table: string) =>
  Number(spawnSync("sqlite3", [dbPath, `SELECT count(*) FROM ${table}`], { encoding: "utf8" }).stdout.trim() || "NaN");

export async function run(args: string[]): Promise<void> {
  if (!args.includes("--only-xlsx")) await runCsv(args);
  await runXlsx(args);
}

async function runCsv(args: string[]): Promise<void> {
  const rows = rowsArg(args);
  const work = join(ROOT, "data", "bench-import");
  mkdirSync(work, { recursive: true });
  const dataDir = join(work, `gen-${rows}`);
  const csv = join(dataDir, "prices.csv");
  if (!existsSync(csv)) {
    console.log(`generating ${rows.toLocaleString("en-US")} SYNTHETIC prices (npm run gen) …`);
    await runGen({ prices: rows, out: dataDir, seed: 1 });
  }
  if (spawnSync("sqlite3", ["-version"]).status !== 0) {
    throw new Error("the sqlite3 command line tool is missing: install it with `apt-get install -y sqlite3` (scripts may do so on CI)");
  }

  // One template database: migrations, seeds and the synthetic batches; both sides start from a copy.
  const template = join(work, "template.db");
  rmSync(template, { force: true });
  const handle = await openMigrated(`file:${template}`);
  const batches = await runImport(handle.db, { kind: "batches", bytes: readFileSync(join(dataDir, "batches.csv")), actor: "bench" });
  if (batches.errors.length) throw new Error(`synthetic batches were rejected: ${JSON.stringify(batches.errors[0])}`);
  await handle.client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  handle.close();

  // The pinyin keys per name, which SQL cannot compute, made ahead for the baseline (not timed).
  const names = new Set<string>();
  Papa.parse<Record<string, string>>(readFileSync(csv, "utf8"), { header: true, step: (r) => void names.add(r.data.genericName ?? "") });
  const namesCsv = join(work, "names.csv");
  writeFileSync(namesCsv, Papa.unparse([...names].filter(Boolean).map((n) => ({ generic_name: n, ...snake(searchKeys(n)) }))));

  const ours = join(work, "cli.db");
  const shell = join(work, "shell.db");
  const staging = join(work, "staging.db");
  for (const f of [ours, shell, staging]) for (const s of ["", "-wal", "-shm"]) rmSync(f + s, { force: true });
  copyFileSync(template, ours);
  copyFileSync(template, shell);

  const loadBefore = loadavg()[0]!;
  console.log(`importing ${rows.toLocaleString("en-US")} rows through the CLI …`);
  const cli = await measure(process.execPath, ["--max-old-space-size=384", "--import", "tsx", "src/cli/import.ts", "prices", csv], {
    ...process.env,
    DATABASE_URL: `file:${ours}`,
  });
  if (cli.code !== 0) throw new Error(`the CLI import failed:\n${cli.output.slice(-2000)}`);

  console.log("loading the same rows with the sqlite3 shell …");
  const importScript = `CREATE TABLE staging (${STAGING_COLUMNS});\n.import --csv --skip 1 ${csv} staging\n.import --csv ${namesCsv} names\n`;
  const dotImport = await measure("sqlite3", [staging], process.env, importScript);
  if (dotImport.code !== 0 || /error/i.test(dotImport.output)) throw new Error(`sqlite3 .import failed: ${dotImport.output}`);
  let engine = "sqlite3 shell";
  let load = await measure("sqlite3", [shell], process.env, `PRAGMA foreign_keys=ON;\nATTACH '${staging}' AS st;\n.bail on\n${loadSql("st")}`);
  if (load.code !== 0 || /error/i.test(load.output)) {
    engine = `libsql engine (sqlite3 3.40 cannot compile this schema: ${load.output.trim().split("\n")[0]})`;
    for (const s of ["-wal", "-shm"]) rmSync(shell + s, { force: true });
    copyFileSync(template, shell);
    const script = join(work, "load.sql");
    writeFileSync(script, `ATTACH '${staging}' AS st;\n${loadSql("st")}`);
    load = await measure(process.execPath, [
      "-e",
      `const D = require("libsql"); const db = new D(${JSON.stringify(shell)}); db.exec("PRAGMA foreign_keys=ON"); db.exec(require("fs").readFileSync(${JSON.stringify(script)}, "utf8")); db.close();`,
    ]);
    if (load.code !== 0) throw new Error(`the baseline load failed: ${load.output}`);
  }

  const baseline = dotImport.seconds + load.seconds;
  const ratio = cli.seconds / baseline;
  const oursPrices = count(ours, "prices");
  const shellPrices = count(shell, "prices");
  console.log(
    `rows: ${rows.toLocaleString("en-US")} SYNTHETIC prices (${(Number(spawnSync("stat", ["-c%s", csv]).stdout) / 1048576).toFixed(0)} MB CSV); prices in the database: CLI ${oursPrices}, baseline ${shellPrices}`,
  );
  console.log(
    `CLI import (validate, derive, upsert, search index, batch stats, audit): ${cli.seconds.toFixed(1)} s, ${Math.round(rows / cli.seconds).toLocaleString("en-US")} rows/s`,
  );
  console.log(
    `baseline: sqlite3 .import ${dotImport.seconds.toFixed(1)} s + INSERT … SELECT ${load.seconds.toFixed(1)} s (${engine}) = ${baseline.toFixed(1)} s`,
  );
  console.log(`ratio CLI / baseline: ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}) ${ratio <= TARGET_RATIO ? "MET" : "NOT MET"}`);
  console.log(`peak memory of the CLI import: ${cli.peakMb.toFixed(0)} MB (target ≤ ${TARGET_PEAK_MB} MB) ${cli.peakMb <= TARGET_PEAK_MB ? "MET" : "NOT MET"}`);
  // Other work on the machine slows both sides, not necessarily equally: say how busy it was.
  console.log(`load average (1 min) on ${cpus().length} cores: ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`);
  if (oursPrices !== shellPrices) console.log("WARNING: the two databases hold different numbers of prices");
  if (!args.includes("--keep")) for (const f of [ours, shell, staging, template]) for (const s of ["", "-wal", "-shm"]) rmSync(f + s, { force: true });
}

function snake(k: { nameNorm: string; namePinyin: string; nameInitials: string }) {
  return { name_norm: k.nameNorm, name_pinyin: k.namePinyin, name_initials: k.nameInitials };
}

/**
 * The .xlsx import of N synthetic rows through the CLI (streaming reader: merges pass, then rows),
 * beside the CLI importing the same rows as CSV, each into a fresh copy of the same database.
 */
async function runXlsx(args: string[]): Promise<void> {
  const raw = args.find((a) => a.startsWith("--xlsx-rows="))?.slice("--xlsx-rows=".length);
  const rows = raw === undefined ? 100_000 : Number(raw);
  if (!Number.isSafeInteger(rows) || rows < 1) throw new Error(`--xlsx-rows must be a positive integer, got ${raw}`);
  const work = join(ROOT, "data", "bench-import");
  mkdirSync(work, { recursive: true });
  const dataDir = join(work, `gen-${rows}`);
  const csv = join(dataDir, "prices.csv");
  if (!existsSync(csv)) {
    console.log(`generating ${rows.toLocaleString("en-US")} SYNTHETIC prices (npm run gen) …`);
    await runGen({ prices: rows, out: dataDir, seed: 1 });
  }
  const xlsx = join(dataDir, "prices.xlsx");
  if (!existsSync(xlsx)) {
    console.log(`writing the same rows as an .xlsx workbook (exceljs streaming writer, not timed) …`);
    const { default: ExcelJS } = await import("exceljs");
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsx, useSharedStrings: true });
    const sheet = book.addWorksheet("中选结果");
    sheet.addRow(["全国药品集中采购中选结果（SYNTHETIC 合成数据）"]).commit();
    let header: string[] | null = null;
    for (const r of Papa.parse<string[]>(readFileSync(csv, "utf8"), { skipEmptyLines: true }).data) {
      // Numbers as numbers, the way a spreadsheet holds them.
      sheet
        .addRow(header === null ? r : r.map((v, i) => (/price|qty|volume/i.test(header![i] ?? "") && v !== "" && !Number.isNaN(Number(v)) ? Number(v) : v)))
        .commit();
      header ??= r;
    }
    await book.commit();
  }
  const template = join(work, "xlsx-template.db");
  rmSync(template, { force: true });
  const handle = await openMigrated(`file:${template}`);
  const batches = await runImport(handle.db, { kind: "batches", bytes: readFileSync(join(dataDir, "batches.csv")), actor: "bench" });
  if (batches.errors.length) throw new Error(`synthetic batches were rejected: ${JSON.stringify(batches.errors[0])}`);
  await handle.client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  handle.close();
  const results: Record<string, Measured> = {};
  const loadBefore = loadavg()[0]!;
  for (const [label, file] of [
    ["xlsx", xlsx],
    ["csv", csv],
  ] as const) {
    const db = join(work, `${label}-import.db`);
    for (const s of ["", "-wal", "-shm"]) rmSync(db + s, { force: true });
    copyFileSync(template, db);
    console.log(`importing ${rows.toLocaleString("en-US")} rows as ${label} through the CLI …`);
    const m = await measure(process.execPath, ["--max-old-space-size=384", "--import", "tsx", "src/cli/import.ts", "prices", file], {
      ...process.env,
      DATABASE_URL: `file:${db}`,
    });
    if (m.code !== 0) throw new Error(`the CLI ${label} import failed:\n${m.output.slice(-2000)}`);
    results[label] = m;
    if (!args.includes("--keep")) for (const s of ["", "-wal", "-shm"]) rmSync(db + s, { force: true });
  }
  const x = results.xlsx!;
  const c = results.csv!;
  const mb = (f: string) => (Number(spawnSync("stat", ["-c%s", f]).stdout) / 1048576).toFixed(1);
  console.log(
    `xlsx import of ${rows.toLocaleString("en-US")} SYNTHETIC rows (${mb(xlsx)} MB workbook): ${x.seconds.toFixed(1)} s (${Math.round(rows / x.seconds).toLocaleString("en-US")} rows/s), peak memory ${x.peakMb.toFixed(0)} MB`,
  );
  console.log(
    `the same rows as CSV (${mb(csv)} MB): ${c.seconds.toFixed(1)} s, peak memory ${c.peakMb.toFixed(0)} MB; xlsx / csv time ${(x.seconds / c.seconds).toFixed(2)}`,
  );
  console.log(`load average (1 min) on ${cpus().length} cores: ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`);
  if (!args.includes("--keep")) rmSync(template, { force: true });
}
