import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ImportKind } from "../db/schema";
import { PROJECT_ROOT } from "../project-root";
import { SEED_ORDER } from "../services/seed";

export { PROJECT_ROOT };
export const SEEDS_DIR = join(PROJECT_ROOT, "seeds");

/**
 * The seed CSV files of the repository, in import order: regions, batches, the prices quoted by
 * articles, and the real national results of batches 1–4 (seeds/prices-national.csv, built from the
 * committed workbook by scripts/build-real-seeds.ts).
 */
export function seedFiles(): Array<{ kind: ImportKind; name: string; bytes: Uint8Array }> {
  const files = SEED_ORDER.map((kind) => ({ kind, name: `seeds/${kind}.csv` }));
  files.push({ kind: "prices", name: "seeds/prices-national.csv" });
  return files.map((f) => ({ ...f, bytes: readFileSync(join(PROJECT_ROOT, f.name)) }));
}
