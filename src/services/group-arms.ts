import { type SQL, sql } from "drizzle-orm";
import { priceSearch } from "../db/schema";
import { foldedSql, renderedAlias, trustedSql } from "../db/trusted-sql";
import { allOf, intLiteral, litInt, litText, textLiteral } from "./search-sql";
import type { SearchTuning } from "./search-tuning";

/** price_search as ps: the callers' conditions name its columns so. */
const ps = renderedAlias(priceSearch, "ps");

/** price_search's rank indexes (src/db/schema.ts): a group is one range of its kind's. */
const NAME_RANK_INDEX = "price_search_name_rank_idx";
const FIRM_RANK_INDEX = "price_search_firm_rank_idx";
/** And their reduction indexes (drizzle/0019): a group in reduction order, prices without one first. */
const NAME_DISCOUNT_INDEX = "price_search_name_discount_idx";
const FIRM_DISCOUNT_INDEX = "price_search_firm_discount_idx";

/** A group of one name or firm (the arm's kind), batch and cycle: one range of its rank index. */
export type GroupKey = { termId: number; batchId: string; cs: string; ce: string };

/**
 * Many groups' ranges as one arm of a union, whose text does not grow with the groups: their keys
 * as one VALUES list, and one read of a group's range correlated to each key. One SELECT per group
 * made firm searches 20 KB statements (60 ranges) and a listing under a price and a date 52 KB
 * (176 ranges), which took as long to prepare as to run (5–10 ms at a million prices).
 *
 * Selects `id` and `u` (unit price) of price_search. `first` keeps each group's first n rows in
 * unit-price order (a page by unit price or by rank); without it every row of every range is read
 * (a sort by reduction reads its ranges whole), with `key`, the sort's value over ps, as `v`.
 * `where` holds on ps rows; `only` narrows a name's groups to some forms, as its own ranges do.
 */
export function groupsArm(opts: {
  kind: "n" | "f";
  groups: readonly GroupKey[];
  where: SQL;
  only?: ReadonlyMap<number, SQL>;
  first?: { n: number; desc: boolean; merge?: boolean };
  key?: SQL;
}): SQL {
  if (opts.first?.merge) return mergedRanges({ ...opts, ...opts.first, by: "unitPrice" });
  // One chunk of text for the whole list: a chunk per value made rendering it cost as much as preparing it.
  const keys = trustedSql(
    opts.groups.map((g) => `(${intLiteral(g.termId)}, ${textLiteral(g.batchId)}, ${textLiteral(g.cs)}, ${textLiteral(g.ce)})`).join(", "),
  );
  const inGroup = foldedSql`${opts.kind === "n" ? ps.nameId : ps.firmId} = k.column1 AND ${ps.batchId} = k.column2 AND ${ps.cycleStart} = k.column3 AND ${ps.cycleEnd} = k.column4`;
  const narrowed = opts.kind === "n" ? opts.groups.flatMap((g) => (opts.only?.has(g.termId) ? [g.termId] : [])) : [];
  const only = narrowed.length
    ? [
        sql`(CASE k.column1 ${sql.join(
          [...new Set(narrowed)].map((id) => sql`WHEN ${litInt(id)} THEN (${opts.only?.get(id)})`),
          sql` `,
        )} ELSE 1 END)`,
      ]
    : [];
  const rows = allOf([inGroup, ...only, opts.where]);
  // The kind's rank index, named: with a key's values correlated rather than literal, SQLite
  // otherwise built an automatic index over every price on (name, batch, cycle, category), 2.8 s.
  const indexed = trustedSql(`INDEXED BY ${opts.kind === "n" ? NAME_RANK_INDEX : FIRM_RANK_INDEX}`);
  const values = sql`(VALUES ${keys}) k`;
  if (!opts.first) {
    const key = opts.key ? sql`, ${opts.key} AS v` : sql``;
    return foldedSql`SELECT ${ps.priceId} AS id, ${ps.unitPriceE4} AS u${key} FROM ${values} CROSS JOIN ${priceSearch} ${ps} ${indexed} WHERE ${rows}`;
  }
  const dir = opts.first.desc ? sql`DESC` : sql`ASC`;
  // Each key's rows come from its own limited read of the range, as one JSON array: the index holds
  // every column read, so no price is looked up again by its id (an IN list of ids was 70 % slower).
  const first = foldedSql`SELECT json_group_array(json_array(i, w)) FROM (SELECT ${ps.priceId} AS i, ${ps.unitPriceE4} AS w
    FROM ${priceSearch} ${ps} ${indexed} WHERE ${rows} ORDER BY ${ps.unitPriceE4} ${dir}, ${ps.priceId} ${dir} LIMIT ${litInt(opts.first.n)})`;
  return foldedSql`SELECT json_extract(j.value, '$[0]') AS id, json_extract(j.value, '$[1]') AS u FROM ${values}, json_each((${first})) j`;
}

