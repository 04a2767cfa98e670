import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SearchTuning } from "../../src/services/search-tuning";
import { importFiles } from "../../src/services/seed";
import { createTestWorld, type TestWorld } from "../support/test-db";

const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, "fixtures", name)));

/** A world holding only the search fixture: seed regions, three batches (one past) and 25 prices. */
export async function createSearchWorld(): Promise<TestWorld> {
  const world = await createTestWorld({ seed: false });
  await importFiles(
    world.db,
    [
      { kind: "regions", name: "regions.csv", bytes: new Uint8Array(readFileSync(join(import.meta.dirname, "../../seeds/regions.csv"))) },
      { kind: "batches", name: "batches.csv", bytes: fixture("batches.csv") },
      { kind: "prices", name: "prices.csv", bytes: fixture("prices.csv") },
    ],
    "test",
  );
  return world;
}

/**
 * Listings that walk the sort's index whenever the matched prices allow (a window as long as a
 * fixture's whole table), with every other threshold at its default, firms listed by range up to 48.
 */
export const WALK_TUNING: SearchTuning = {
  maxCodeIds: 1000,
  maxRangesPerKey: 48,
  maxFirmRanges: 48,
  maxScanWindow: 1_000_000,
  scanSlack: 4,
  maxGroupArms: 400,
  armCostRows: 50,
  groupsArmFrom: 2,
  maxMergeArms: 64,
  maxCodeRangeRows: 40000,
  codeScanFromRows: 8000,
};
