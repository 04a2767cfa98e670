import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ImportKind } from "../db/schema";
import { SEED_ORDER } from "../services/seed";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const SEEDS_DIR = join(PROJECT_ROOT, "seeds");

/** The seed CSV files of the repository, in import order. */
export function seedFiles(): Array<{ kind: ImportKind; name: string; bytes: Uint8Array }> {
  return SEED_ORDER.map((kind) => ({ kind, name: `seeds/${kind}.csv`, bytes: readFileSync(join(SEEDS_DIR, `${kind}.csv`)) }));
}
