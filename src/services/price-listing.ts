import { getTableName, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { priceSearch, prices, searchCodePrices, searchTerms } from "../db/schema";
import { columnNames, renderedAlias } from "../db/trusted-sql";
import { decodeCursor, encodeCursor } from "./cursor";
import { firstRows, groupsArm, mergeCheaper, mergedRanges } from "./group-arms";
import type { FilterSql } from "./price-filter-sql";
import { batchesOfGroups, codeRange, codeRangeRows, codeStartGroupCounts, type Group, groupRange, onlyOfNames, planCondition } from "./search";
import type { SearchPlan } from "./search-match";
import { allOf, litInt, litText, unionAll } from "./search-sql";
import type { SearchTuning } from "./search-tuning";

/**
 * Lists in an explicit order (unit price, reduction), and every price as one search plan, so that a
 * listing reads in proportion to its page and never to the table: the matched set is counted from
 * search_groups (as ranked search counts it), and the page walks the sort's own index, keeping the
 * matched prices, for at most a window of steps sized from that count. When the matched set is too
 * small a share of all prices for the window, it is read whole and sorted (it is then small).
 */

/** Columns through the schema: drizzle aliases p and ps for templates, names for the statements sent as text. */
const p = renderedAlias(prices, "p");
const ps = renderedAlias(priceSearch, "ps");
// Under price_search's alias: the sort's key and the filters rendered for ps rows read the same columns there.
const cps = renderedAlias(searchCodePrices, "ps");
const term = columnNames(searchTerms);
const psCol = columnNames(priceSearch);
const NAME_IDS_SQL = `SELECT json_group_array(${term.id}) AS ids FROM ${getTableName(searchTerms)} WHERE ${term.kind} = 'name'`;
const MAX_PRICE_ID_SQL = `SELECT max(${psCol.priceId}) AS n FROM ${getTableName(priceSearch)}`;

export type ListSort = "discount" | "-discount" | "unitPrice" | "-unitPrice";

/** A plan that no words were typed for: a listing names its terms by id alone. */
const NO_WORDS: SearchPlan = { text: "", names: [], firms: [], products: null, codePrefix: null, refine: [], words: [] };
const termById = <K extends "name" | "firm">(id: number, kind: K) => ({
  id,
  kind,
  term: "",
  display: "",
  nameEn: null,
  pinyin: null,
  initials: null,
  category: null,
});

/** Every price, as a plan: all generic names in one tier (each price has exactly one name). */
export async function everythingPlan(db: Db): Promise<SearchPlan> {
  const [row] = await readRows<{ ids: string }>(db, NAME_IDS_SQL);
  const ids = JSON.parse(row?.ids ?? "[]") as number[];
  return { ...NO_WORDS, names: ids.map((id) => ({ ...termById(id, "name"), tier: 0 })) };
}

/** The prices of these firms, as a plan (a listing filtered by manufacturer): one tier, like every price. */
export function firmsPlan(ids: number[]): SearchPlan {
  return { ...NO_WORDS, firms: ids.map((id) => termById(id, "firm")) };
}

/**
 * The sort's key over prices p (or price_search ps, which holds each price's unit price and reduction
 * as prices does), as its index holds it (drizzle/0014_listing_sort_indexes.sql): a missing reduction
 * sorts last both ways, and ties go by id in the sort's own direction, so the index is read in one
 * direction from a cursor.
 */
function keyOf(sort: ListSort, alias: Alias = "p"): { expr: SQL; desc: boolean } {
  const t = ALIASES[alias];
  switch (sort) {
    case "unitPrice":
      return { expr: sql`${t.unitPriceE4}`, desc: false };
    case "-unitPrice":
      return { expr: sql`${t.unitPriceE4}`, desc: true };
    case "discount":
      return { expr: sql`COALESCE(${t.discountBp}, ${litInt(NO_REDUCTION.ascending)})`, desc: false };
    case "-discount":
      return { expr: sql`COALESCE(${t.discountBp}, ${litInt(NO_REDUCTION.descending)})`, desc: true };
  }
}

/** The key of a price without a reduction in each direction of a sort by reduction: past every reduction, so last. */
const NO_REDUCTION = { ascending: 1_000_000_000, descending: -1_000_000_000 };

type Alias = "p" | "ps";
/** prices and price_search both hold the unit price and reduction a sort reads. */
const ALIASES = { p: { unitPriceE4: p.unitPriceE4, discountBp: p.discountBp }, ps: { unitPriceE4: ps.unitPriceE4, discountBp: ps.discountBp } };
const idOf: Record<Alias, SQL> = { p: sql`${p.id}`, ps: sql`${ps.priceId}` };

type Row = { id: number; v: number };

/**
 * Where a page starts in the sort's order: after the cursor, and within the filters on the sorted
 * column, as bounds on the sort's first column alone, so SQLite seeks them in the index (ties are
 * kept or dropped by id as a plain condition). `maxUnitPrice` with a descending unit price starts
 * where it allows instead of stepping over every dearer price.
 */
function boundsOf(sort: ListSort, alias: Alias, after: { v: unknown; id: number } | null, filters: FilterSql): SQL[] {
  const { expr, desc } = keyOf(sort, alias);
  const ahead = desc ? sql`<` : sql`>`;
  const bounds = after
    ? [
        sql`${expr} ${desc ? sql`<=` : sql`>=`} ${litInt(Number(after.v))}`,
        sql`(${expr} ${ahead} ${litInt(Number(after.v))} OR ${idOf[alias]} ${ahead} ${litInt(after.id)})`,
      ]
    : [];
  const f = filters.filter;
  if ((sort === "unitPrice" || sort === "-unitPrice") && f.maxUnitPriceE4 !== undefined) {
    bounds.push(sql`${ALIASES[alias].unitPriceE4} <= ${litInt(clamp(f.maxUnitPriceE4))}`);
  }
  if ((sort === "discount" || sort === "-discount") && f.minDiscountBp !== undefined) {
    bounds.push(sql`${expr} >= ${litInt(clamp(f.minDiscountBp))}`);
  }
  return bounds;
}

const clamp = (x: number) => Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, Math.round(x)));

