import { type AnyColumn, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { prices, type ReferenceKind } from "../db/schema";
import { batchStatistics } from "../domain";

export type ReductionBucket = { label: string; from: number | null; to: number | null; count: number };

export type BaselineMean = { kind: ReferenceKind; count: number; meanPct: number | null; medianPct: number | null };

export type BatchReductions = {
  buckets: ReductionBucket[];
  withoutReference: number;
  /** How many prices' primary reduction is against each baseline. */
  baselines: Array<{ kind: ReferenceKind; count: number }>;
  /** The mean and median against each baseline on its own, over the prices that carry it. */
  means: BaselineMean[];
};

const bandOf = (bp: number) => (bp < 0 ? -1 : bp >= 10000 ? 9 : Math.floor(bp / 1000));

/**
 * How a batch's reductions spread over 10-point bands (below 0 %, 0–10 %, …, 90–100 %), from small
 * to large and only bands with prices; prices without a reference counted apart; and the mean and
 * median against each baseline (最高有效申报价, 集采前价格) by src/domain's statistics, since a
 * published mean names one baseline and the figure beside it must use the same. One read of the
 * batch's stored reductions (a few integers per price).
 */
export async function batchReductions(db: Db, batchId: string): Promise<BatchReductions> {
  // A price stored before the per-baseline columns has only its one reduction, against its reference kind.
  const against = (column: AnyColumn, kind: ReferenceKind) =>
    sql<number | null>`COALESCE(${column}, CASE WHEN ${prices.referenceKind} = ${kind} THEN ${prices.discountBp} END)`;
  const rows = await db
    .select({
      bp: prices.discountBp,
      kind: prices.referenceKind,
      c: against(prices.ceilingDiscountBp, "ceiling"),
      p: against(prices.preVbpDiscountBp, "pre_vbp"),
    })
    .from(prices)
    .where(eq(prices.batchId, batchId));
  const byBand = new Map<number, number>();
  const kinds = new Map<ReferenceKind, number>();
  let withoutReference = 0;
  for (const r of rows) {
    if (r.bp === null) withoutReference++;
    else byBand.set(bandOf(r.bp), (byBand.get(bandOf(r.bp)) ?? 0) + 1);
    if (r.kind !== null && r.bp !== null) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
  }
  const buckets: ReductionBucket[] = [];
  const below = byBand.get(-1) ?? 0;
  if (below) buckets.push({ label: "低于 0 %（高于参考价）", from: null, to: 0, count: below });
  for (let b = 0; b <= 9; b++) {
    const n = byBand.get(b) ?? 0;
    if (n) buckets.push({ label: `${b * 10}–${b * 10 + 10} %`, from: b * 10, to: b * 10 + 10, count: n });
  }
  const means = (["ceiling", "pre_vbp"] as const).map((kind) => {
    const bps = rows.map((r) => (kind === "ceiling" ? r.c : r.p)).filter((bp): bp is number => bp !== null);
    const stats = batchStatistics(bps.map((discountBp, i) => ({ discountBp, manufacturer: null, productId: i })));
    return { kind, count: bps.length, meanPct: stats.meanDiscountPct, medianPct: stats.medianDiscountPct };
  });
  const baselines = [...kinds].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count);
  return { buckets, withoutReference, baselines, means };
}
