/**
 * The unit a unit price is per: the smallest unit when the package size is known, else the
 * package's own unit (盒, 个, or the smallest unit itself for a price the source gave per smallest
 * unit), else 包装. Pages, exports and feeds name units by this one rule.
 */
export function unitName(p: { packageQty: number | null; smallestUnit: string | null; packageUnit: string | null }): string {
  if (p.packageQty) return p.smallestUnit ?? "最小单位";
  return p.packageUnit ?? "包装";
}