/** One page of price ids in the sort's order, with the next page's cursor. */
export async function sortedPage(
  db: Db,
  opts: { plan: SearchPlan; everything: boolean; filters: FilterSql; groups: Group[]; sort: ListSort; limit: number; cursor?: string; tuning: SearchTuning },
): Promise<{ ids: number[]; nextCursor: string | null }> {
  const { expr, desc } = keyOf(opts.sort);
  const n = opts.limit + 1;
  const after = opts.cursor ? decodeCursor(opts.cursor) : null;
  const from = boundsOf(opts.sort, "p", after, opts.filters);
  const order = desc ? sql`${expr} DESC, ${p.id} DESC` : sql`${expr} ASC, ${p.id} ASC`;
  // The everything plan names every price; its condition would only slow each step.
  const matched = (walk?: { steps: number; codePrices: number }) =>
    allOf([...(opts.everything ? [] : [planCondition(opts.plan, walk)]), ...opts.filters.allRows]);
  // Within one matched group's range, the filters the group was picked by hold already (a shorter statement).
  const inRange = allOf([...(opts.everything ? [] : [planCondition(opts.plan)]), ...opts.filters.inRange]);
  const read = (bound: SQL[], walk: { steps: number; codePrices: number }) =>
    readRows<Row>(
      db,
      sql`SELECT ${p.id} AS id, ${expr} AS v FROM ${prices} ${p} CROSS JOIN ${priceSearch} ${ps}
        WHERE ${allOf([sql`${ps.priceId} = ${p.id}`, ...from, ...bound, matched(walk)])} ORDER BY ${order} LIMIT ${litInt(n)}`,
    );
  let rows: Row[] | null = null;
  // A start of a code: its range of search_code_prices holds every column the sort and the filters read.
  const codes = codeRange(opts.plan);
  const total = totalOf(opts.groups);
  // The groups counted nothing under the filters (the answer's total): there is no match to read
  // (reading it anyway took 13 ms to find none for a 拼音码 under a firm fragment at a million prices).
  if (total === 0) return { ids: [], nextCursor: null };
  const readCodes = async (range: SQL) => {
    // The group filters as a test of the batch when each matched batch holds one group under the start.
    const counts = await codeStartGroupCounts(db, opts.plan.codePrefix ?? "");
    const groupFilters = batchesOfGroups(opts.groups, counts) ?? opts.filters.groupOnRows;
    return readRows<Row>(
      db,
      sql`SELECT ${cps.priceId} AS id, ${keyOf(opts.sort, "ps").expr} AS v FROM ${searchCodePrices} ${cps}
        WHERE ${allOf([range, ...boundsOf(opts.sort, "ps", after, opts.filters), ...groupFilters, ...opts.filters.rows, ...opts.filters.firms])}
        ORDER BY ${desc ? sql`v DESC, id DESC` : sql`v ASC, id ASC`} LIMIT ${litInt(n)}`,
    );
  };
  // The prices under a start of a code, whatever the filters: the size of the set of its products.
  const codePrices = opts.plan.codePrefix !== null ? await codeRangeRows(db, opts.plan) : 0;
  if (codes && codePrices <= opts.tuning.maxCodeRangeRows) rows = await readCodes(codes);
  const byUnitPrice = opts.sort === "unitPrice" || opts.sort === "-unitPrice";
  const ranges = groupRanges(opts.plan, opts.groups, opts.tuning.maxGroupArms);
  const arm = (range: SQL) =>
    sql`SELECT ${ps.priceId} AS id, ${keyOf(opts.sort, "ps").expr} AS v FROM ${priceSearch} ${ps}
          WHERE ${allOf([range, ...boundsOf(opts.sort, "ps", after, opts.filters), inRange])}`;
  const mergeArms = (list: SQL[]) =>
    readRows<Row>(db, sql`SELECT id, v FROM (${unionAll(list)}) ORDER BY ${desc ? sql`v DESC, id DESC` : sql`v ASC, id ASC`} LIMIT ${litInt(n)}`);
  const onlyOf = onlyOfNames(opts.plan);
  // Two or more ranges as one arm (group-arms.ts); null when they are read one SELECT each.
  const oneArm = (list: GroupRange[], read: Omit<Parameters<typeof groupsArm>[0], "kind" | "groups" | "only">) =>
    list.length >= opts.tuning.groupsArmFrom && (list[0]?.group.kind === "n" || list[0]?.group.kind === "f")
      ? groupsArm({ kind: list[0].group.kind, groups: list.map((r) => r.group), only: onlyOf, ...read })
      : null;
  // By reduction: the ranges merged in reduction order (group-arms.ts) when that reads fewer rows
  // than reading them whole (about n rows for every n they match), and what either reads.
  const byReduction = (list: GroupRange[]) => {
    const groups = list.map((r) => r.group);
    const kind = list[0]?.group.kind;
    const matched = totalOf(groups);
    const whole = readWhole(groups, opts.filters);
    const mergedRows = Math.ceil((n * sizeOf(groups)) / Math.max(1, matched));
    // The merge reads the prices that have a reduction; a page past them is read as before.
    const pastReductions = after !== null && Number(after.v) === (desc ? NO_REDUCTION.descending : NO_REDUCTION.ascending);
    const merge = (kind === "n" || kind === "f") && !pastReductions && matched >= n && mergeCheaper(list.length, whole, mergedRows, opts.tuning);
    return { groups, kind, merge, rows: merge ? mergedRows : whole };
  };
  // null when the ranges are read whole, or the merge found less than a page (the page then reaches
  // the prices without a reduction).
  const mergedByReduction = async (list: GroupRange[]): Promise<Row[] | null> => {
    const { groups, kind, merge } = byReduction(list);
    if (!merge || (kind !== "n" && kind !== "f")) return null;
    const min = opts.filters.filter.minDiscountBp;
    // The minimum as a bound on the reduction index, where the filters test it on each row read.
    const from = min === undefined ? [] : [sql`${ps.discountBp} >= ${litInt(clamp(min))}`];
    const merged = mergedRanges({
      kind,
      groups,
      where: allOf([...from, inRange]),
      only: onlyOf,
      n,
      desc,
      by: "discount",
      after: after ? { v: Number(after.v), id: after.id } : null,
    });
    const rows = await readRows<Row>(db, merged);
    return rows.length >= n ? rows : null;
  };
  // By reduction: every range read whole, within the sort's bounds.
  const wholeRanges = async (list: GroupRange[]) => {
    const merged = await mergedByReduction(list);
    if (merged) return merged;
    const one = oneArm(list, { where: allOf([...boundsOf(opts.sort, "ps", after, opts.filters), inRange]), key: keyOf(opts.sort, "ps").expr });
    return mergeArms(one ? [one] : list.map(({ range }) => arm(range)));
  };
  // By unit price: each range's first n past the cursor (and within `reach`), already in order.
  const firstOfRanges = (list: GroupRange[], reach: SQL[] = []) => {
    const merge = mergeCheaper(
      list.length,
      firstRows(
        list.map((r) => r.group),
        n,
      ),
      n,
      opts.tuning,
    );
    const one = oneArm(list, { where: allOf([...reach, ...pastCursor(desc, after), inRange]), first: { n, desc, merge } });
    return mergeArms(one ? [sql`SELECT id, u AS v FROM (${one})`] : list.map(({ range }) => orderedArm(allOf([range, ...reach]), inRange, desc, after, n)));
  };
  const readArms = async (list: GroupRange[]): Promise<Row[]> => {
    if (!byUnitPrice) return wholeRanges(list);
    if (list.length <= n) return firstOfRanges(list);
    // Many groups: each group's first matched price first (one step of its range each). The page's
    // last price is at least as good as the n-th best of those firsts, so only the groups whose first
    // reaches it are read further, and within them only the prices that reach it.
    const firsts = await readRows<Row & { arm: number }>(
      db,
      sql`SELECT f.arm AS arm, ${ps.priceId} AS id, ${ps.unitPriceE4} AS v FROM (${firstOfEachSql(list, inRange, desc, after)}) f
        JOIN ${priceSearch} ${ps} ON ${ps.priceId} = f.id`,
    );
    if (firsts.length < n) return firstOfRanges(firsts.map((f) => list[f.arm] as GroupRange));
    const better = (a: Row, b: Row) => (desc ? b.v - a.v || b.id - a.id : a.v - b.v || a.id - b.id);
    const edge = Number([...firsts].sort(better)[n - 1]?.v);
    const reach = sql`${ps.unitPriceE4} ${desc ? sql`>=` : sql`<=`} ${litInt(edge)}`;
    const kept = firsts.filter((f) => (desc ? f.v >= edge : f.v <= edge));
    return firstOfRanges(
      kept.map((f) => list[f.arm] as GroupRange),
      [reach],
    );
  };
  if (!rows && total > 0) {
    const all = (await readRows<{ n: number | null }>(db, MAX_PRICE_ID_SQL))[0]?.n ?? 0;
    const window = Math.ceil((opts.tuning.scanSlack * n * all) / total) + n;
    // Sorted by unit price, each matched group reads at most n prices from its own range, already in
    // order: cheaper than the window whenever the groups are fewer than the window's steps per page.
    if (byUnitPrice && ranges && ranges.length * n <= window) rows = await readArms(ranges);
    // Sorted by reduction, reading the groups' ranges whole is cheaper when they hold fewer prices
    // than the window would step through (恩替卡韦 under a province and a firm fragment: 3,600
    // against 29,552 steps testing each price's name, firm and region).
    else if (!byUnitPrice && ranges && byReduction(ranges).rows <= window) rows = await readArms(ranges);
    else if (window <= opts.tuning.maxScanWindow) {
      const [end] = await readRows<Row>(
        db,
        sql`SELECT ${p.id} AS id, ${expr} AS v FROM ${prices} ${p} WHERE ${allOf(from)} ORDER BY ${order} LIMIT 1 OFFSET ${litInt(window - 1)}`,
      );
      // A bound on the value alone reads the ties past the end too: a few more steps, the same answer.
      const bound = end ? [sql`${expr} ${desc ? sql`>=` : sql`<=`} ${litInt(end.v)}`] : [];
      const found = await read(bound, { steps: window, codePrices });
      if (found.length >= n || !end) rows = found;
    }
  }
  // The groups' own ranges: by unit price a merge of ranges read in order; by reduction the matched
  // set (a small share of all prices, or the window would have found the page), read range by range,
  // so a bound on unit price seeks within each group instead of walking the reduction index.
  if (!rows && ranges) rows = await readArms(ranges);
  if (!rows && codes) rows = await readCodes(codes);
  // Otherwise the matched set, read through index ranges (the plan's own, or for every price the
  // ranges of the names' groups that hold a match), sorted whole.
  rows ??= await readRows<Row>(
    db,
    sql`SELECT ${p.id} AS id, ${expr} AS v FROM ${priceSearch} ${ps} JOIN ${prices} ${p} ON ${p.id} = ${ps.priceId}
      WHERE ${allOf([...from, ...(opts.everything ? [nameGroupRanges(opts.groups)] : []), matched()])} ORDER BY ${order} LIMIT ${litInt(n)}`,
  );
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return { ids: page.map((r) => r.id), nextCursor: rows.length > opts.limit && last ? encodeCursor({ v: last.v, id: last.id }) : null };
}

