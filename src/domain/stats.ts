import { addFractions, divideFractions, fraction, mulFraction, roundFraction, subtractFractions, ZERO_FRACTION } from "./fraction.js";
import type { E4 } from "./money.js";
import { basisPointsToPercent } from "./percent.js";
import { unitPrice } from "./pricing.js";

export type BatchStatisticsItem = {
  /** Reduction in hundredths of a percent, null when the price has no reference. */
  discountBp: number | null;
  manufacturer: string | null;
  productId: number;
  referencePrice?: E4 | null;
  chosenPrice?: E4;
  packageQty?: number | null;
  /** Smallest units (agreed or purchased), for the volume-weighted reduction. */
  volume?: bigint | null;
  /** Which baseline discountBp is against (the price's primary one: the ceiling when it has one). */
  referenceKind?: ReferenceKind | null;
  /** The reduction against each baseline the price has, in hundredths of a percent. */
  ceilingDiscountBp?: number | null;
  preVbpDiscountBp?: number | null;
};

export type ReferenceKind = "ceiling" | "pre_vbp";

/** Mean, median, min and max of the reductions against one baseline, and how many prices have it. */
export type BaselineStatistics = {
  priced: number;
  meanDiscountPct: number | null;
  medianDiscountPct: number | null;
  minDiscountPct: number | null;
  maxDiscountPct: number | null;
};

export type BatchStatistics = {
  products: number;
  firms: number;
  pricedWithReference: number;
  meanDiscountPct: number | null;
  medianDiscountPct: number | null;
  minDiscountPct: number | null;
  maxDiscountPct: number | null;
  volumeWeightedDiscountPct: number | null;
  /**
   * What the figures above are against: each price's primary baseline (the ceiling 最高有效申报价 when
   * it has one, else the pre-procurement price 集采前价格): `ceiling` or `pre_vbp` when every priced
   * item used that one, `mixed` when both occur, null when nothing is priced.
   */
  meanBaseline: ReferenceKind | "mixed" | null;
  /** How many priced items' primary reduction is against each baseline. */
  primaryBaselines: Record<ReferenceKind, number>;
  /** The same figures against one baseline each, over the prices that have it. */
  byBaseline: Record<ReferenceKind, BaselineStatistics>;
};

function medianPct(sortedBp: readonly number[]): number | null {
  const n = sortedBp.length;
  if (n === 0) return null;
  const upper = sortedBp[Math.floor(n / 2)]!;
  if (n % 2 === 1) return basisPointsToPercent(upper);
  const lower = sortedBp[n / 2 - 1]!;
  // (lower + upper) / 2 basis points, as a percent: / 200, rounded to 2 places.
  return roundFraction(fraction(BigInt(lower) + BigInt(upper), 200n), 2);
}

/**
 * Statistics of one batch's chosen prices: distinct products, distinct firms (manufacturer
 * names trimmed, empty ones ignored), how many prices have a reduction, and the mean, median,
 * min, max and volume-weighted reduction in percent to 2 places (null when nothing to measure).
 * The mean is of the items' rounded basis points, computed exactly. The volume-weighted figure is
 * Σ(referenceUnit − unit) × volume / Σ referenceUnit × volume over items with a positive
 * reference, a chosen price and a positive volume.
 */
function baselineStatistics(bps: readonly (number | null | undefined)[]): BaselineStatistics {
  const sorted = bps.filter((bp): bp is number => bp !== null && bp !== undefined).sort((a, b) => a - b);
  const count = sorted.length;
  const sumBp = sorted.reduce((sum, bp) => sum + BigInt(bp), 0n);
  return {
    priced: count,
    meanDiscountPct: count === 0 ? null : roundFraction(fraction(sumBp, BigInt(count) * 100n), 2),
    medianDiscountPct: medianPct(sorted),
    minDiscountPct: count === 0 ? null : basisPointsToPercent(sorted[0]!),
    maxDiscountPct: count === 0 ? null : basisPointsToPercent(sorted[count - 1]!),
  };
}

