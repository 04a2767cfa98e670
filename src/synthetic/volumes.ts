import { SYNTHETIC_BATCH_DEFS } from "./batches.js";
import type { PriceRow } from "./columns.js";
import { formatMinor } from "./prices.js";
import { Rng } from "./prng.js";
import { PROVINCE_NAMES } from "./provinces.js";

/** One row of the demo's regional agreed volumes (约定采购量 per price and province). */
export type AgreedVolumeRow = { batch: string; nhsaCode: string; region: string; agreedVolume: string; source: string };
/** One row of the demo's monthly purchases (采购量 per price, province and month). */
export type VolumeRow = { batch: string; nhsaCode: string; region: string; month: string; units: string; amountPaid: string; fundShare: string };

export const AGREED_VOLUME_COLUMNS = ["batch", "nhsaCode", "region", "agreedVolume", "source"] as const satisfies readonly (keyof AgreedVolumeRow)[];
export const VOLUME_COLUMNS = ["batch", "nhsaCode", "region", "month", "units", "amountPaid", "fundShare"] as const satisfies readonly (keyof VolumeRow)[];

/** The months the demo has purchases for: 2026 to November, the last full month of the session it was made in. */
export const DEMO_MONTHS: readonly string[] = Array.from({ length: 11 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`);

/**
 * Share of spending the fund pays in the demo's purchases: 70 %, near what 乌海市 actually paid in
 * 2022 (72.8 % for employees, 69 % for residents; seed article 002). An assumption, stated here.
 */
export const DEMO_FUND_SHARE = "0.7";

export interface SyntheticVolumeOptions {
  /** One price in `every` of the batches in force in the demo months gets regional volumes and purchases. */
  every?: number;
  seed?: number;
}

const MINOR_PER_YUAN = 10_000;

/**
 * Regional agreed volumes and monthly purchases for a sample of the synthetic prices whose batch is
 * in force in 2026: each price's national agreed volume split over its supply provinces (three
 * drawn for a nationwide price), and per month each province buys about a twelfth of its share
 * (60–130 %), paid at the chosen price. Deterministic for the same prices and seed.
 */
export function syntheticVolumes(prices: Iterable<PriceRow>, opts: SyntheticVolumeOptions = {}): { agreed: AgreedVolumeRow[]; volumes: VolumeRow[] } {
  const every = opts.every ?? 20;
  const rng = new Rng(opts.seed ?? 7);
  const cycles = new Map(SYNTHETIC_BATCH_DEFS.map((b) => [b.id, b]));
  const agreed: AgreedVolumeRow[] = [];
  const volumes: VolumeRow[] = [];
  let index = 0;
  for (const p of prices) {
    const batch = cycles.get(p.batch);
    if (!batch || p.agreedVolume === "" || p.nhsaCode === "") continue;
    const months = DEMO_MONTHS.filter((m) => m >= batch.cycleStart.slice(0, 7) && m <= batch.cycleEnd.slice(0, 7));
    if (months.length === 0 || index++ % every !== 0) continue;
    const provinces = p.supplyRegions === "" ? rng.sampleIndexes(PROVINCE_NAMES.length, 3).map((i) => PROVINCE_NAMES[i]!) : p.supplyRegions.split("、");
    const total = Number(p.agreedVolume);
    const weights = provinces.map(() => 1 + rng.float() * 3);
    const weightSum = weights.reduce((a, b) => a + b, 0);
    // Shares rounded down, the remainder to the last province, so the provinces sum to the national volume.
    const shares = weights.map((w) => Math.floor((total * w) / weightSum));
    shares[shares.length - 1]! += total - shares.reduce((a, b) => a + b, 0);
    const chosenMinor = Math.round(Number(p.chosenPrice) * MINOR_PER_YUAN);
    const packageQty = Number(p.packageQty) || 1;
    provinces.forEach((region, i) => {
      const share = shares[i]!;
      if (share <= 0) return;
      agreed.push({ batch: p.batch, nhsaCode: p.nhsaCode, region, agreedVolume: String(share), source: "synthetic" });
      for (const month of months) {
        const units = Math.round((share / 12) * (0.6 + 0.7 * rng.float()));
        if (units <= 0) continue;
        volumes.push({
          batch: p.batch,
          nhsaCode: p.nhsaCode,
          region,
          month,
          units: String(units),
          amountPaid: formatMinor(Math.round((chosenMinor * units) / packageQty)),
          fundShare: DEMO_FUND_SHARE,
        });
      }
    });
  }
  return { agreed, volumes };
}