/**
 * The matched groups as ranges of their rank index (price_search_name_rank_idx, _firm_rank_idx): a
 * group (one name or firm, batch and cycle) is one range, in unit-price order. Null when some group
 * has no range of its own (prices matched by code, a firm fragment naming too many firms), names and
 * firms both matched (a price could then come twice), or the groups are too many for one compound
 * SELECT.
 */
function groupRanges(plan: SearchPlan, groups: Group[], maxArms: number): GroupRange[] | null {
  const kinds = new Set(groups.map((g) => g.kind));
  if (kinds.size !== 1 || !(kinds.has("n") || kinds.has("f"))) return null;
  const onlyOf = onlyOfNames(plan);
  const seen = new Set<string>();
  const ranges: GroupRange[] = [];
  for (const g of groups) {
    if (g.n <= 0) continue;
    // Two categories of one (term, batch, cycle) share one index range.
    const id = JSON.stringify([g.termId, g.batchId, g.cs, g.ce]);
    if (seen.has(id)) continue;
    seen.add(id);
    ranges.push({ range: groupRange(g, onlyOf), group: g, only: g.kind === "n" ? onlyOf.get(g.termId) : undefined });
  }
  return ranges.length && ranges.length <= maxArms ? ranges : null;
}

/** A matched group's range of its rank index; `only` when a name keeps only some of its forms there. */
type GroupRange = { range: SQL; group: Group; only: SQL | undefined };

