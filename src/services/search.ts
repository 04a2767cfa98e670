import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { OTHER_FIELDS_TIER } from "../domain/search-query";
import { AppError } from "../errors";
import { decodeCursor, encodeCursor } from "./cursor";
import { allRowFilters, type SearchFilters } from "./search-filters";
import { planIsEmpty, type SearchPlan } from "./search-match";
import { intLiteral, intList, textLiteral } from "./search-sql";
import { wordCondition } from "./search-words";

/**
 * Relevance-ranked price search over price_search. Rank key: (tier, not current, unit price, id),
 * all ascending, so a keyset cursor on it never repeats or skips a row.
 *
 * The matched prices come in groups (search_groups): one name or firm, one batch, one category, one
 * procurement cycle. A group is wholly in cycle or not, and is one contiguous range of a rank index
 * ordered by unit price and id. So one query counts the matched set per group (the group's count
 * when only batch, level or category narrow it, else a count over that range alone), and the page
 * is a merge of the few groups that can reach it, each read from its range already in order and
 * limited. A part that no price satisfies is never read.
 */

export type RankKey = { tier: number; notCurrent: number; unitPriceE4: number; id: number };

export function encodeRankCursor(k: RankKey): string {
  return encodeCursor({ v: `${k.tier}:${k.notCurrent}:${k.unitPriceE4}`, id: k.id });
}

export function decodeRankCursor(raw: string): RankKey {
  const c = decodeCursor(raw);
  const m = typeof c.v === "string" ? /^([0-3]):([01]):(-?\d{1,15})$/.exec(c.v) : null;
  if (!m) throw new AppError(400, "invalid_cursor", "cursor belongs to another sort; start again without it");
  return { tier: Number(m[1]), notCurrent: Number(m[2]), unitPriceE4: Number(m[3]), id: c.id };
}

/** Today as YYYY-MM-DD; inlined into SQL (it is ours, not the user's). */
export function todayIso(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * In its procurement cycle today, for a row or group alias with cycle_start/cycle_end ('' when not
 * published). Cycles may be published by month only (YYYY-MM).
 */
function currentSql(alias: string, today: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`bad date ${today}`);
  return `(${alias}.cycle_start <= '${today}' AND ${alias}.cycle_end <> '' AND ${alias}.cycle_end >= substr('${today}', 1, length(${alias}.cycle_end)))`;
}

const and = (parts: string[]) => (parts.length ? parts.join(" AND ") : "1");

/** Conditions every matched row meets besides its key: the filters on rows and the further words. */
function rowConditions(plan: SearchPlan, filters: SearchFilters): string[] {
  return [...filters.rows, ...plan.words.map(wordCondition)];
}

/** Rows of the firm segment or the code segment must not be counted again under a name or a firm. */
function notNamed(plan: SearchPlan): string[] {
  return plan.names.length ? [`ps.name_id NOT IN (${intList(plan.names.map((n) => n.id))})`] : [];
}
function notFirm(plan: SearchPlan): string[] {
  return plan.firms.length ? [`(ps.firm_id IS NULL OR ps.firm_id NOT IN (${intList(plan.firms.map((f) => f.id))}))`] : [];
}

/** The plan as one condition on price_search rows (any segment), for the other sorts. */
export function planCondition(plan: SearchPlan): SQL {
  const parts: string[] = [];
  if (plan.names.length) parts.push(`ps.name_id IN (${intList(plan.names.map((n) => n.id))})`);
  if (plan.firms.length) parts.push(`ps.firm_id IN (${intList(plan.firms.map((f) => f.id))})`);
  if (plan.products) parts.push(`ps.product_id IN (${plan.products})`);
  if (!parts.length) return sql`0`;
  return sql.raw(and([`(${parts.join(" OR ")})`, ...plan.words.map(wordCondition)]));
}

