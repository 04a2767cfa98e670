/** The unit a chosen price is per: the package's own unit (盒, 个, or the smallest unit itself for a price the source gave per smallest unit), else 包装. */
export function packageName(p: { packageUnit: string | null }): string {
  return p.packageUnit ?? "包装";
}

/**
 * The unit a unit price is per: the smallest unit when the package size is known, else the unit
 * the chosen price is per (packageName). Pages, exports and feeds name units by these two rules.
 */
export function unitName(p: { packageQty: number | null; smallestUnit: string | null; packageUnit: string | null }): string {
  if (p.packageQty) return p.smallestUnit ?? "最小单位";
  return packageName(p);
}