/** Past the cursor in unit-price order, on price_search rows. */
const pastCursor = (desc: boolean, after: { v: unknown; id: number } | null): SQL[] =>
  after ? [sql`(${ps.unitPriceE4}, ${ps.priceId}) ${desc ? sql`<` : sql`>`} (${litInt(Number(after.v))}, ${litInt(after.id)})`] : [];

/**
 * Each group's first matched price in unit-price order, after the cursor: one seek of its range each,
 * sent as one list of the groups' keys and one correlated read, not one arm per group (250 arms of a
 * listing were 80 KB of SQL, and parsing them took longer than the seeks).
 */
function firstOfEachSql(ranges: GroupRange[], matched: SQL, desc: boolean, after: { v: unknown; id: number } | null): SQL {
  const byName = ranges[0]?.group.kind === "n";
  const dir = desc ? sql`DESC` : sql`ASC`;
  const keys = ranges.map(({ group: g }, i) => sql`(${litInt(i)}, ${litInt(g.termId)}, ${litText(g.batchId)}, ${litText(g.cs)}, ${litText(g.ce)})`);
  const inGroup = sql`${byName ? ps.nameId : ps.firmId} = k.column2 AND ${ps.batchId} = k.column3 AND ${ps.cycleStart} = k.column4 AND ${ps.cycleEnd} = k.column5`;
  // A name narrowed to some forms keeps only those in its groups, as its own ranges do.
  const narrowed = new Map(ranges.flatMap((r) => (r.only ? [[r.group.termId, r.only] as const] : [])));
  const only = narrowed.size
    ? [
        sql`(CASE k.column2 ${sql.join(
          [...narrowed].map(([id, cond]) => sql`WHEN ${litInt(id)} THEN (${cond})`),
          sql` `,
        )} ELSE 1 END)`,
      ]
    : [];
  return sql`SELECT k.column1 AS arm, (SELECT ${ps.priceId} FROM ${priceSearch} ${ps} WHERE ${allOf([inGroup, ...only, ...pastCursor(desc, after), matched])}
      ORDER BY ${ps.unitPriceE4} ${dir}, ${ps.priceId} ${dir} LIMIT 1) AS id
    FROM (VALUES ${sql.join(keys, sql`, `)}) k`;
}

