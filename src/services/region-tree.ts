import type { Db } from "../db/client";
import { regions } from "../db/schema";

type RegionNode = { code: string; name: string; parentCode: string | null; fundShareBp: number | null };

/**
 * The whole region tree in memory (a few thousand rows at most), for roll-ups up the tree and the
 * fund share a region inherits. Loaded per request, never cached in the module.
 */
export type RegionTree = {
  find(codeOrName: string): RegionNode | null;
  name(code: string): string;
  /** Every region's code. */
  codes(): string[];
  /** The region and every region below it. */
  subtree(code: string): string[];
  /** The group a region's figures roll up into: the child of `root` it lies under (or root itself), or its top ancestor. */
  groupUnder(code: string, root: string | null): string;
  /** The region's own fund share, else the nearest of its two levels of parents (as the rollup triggers resolve it). */
  fundShareBp(code: string): number | null;
};

/** How many levels a fund share is inherited from: pooling region → city → province. */
const SHARE_LEVELS = 3;

export async function loadRegionTree(db: Db): Promise<RegionTree> {
  const rows: RegionNode[] = await db
    .select({ code: regions.code, name: regions.name, parentCode: regions.parentCode, fundShareBp: regions.fundShareBp })
    .from(regions);
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const byName = new Map(rows.map((r) => [r.name, r]));
  const children = new Map<string, string[]>();
  for (const r of rows) if (r.parentCode !== null) children.set(r.parentCode, [...(children.get(r.parentCode) ?? []), r.code]);
  const parentOf = (code: string) => byCode.get(code)?.parentCode ?? null;

  return {
    find(codeOrName) {
      const key = codeOrName.normalize("NFKC").trim();
      return byCode.get(key) ?? byName.get(key) ?? null;
    },
    name: (code) => byCode.get(code)?.name ?? code,
    codes: () => [...byCode.keys()],
    subtree(code) {
      const out: string[] = [];
      const seen = new Set<string>();
      const stack = [code];
      while (stack.length) {
        const c = stack.pop()!;
        if (seen.has(c)) continue; // a cycle in hand-edited data must not hang a request
        seen.add(c);
        out.push(c);
        stack.push(...(children.get(c) ?? []));
      }
      return out;
    },
    groupUnder(code, root) {
      let current = code;
      for (let guard = 0; guard < 64; guard++) {
        if (current === root) return current;
        const parent = parentOf(current);
        if (parent === root || (root === null && parent === null)) return current;
        if (parent === null) return code;
        current = parent;
      }
      return code;
    },
    fundShareBp(code) {
      let current: string | null = code;
      for (let level = 0; level < SHARE_LEVELS && current !== null; level++) {
        const node = byCode.get(current);
        if (!node) return null;
        if (node.fundShareBp !== null) return node.fundShareBp;
        current = node.parentCode;
      }
      return null;
    },
  };
}