/** Matched prices of one group (or, for code matches, of one batch, category and cycle). */
export type Group = {
  kind: "n" | "f" | "p";
  termId: number;
  batchId: string;
  batchName: string;
  level: string;
  category: string;
  cs: string;
  ce: string;
  cur: number;
  n: number;
};

/** The matched set per group, with every filter applied; one query. */
export async function matchedGroups(db: Db, plan: SearchPlan, filters: SearchFilters, today: string): Promise<Group[]> {
  if (planIsEmpty(plan)) return [];
  const rowConds = rowConditions(plan, filters);
  const groupWhere: string[] = ["g.n > 0"];
  if (filters.batch !== undefined) groupWhere.push(`g.batch_id = ${textLiteral(filters.batch)}`);
  if (filters.level !== undefined) groupWhere.push(`b.level = ${textLiteral(filters.level)}`);
  if (filters.category !== undefined) groupWhere.push(`g.category = ${textLiteral(filters.category)}`);
  const cols = `g.term_id AS termId, g.batch_id AS batchId, b.name AS batchName, b.level AS level, g.category AS category,
    g.cycle_start AS cs, g.cycle_end AS ce, ${currentSql("g", today)} AS cur`;
  const inGroup = (col: string) =>
    `ps.${col} = g.term_id AND ps.batch_id = g.batch_id AND ps.cycle_start = g.cycle_start AND ps.cycle_end = g.cycle_end AND ps.category = g.category`;
  const parts: string[] = [];
  // Names that count the same way share one part of the query.
  const byCount = new Map<string, number[]>();
  for (const { id } of plan.names) {
    const n = nameCountSql(plan, filters, id) ?? `(SELECT count(*) FROM price_search ps WHERE ${and([inGroup("name_id"), ...rowConds])})`;
    byCount.set(n, [...(byCount.get(n) ?? []), id]);
  }
  for (const [n, nameIds] of byCount) {
    parts.push(`SELECT 'n' AS kind, ${cols}, ${n} AS n FROM search_groups g JOIN batches b ON b.id = g.batch_id
      WHERE g.term_id IN (${intList(nameIds)}) AND ${and(groupWhere)}`);
  }
  if (plan.firms.length) {
    const conds = [...notNamed(plan), ...rowConds];
    const n = conds.length ? `(SELECT count(*) FROM price_search ps WHERE ${and([inGroup("firm_id"), ...conds])})` : "g.n";
    parts.push(`SELECT 'f' AS kind, ${cols}, ${n} AS n FROM search_groups g JOIN batches b ON b.id = g.batch_id
      WHERE g.term_id IN (${intList(plan.firms.map((x) => x.id))}) AND ${and(groupWhere)}`);
  }
  if (plan.products) {
    const where = [`ps.product_id IN (${plan.products})`, ...notNamed(plan), ...notFirm(plan), ...allRowFilters(filters), ...plan.words.map(wordCondition)];
    parts.push(`SELECT 'p' AS kind, 0 AS termId, ps.batch_id AS batchId, b.name AS batchName, b.level AS level, ps.category AS category,
      ps.cycle_start AS cs, ps.cycle_end AS ce, ${currentSql("ps", today)} AS cur, count(*) AS n
      FROM price_search ps JOIN batches b ON b.id = ps.batch_id WHERE ${and(where)}
      GROUP BY ps.batch_id, ps.category, ps.cycle_start, ps.cycle_end`);
  }
  const rows = await db.all<Group>(sql.raw(parts.join(" UNION ALL ")));
  return rows.filter((g) => g.n > 0);
}

/**
 * How to count a name's group without reading its prices, or null when only its rows can tell: the
 * group's own count when nothing narrows it below a whole group, else a sum over search_pairs when
 * every further word is met by the name itself or only by variants (20mg) or only by firms (星河).
 */