/** One group's first n matched prices in unit-price order, after the cursor: one limited read of its range. */
function orderedArm(range: SQL, matched: SQL, desc: boolean, after: { v: unknown; id: number } | null, n: number): SQL {
  const dir = desc ? sql`DESC` : sql`ASC`;
  return sql`SELECT * FROM (SELECT ${ps.priceId} AS id, ${ps.unitPriceE4} AS v FROM ${priceSearch} ${ps}
      WHERE ${allOf([range, ...pastCursor(desc, after), matched])} ORDER BY ${ps.unitPriceE4} ${dir}, ${ps.priceId} ${dir} LIMIT ${litInt(n)})`;
}

/** The name groups' ranges of price_search_name_rank_idx, as one condition. */
function nameGroupRanges(groups: Group[]): SQL {
  const keys = new Map<string, SQL>();
  for (const g of groups) {
    if (g.kind !== "n" || g.n <= 0) continue;
    const id = JSON.stringify([g.termId, g.batchId, g.cs, g.ce]);
    if (!keys.has(id)) keys.set(id, sql`(${litInt(g.termId)}, ${litText(g.batchId)}, ${litText(g.cs)}, ${litText(g.ce)})`);
  }
  if (!keys.size) return sql`0`;
  return sql`(${ps.nameId}, ${ps.batchId}, ${ps.cycleStart}, ${ps.cycleEnd}) IN (VALUES ${sql.join([...keys.values()], sql`, `)})`;
}

/** The matched set's size from its groups. */
export const totalOf = (groups: Group[]): number => groups.reduce((sum, g) => sum + g.n, 0);

/**
 * What reading every range whole reads: the prices they hold, or under a maximum unit price only
 * those up to it, which each range's rank index seeks (about the matched ones when the other
 * filters pick groups, not rows).
 */
const readWhole = (groups: Group[], filters: FilterSql): number => (filters.filter.maxUnitPriceE4 === undefined ? sizeOf(groups) : totalOf(groups));

/** The prices the groups' ranges hold before row filters: what reading every range whole reads. */
const sizeOf = (groups: Group[]): number => groups.reduce((sum, g) => sum + g.size, 0);
