import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import Papa from "papaparse";
import { openMigrated } from "../src/cli/database";
import { discountBasisPoints, parseYuan, unitPriceE4Rounded } from "../src/domain";
import { productNaturalKey } from "../src/domain/names";
import { loadSearchKeys } from "../src/domain/search-keys";
import { runImport } from "../src/services/imports";
import { BATCH_COLUMNS, syntheticBatches, syntheticPrices } from "../src/synthetic";

const searchKeys = await loadSearchKeys();

/**
 * Builds (once) a database of `count` SYNTHETIC prices for the search bench and returns its path.
 * Regions and batches go through the ordinary import; the prices are written directly with prepared
 * statements (the import path's rules: the same natural keys, search keys, unit prices and
 * reductions from src/domain) because a million rows through CSV validation take too long for a
 * bench. The search triggers run for every row exactly as they do for an import.
 * The file name carries a fingerprint of every migration, so a database built before a schema
 * change is never measured; older builds of the same size are removed.
 */
export async function buildSearchDb(count: number, seed = 1): Promise<string> {
  const stem = `search-${count}-seed${seed}`;
  const path = `data/bench/${stem}-${migrationsFingerprint()}.db`;
  if (existsSync(path)) return path;
  mkdirSync(dirname(path), { recursive: true });
  for (const old of readdirSync(dirname(path))) if (old.startsWith(`${stem}.`) || old.startsWith(`${stem}-`)) rmSync(join(dirname(path), old), { force: true });
  const building = `${path}.building`;
  rmSync(building, { force: true });
  const started = Date.now();
  const handle = await openMigrated(`file:${building}`, undefined, { seed: true });
  const batchesCsv = Papa.unparse(syntheticBatches(), { columns: [...BATCH_COLUMNS] });
  const report = await runImport(handle.db, {
    kind: "batches",
    bytes: new TextEncoder().encode(batchesCsv),
    fileName: "synthetic-batches.csv",
    actor: "bench",
  });
  if (report.errors.length) throw new Error(`synthetic batches rejected: ${JSON.stringify(report.errors.slice(0, 3))}`);
  handle.close();

  const { default: Database } = await import("libsql");
  const db = new Database(building);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA cache_size = -200000");
  const regionCode = new Map<string, string>(
    (db.prepare("SELECT name, code FROM regions").all() as Array<{ name: string; code: string }>).map((r) => [r.name, r.code]),
  );
  const insertProduct = db.prepare(`INSERT INTO products (natural_key, category, generic_name, generic_name_en, dosage_form, spec,
    package_text, package_qty, package_unit, smallest_unit, manufacturer, nhsa_code, approval_no, name_norm, name_pinyin, name_initials, synthetic)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`);
  const insertPrice = db.prepare(`INSERT INTO prices (batch_id, product_id, chosen_price_e4, reference_price_e4, reference_kind, unit_price_e4,
    discount_bp, supply_regions, agreed_volume, source, synthetic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`);
  const insertRegion = db.prepare("INSERT INTO price_regions (price_id, region_code) VALUES (?, ?)");
  const keysByName = new Map<string, ReturnType<typeof searchKeys>>();
  const productIds = new Map<string, number>();
  const rows = syntheticPrices({ count, seed });
  const chunk = 20_000;
  let done = 0;
  const writeChunk = db.transaction((n: number) => {
    for (let i = 0; i < n; i++) {
      const next = rows.next();
      if (next.done) return false;
      const r = next.value;
      const packageQty = r.packageQty ? Number(r.packageQty) : null;
      const product = {
        genericName: r.genericName,
        dosageForm: r.dosageForm || null,
        spec: r.spec || null,
        packageQty,
        manufacturer: r.manufacturer || null,
        nhsaCode: r.nhsaCode || null,
      };
      const naturalKey = productNaturalKey(product);
      let productId = productIds.get(naturalKey);
      if (productId === undefined) {
        let keys = keysByName.get(r.genericName);
        if (!keys) keysByName.set(r.genericName, (keys = searchKeys(r.genericName)));
        const row = insertProduct.get(
          naturalKey,
          r.category,
          r.genericName,
          r.genericNameEn || null,
          product.dosageForm,
          product.spec,
          r.packageText || null,
          packageQty,
          r.packageUnit || null,
          r.smallestUnit || null,
          product.manufacturer,
          product.nhsaCode,
          r.approvalNo || null,
          keys.nameNorm,
          keys.namePinyin,
          keys.nameInitials,
        ) as { id: number };
        productId = row.id;
        productIds.set(naturalKey, productId);
      }
      const chosen = parseYuan(r.chosenPrice);
      const reference = r.referencePrice ? parseYuan(r.referencePrice) : null;
      const codes = r.supplyRegions ? r.supplyRegions.split("、").map((name) => regionCode.get(name) ?? "") : [];
      if (codes.includes("")) throw new Error(`unknown region in ${r.supplyRegions}`);
      const price = insertPrice.get(
        r.batch,
        productId,
        Number(chosen),
        reference === null ? null : Number(reference),
        r.referenceKind || null,
        unitPriceE4Rounded(chosen, packageQty),
        discountBasisPoints(chosen, reference),
        codes.join(","),
        r.agreedVolume ? Number(r.agreedVolume) : null,
        r.source,
      ) as { id: number };
      for (const code of codes) insertRegion.run(price.id, code);
      done++;
    }
    return true;
  });
  while (writeChunk(chunk)) {
    process.stdout.write(
      `\r  loading synthetic prices: ${done.toLocaleString("en")} / ${count.toLocaleString("en")} (${Math.round((Date.now() - started) / 1000)} s)`,
    );
  }
  db.exec("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
  renameSync(building, path);
  rmSync(`${building}-wal`, { force: true });
  rmSync(`${building}-shm`, { force: true });
  console.log(`\n  built ${path}: ${done.toLocaleString("en")} synthetic prices in ${Math.round((Date.now() - started) / 1000)} s`);
  return path;
}

/** A short hash of the migration files (SQL and journal), in name order. */
export function migrationsFingerprint(dir = "drizzle"): string {
  const hash = createHash("sha256");
  const files = [
    ...readdirSync(dir)
      .filter((f) => f.endsWith(".sql"))
      .sort(),
    "meta/_journal.json",
  ];
  for (const f of files)
    hash
      .update(f)
      .update("\0")
      .update(readFileSync(join(dir, f)))
      .update("\0");
  return hash.digest("hex").slice(0, 10);
}