function meanBaselineOf(primary: Record<ReferenceKind, number>): BatchStatistics["meanBaseline"] {
  if (primary.ceiling && primary.pre_vbp) return "mixed";
  if (primary.ceiling) return "ceiling";
  if (primary.pre_vbp) return "pre_vbp";
  return null;
}

export function batchStatistics(items: readonly BatchStatisticsItem[]): BatchStatistics {
  const builder = new BatchStatisticsBuilder();
  for (const item of items) builder.add(item);
  return builder.result();
}

/**
 * The same statistics gathered one item at a time, so a batch of a million prices is read in pages
 * and never held whole (an import of a million rows once needed 150 MB more heap for it at the end).
 * What it keeps grows by a few numbers an item: the reductions (for the medians) and the product ids.
 */
export class BatchStatisticsBuilder {
  private readonly products = new Set<number>();
  private readonly firms = new Set<string>();
  private readonly discounts: number[] = [];
  private readonly ceilingDiscounts: number[] = [];
  private readonly preVbpDiscounts: number[] = [];
  private readonly primaryBaselines: Record<ReferenceKind, number> = { ceiling: 0, pre_vbp: 0 };
  private saved = ZERO_FRACTION;
  private referenceSpend = ZERO_FRACTION;

  add(item: BatchStatisticsItem): void {
    this.products.add(item.productId);
    const firm = item.manufacturer?.trim() ?? "";
    if (firm !== "") this.firms.add(firm);
    if (item.discountBp !== null) {
      this.discounts.push(item.discountBp);
      if (item.referenceKind === "ceiling" || item.referenceKind === "pre_vbp") this.primaryBaselines[item.referenceKind]++;
    }
    if (item.ceilingDiscountBp !== null && item.ceilingDiscountBp !== undefined) this.ceilingDiscounts.push(item.ceilingDiscountBp);
    if (item.preVbpDiscountBp !== null && item.preVbpDiscountBp !== undefined) this.preVbpDiscounts.push(item.preVbpDiscountBp);
    this.addVolume(item);
  }

  /** Σ(referenceUnit − unit) × volume and Σ referenceUnit × volume, over items with a positive reference, a price and a positive volume. */
  private addVolume(item: BatchStatisticsItem): void {
    const { referencePrice, chosenPrice, volume } = item;
    if (referencePrice === null || referencePrice === undefined || referencePrice <= 0n) return;
    if (chosenPrice === undefined || volume === null || volume === undefined || volume <= 0n) return;
    const referenceUnit = unitPrice(referencePrice, item.packageQty);
    const chosenUnit = unitPrice(chosenPrice, item.packageQty);
    this.saved = addFractions(this.saved, mulFraction(subtractFractions(referenceUnit, chosenUnit), volume));
    this.referenceSpend = addFractions(this.referenceSpend, mulFraction(referenceUnit, volume));
  }

  result(): BatchStatistics {
    const all = baselineStatistics(this.discounts);
    const primaryBaselines = { ...this.primaryBaselines };
    return {
      products: this.products.size,
      firms: this.firms.size,
      pricedWithReference: all.priced,
      meanDiscountPct: all.meanDiscountPct,
      medianDiscountPct: all.medianDiscountPct,
      minDiscountPct: all.minDiscountPct,
      maxDiscountPct: all.maxDiscountPct,
      volumeWeightedDiscountPct: this.referenceSpend.num === 0n ? null : roundFraction(mulFraction(divideFractions(this.saved, this.referenceSpend), 100n), 2),
      meanBaseline: meanBaselineOf(primaryBaselines),
      primaryBaselines,
      byBaseline: { ceiling: baselineStatistics(this.ceilingDiscounts), pre_vbp: baselineStatistics(this.preVbpDiscounts) },
    };
  }
}