function nameCountSql(plan: SearchPlan, filters: SearchFilters, nameId: number): string | null {
  if (filters.rows.length) return null;
  const open = plan.words.filter((w) => !w.names.includes(nameId));
  if (!open.length) return "g.n";
  if (open.some((w) => w.products)) return null;
  const only = (kind: "v" | "f") => {
    const sets = open.map((w) => new Set(kind === "v" ? w.variants : w.firms));
    const ids = [...(sets[0] ?? [])].filter((id) => sets.every((set) => set.has(id)));
    if (!ids.length) return "0";
    return `(SELECT COALESCE(SUM(sp.n), 0) FROM search_pairs sp WHERE sp.name_id = g.term_id AND sp.kind = '${kind}'
      AND sp.other_id IN (${intList(ids)}) AND sp.batch_id = g.batch_id AND sp.category = g.category
      AND sp.cycle_start = g.cycle_start AND sp.cycle_end = g.cycle_end)`;
  };
  if (open.every((w) => !w.firms.length)) return only("v");
  if (open.every((w) => !w.variants.length)) return only("f");
  return null;
}

/** Several keys in one tier and cycle state read through one IN list (a sort) rather than one range each. */
const MAX_RANGES_PER_KEY = 48;

type Key = { tier: number; nc: number; ranges: string[]; fallback: string | null; count: number };

/** One page of price ids in rank order, plus the cursor of the next page. */
export function rankedPageSql(
  plan: SearchPlan,
  filters: SearchFilters,
  groups: Group[],
  opts: { limit: number; after: RankKey | null; today: string },
): string | null {
  const n = opts.limit + 1;
  const rowConds = rowConditions(plan, filters);
  const category = filters.category !== undefined ? [`ps.category = ${textLiteral(filters.category)}`] : [];
  const tierOf = new Map(plan.names.map((x) => [x.id, x.tier]));
  const keys = new Map<string, Key>();
  const keyOf = (tier: number, nc: number) => {
    const id = `${tier}:${nc}`;
    let k = keys.get(id);
    if (!k) keys.set(id, (k = { tier, nc, ranges: [], fallback: null, count: 0 }));
    return k;
  };
  const seen = new Set<string>();
  for (const g of groups) {
    const tier = g.kind === "n" ? (tierOf.get(g.termId) ?? OTHER_FIELDS_TIER) : OTHER_FIELDS_TIER;
    const k = keyOf(tier, g.cur ? 0 : 1);
    k.count += g.n;
    if (g.kind === "p") continue;
    // Two categories of one (term, batch, cycle) share one index range.
    const range = `ps.${g.kind === "n" ? "name_id" : "firm_id"} = ${intLiteral(g.termId)} AND ps.batch_id = ${textLiteral(g.batchId)}
      AND ps.cycle_start = ${textLiteral(g.cs)} AND ps.cycle_end = ${textLiteral(g.ce)}`;
    if (seen.has(range)) continue;
    seen.add(range);
    k.ranges.push(g.kind === "n" ? range : and([range, ...notNamed(plan)]));
  }
  const ordered = [...keys.values()].sort((a, b) => a.tier - b.tier || a.nc - b.nc);
  const arms: string[] = [];
  let reached = 0;
  for (const k of ordered) {
    const { after } = opts;
    if (after && (k.tier < after.tier || (k.tier === after.tier && k.nc < after.notCurrent))) continue;
    const atCursor = after && k.tier === after.tier && k.nc === after.notCurrent;
    const where = [...category, ...rowConds];
    if (atCursor) where.push(`(ps.unit_price_e4, ps.price_id) > (${intLiteral(after.unitPriceE4)}, ${intLiteral(after.id)})`);
    const arm = (key: string) =>
      `SELECT * FROM (SELECT ps.price_id AS id, ${k.tier} AS tier, ${k.nc} AS nc, ps.unit_price_e4 AS u FROM price_search ps
        WHERE ${and([key, ...where])} ORDER BY ps.unit_price_e4, ps.price_id LIMIT ${n})`;
    const current = k.nc ? `NOT ${currentSql("ps", opts.today)}` : currentSql("ps", opts.today);
    if (k.ranges.length > MAX_RANGES_PER_KEY) {
      const ids = k.tier === OTHER_FIELDS_TIER ? plan.firms.map((f) => f.id) : plan.names.filter((x) => x.tier === k.tier).map((x) => x.id);
      const col = k.tier === OTHER_FIELDS_TIER ? "firm_id" : "name_id";
      const notNamedHere = k.tier === OTHER_FIELDS_TIER ? notNamed(plan) : [];
      arms.push(arm(and([`ps.${col} IN (${intList(ids)})`, current, ...notNamedHere, ...allRowFilters({ ...filters, rows: [] })])));
    } else {
      for (const r of k.ranges) arms.push(arm(r));
    }
    if (k.tier === OTHER_FIELDS_TIER && plan.products && groups.some((g) => g.kind === "p" && (g.cur ? 0 : 1) === k.nc)) {
      arms.push(arm(and([`ps.product_id IN (${plan.products})`, current, ...notNamed(plan), ...notFirm(plan), ...allRowFilters({ ...filters, rows: [] })])));
    }
    // Later keys rank below every price of this one: once enough are certain, they cannot reach the page.
    if (!atCursor) reached += k.count;
    if (reached >= n) break;
  }
  if (!arms.length) return null;
  return `SELECT id, tier, nc, u FROM (${arms.join(" UNION ALL ")}) ORDER BY tier, nc, u, id LIMIT ${n}`;
}

