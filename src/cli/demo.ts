import { sql } from "drizzle-orm";
import Papa from "papaparse";
import type { Db } from "../db/client";
import { prices } from "../db/schema";
import { bareColumns } from "../db/trusted-sql";
import { importFiles } from "../services/seed";
import { AGREED_VOLUME_COLUMNS, BATCH_COLUMNS, PRICE_COLUMNS, syntheticBatches, syntheticPrices, syntheticVolumes, VOLUME_COLUMNS } from "../synthetic";

export const DEMO_PRICES = 20_000;

const COUNT_SYNTHETIC = sql`SELECT count(*) AS n FROM ${prices} WHERE ${bareColumns(prices).synthetic} = 1`;

const encode = (rows: object[], columns: readonly string[]) =>
  new TextEncoder().encode(Papa.unparse(rows as Record<string, unknown>[], { columns: [...columns] }));

/**
 * Loads the deterministic synthetic data set (real generic names, invented firms and prices, every
 * row marked synthetic) through the ordinary import path. Skipped when it is already there.
 */
export async function loadDemo(db: Db, count = DEMO_PRICES): Promise<void> {
  const existing = await db.get<{ n: number }>(COUNT_SYNTHETIC);
  if ((existing?.n ?? 0) >= count) {
    console.log(`demo data already loaded (${existing?.n} synthetic prices)`);
    return;
  }
  const started = Date.now();
  const prices = [...syntheticPrices({ count, seed: 1 })];
  // Regional agreed volumes and a year of purchases for a sample, so savings and progress show plausible figures.
  const { agreed, volumes } = syntheticVolumes(prices);
  await importFiles(
    db,
    [
      { kind: "batches", name: "synthetic/batches.csv", bytes: encode(syntheticBatches(), BATCH_COLUMNS) },
      { kind: "prices", name: "synthetic/prices.csv", bytes: encode(prices, PRICE_COLUMNS) },
      { kind: "agreedVolumes", name: "synthetic/agreed-volumes.csv", bytes: encode(agreed, AGREED_VOLUME_COLUMNS) },
      { kind: "volumes", name: "synthetic/volumes.csv", bytes: encode(volumes, VOLUME_COLUMNS) },
    ],
    "demo",
  );
  console.log(
    `loaded ${count} synthetic demo prices, ${agreed.length} regional agreed volumes and ${volumes.length} monthly purchases ` +
      `(marked synthetic: true, not real prices) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
