import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ImportKind } from "../db/schema";
import { PROJECT_ROOT } from "../project-root";
import { SEED_ORDER } from "../services/seed";

export { PROJECT_ROOT };
export const SEEDS_DIR = join(PROJECT_ROOT, "seeds");

/** The seed CSV files of the repository, in import order. */
export function seedFiles(): Array<{ kind: ImportKind; name: string; bytes: Uint8Array }> {
  return SEED_ORDER.map((kind) => ({ kind, name: `seeds/${kind}.csv`, bytes: readFileSync(join(SEEDS_DIR, `${kind}.csv`)) }));
}