export async function rankedPage(
  db: Db,
  plan: SearchPlan,
  filters: SearchFilters,
  groups: Group[],
  opts: { limit: number; cursor?: string; today: string },
): Promise<{ ids: number[]; nextCursor: string | null }> {
  const after = opts.cursor ? decodeRankCursor(opts.cursor) : null;
  const text = groups.length ? rankedPageSql(plan, filters, groups, { limit: opts.limit, after, today: opts.today }) : null;
  if (!text) return { ids: [], nextCursor: null };
  const rows = await db.all<{ id: number; tier: number; nc: number; u: number }>(sql.raw(text));
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return {
    ids: page.map((r) => r.id),
    nextCursor: rows.length > opts.limit && last ? encodeRankCursor({ tier: last.tier, notCurrent: last.nc, unitPriceE4: last.u, id: last.id }) : null,
  };
}

export type Facets = {
  batch: Array<{ id: string; name: string; count: number }>;
  category: Array<{ category: string; count: number }>;
  level: Array<{ level: string; count: number }>;
};

/** Counts of the matched set by batch, category and level, and their total. */
export function facetsOf(groups: Group[]): { total: number; facets: Facets } {
  const batch = new Map<string, { id: string; name: string; count: number }>();
  const category = new Map<string, number>();
  const level = new Map<string, number>();
  let total = 0;
  for (const g of groups) {
    total += g.n;
    const b = batch.get(g.batchId) ?? { id: g.batchId, name: g.batchName, count: 0 };
    b.count += g.n;
    batch.set(g.batchId, b);
    category.set(g.category, (category.get(g.category) ?? 0) + g.n);
    level.set(g.level, (level.get(g.level) ?? 0) + g.n);
  }
  const byCount = <T extends { count: number }>(a: T, b: T, ka: string, kb: string) => b.count - a.count || (ka < kb ? -1 : ka > kb ? 1 : 0);
  return {
    total,
    facets: {
      batch: [...batch.values()].sort((a, b) => byCount(a, b, a.id, b.id)),
      category: [...category].map(([c, count]) => ({ category: c, count })).sort((a, b) => byCount(a, b, a.category, b.category)),
      level: [...level].map(([l, count]) => ({ level: l, count })).sort((a, b) => byCount(a, b, a.level, b.level)),
    },
  };
}
