/**
 * Builds seeds/prices-national.csv, the real national results the tracker starts with, by importing
 * the committed workbook (seeds/source/national-vbp-results-batches-1-4.xlsx, provenance in
 * seeds/source/SOURCES.md) sheet by sheet with the project's own importer, exactly as a user's
 * `npm run import -- prices <workbook> --sheet … --batch …` would, and writing what was stored.
 * The seeds prove the importer: test/import/real-seeds.test.ts rebuilds them and compares.
 *
 *   npx tsx scripts/build-real-seeds.ts            # rewrites seeds/prices-national.csv
 *   npx tsx scripts/build-real-seeds.ts --check    # exits 1 when the committed file differs
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildRealSeeds, REAL_SEEDS_FILE } from "../src/cli/real-seeds";

const check = process.argv.includes("--check");
const dir = mkdtempSync(join(tmpdir(), "vbp-real-seeds-"));
try {
  const { csv, counts, ceilingFixes } = await buildRealSeeds(`file:${join(dir, "build.db")}`);
  for (const c of counts) console.log(`${c.batch} (sheet ${c.sheet}): ${c.prices} chosen prices, ${c.firms} firms, ${c.bids} losing bids`);
  const perUnit = ceilingFixes.filter((f) => f.perUnit !== null);
  console.log(`expansion 最高限价 per 4+7 box: ${perUnit.length} rows given per unit, ${ceilingFixes.length - perUnit.length} left without a ceiling`);
  for (const f of ceilingFixes) {
    if (f.perUnit === null) console.log(`  row ${f.row} ${f.genericName} ${f.spec}: ${f.given} not stated per unit (${f.reason})`);
  }
  if (check) {
    const committed = readFileSync(REAL_SEEDS_FILE, "utf8");
    if (committed !== csv) {
      console.error(`${REAL_SEEDS_FILE} differs from what the importer makes of the workbook; run npx tsx scripts/build-real-seeds.ts`);
      process.exitCode = 1;
    } else console.log(`${REAL_SEEDS_FILE} is what the importer makes of the workbook`);
  } else {
    writeFileSync(REAL_SEEDS_FILE, csv);
    console.log(`wrote ${REAL_SEEDS_FILE}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