/**
 * The groups' first n rows in one order as one compound SELECT of a range each, ordered and limited
 * as a whole: SQLite then merges the ranges, each already in the order of its index, and stops after
 * n rows, so a page reads about n + one row per group, where a limited read of each range reads n
 * per group and sorts them all (54 firms' groups of 演示远山, a page of 100: 5,454 rows and 6.0 ms
 * against 1.4 ms), and a sort by reduction read every range whole. Each range repeats the
 * conditions, so the text grows with the groups, and D1 allows five terms in a compound SELECT
 * (search-sql.ts): see mergeCheaper.
 *
 * By unit price (the rank indexes) it selects `id` and `u`; by reduction (the reduction indexes)
 * `id` and `v`, the reduction, over prices that have one only, since the index holds those without
 * one first and the sorts put them last: `after` is then a reduction and an id to continue past.
 */
export function mergedRanges(opts: {
  kind: "n" | "f";
  groups: readonly GroupKey[];
  where: SQL;
  only?: ReadonlyMap<number, SQL>;
  n: number;
  desc: boolean;
  by: "unitPrice" | "discount";
  after?: { v: number; id: number } | null;
}): SQL {
  const byPrice = opts.by === "unitPrice";
  const index = byPrice ? (opts.kind === "n" ? NAME_RANK_INDEX : FIRM_RANK_INDEX) : opts.kind === "n" ? NAME_DISCOUNT_INDEX : FIRM_DISCOUNT_INDEX;
  const indexed = trustedSql(`INDEXED BY ${index}`);
  const dir = trustedSql(opts.desc ? "DESC" : "ASC");
  const column = byPrice ? foldedSql`${ps.unitPriceE4} AS u` : foldedSql`${ps.discountBp} AS v`;
  const past = opts.after
    ? [foldedSql`(${ps.discountBp}, ${ps.priceId}) ${trustedSql(opts.desc ? "<" : ">")} (${litInt(opts.after.v)}, ${litInt(opts.after.id)})`]
    : [];
  const reduced = byPrice ? [] : [foldedSql`${ps.discountBp} IS NOT NULL`, ...past];
  const arms = opts.groups.map((g) => {
    const range = foldedSql`${opts.kind === "n" ? ps.nameId : ps.firmId} = ${litInt(g.termId)} AND ${ps.batchId} = ${litText(g.batchId)}
      AND ${ps.cycleStart} = ${litText(g.cs)} AND ${ps.cycleEnd} = ${litText(g.ce)}`;
    const only = opts.kind === "n" ? opts.only?.get(g.termId) : undefined;
    return foldedSql`SELECT ${ps.priceId} AS id, ${column} FROM ${priceSearch} ${ps} ${indexed} WHERE ${allOf([range, ...reduced, ...(only ? [only] : []), opts.where])}`;
  });
  const key = trustedSql(byPrice ? "u" : "v");
  return foldedSql`SELECT id, ${key} FROM (${sql.join(arms, foldedSql` UNION ALL `)} ORDER BY ${key} ${dir}, id ${dir} LIMIT ${litInt(opts.n)})`;
}

/**
 * Whether merging the groups' ranges (mergedRanges), which reads about `merged` rows and one more
 * per group, reads less than the other way (`other` rows: each group's first n, or every row) by
 * more than each group's term of the statement costs to prepare (SearchTuning.armCostRows); and
 * the terms are at most SearchTuning.maxMergeArms.
 */
export function mergeCheaper(groups: number, other: number, merged: number, tuning: Pick<SearchTuning, "maxMergeArms" | "armCostRows">): boolean {
  if (groups < 2 || groups > tuning.maxMergeArms) return false;
  return other - (merged + groups) > groups * tuning.armCostRows;
}

/** The rows a read of each group's first n matched prices reads, at the least. */
export const firstRows = (groups: ReadonlyArray<{ n: number }>, n: number): number => groups.reduce((sum, g) => sum + Math.min(n, g.n), 0);
