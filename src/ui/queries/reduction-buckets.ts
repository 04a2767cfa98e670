import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { ReferenceKind } from "../../db/schema";

export type ReductionBucket = { label: string; from: number | null; to: number | null; count: number };

/**
 * How a batch's reductions spread over 10-point bands (below 0 %, 0–10 %, …, 90–100 %), counted
 * in SQL over the stored reductions so a batch of thousands of prices costs one small query.
 * Bands run from small to large and only bands with prices are listed. Prices without a reference
 * are counted apart, as are the baselines (reference kinds) the reductions were measured against.
 */
export async function reductionBuckets(
  db: Db,
  batchId: string,
): Promise<{ buckets: ReductionBucket[]; withoutReference: number; baselines: Array<{ kind: ReferenceKind; count: number }> }> {
  const [rows, kinds] = await Promise.all([
    db.all<{ bucket: number | null; n: number }>(sql`
    SELECT CASE WHEN discount_bp IS NULL THEN NULL WHEN discount_bp < 0 THEN -1 WHEN discount_bp >= 10000 THEN 9 ELSE discount_bp / 1000 END AS bucket,
      count(*) AS n
    FROM prices WHERE batch_id = ${batchId} GROUP BY bucket`),
    db.all<{ kind: ReferenceKind; n: number }>(sql`
    SELECT reference_kind AS kind, count(*) AS n FROM prices WHERE batch_id = ${batchId} AND reference_kind IS NOT NULL GROUP BY reference_kind ORDER BY n DESC`),
  ]);
  const byBucket = new Map(rows.map((r) => [r.bucket, r.n]));
  const buckets: ReductionBucket[] = [];
  const below = byBucket.get(-1) ?? 0;
  if (below) buckets.push({ label: "低于 0 %（高于参考价）", from: null, to: 0, count: below });
  for (let b = 0; b <= 9; b++) {
    const n = byBucket.get(b) ?? 0;
    if (n) buckets.push({ label: `${b * 10}–${b * 10 + 10} %`, from: b * 10, to: b * 10 + 10, count: n });
  }
  return { buckets, withoutReference: byBucket.get(null) ?? 0, baselines: kinds.map((k) => ({ kind: k.kind, count: k.n })) };
}
