import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { OTHER_FIELDS_TIER } from "../domain/search-query";
import { AppError } from "../errors";
import { decodeCursor, encodeCursor } from "./cursor";
import { planIsEmpty, type SearchPlan } from "./search-match";

/**
 * Relevance-ranked price search over price_search. Rank key: (tier, not current, unit price, id),
 * all ascending, so a keyset cursor on it never repeats or skips a row. Each (name or firm, current
 * or not) is read from the index (name_id|firm_id, unit_price_e4, price_id) already in order and
 * limited, and the small lists are merged: a page costs a few index seeks, not a sort of every
 * matched price.
 */

/** Filters of a price query that price_search can answer itself (see priceSearchFilters). */
export type SearchFilters = SQL[];

export type RankKey = { tier: number; notCurrent: number; unitPriceE4: number; id: number };

/** More keys than this in one tier are read through one IN list (a sort) rather than one seek each. */
const MAX_SEEKS_PER_TIER = 32;

export function encodeRankCursor(k: RankKey): string {
  return encodeCursor({ v: `${k.tier}:${k.notCurrent}:${k.unitPriceE4}`, id: k.id });
}

export function decodeRankCursor(raw: string): RankKey {
  const c = decodeCursor(raw);
  const m = typeof c.v === "string" ? /^([0-3]):([01]):(-?\d{1,15})$/.exec(c.v) : null;
  if (!m) throw new AppError(400, "invalid_cursor", "cursor belongs to another sort; start again without it");
  return { tier: Number(m[1]), notCurrent: Number(m[2]), unitPriceE4: Number(m[3]), id: c.id };
}

/** Today as YYYY-MM-DD; inlined into SQL (it is ours, not the user's) to keep bound parameters few. */
export function todayIso(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** In its procurement cycle today. Cycles may be published by month only (YYYY-MM). */
function currentSql(today: string): SQL {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`bad date ${today}`);
  const d = sql.raw(`'${today}'`);
  return sql`(COALESCE(ps.cycle_start, '') <= ${d} AND ps.cycle_end IS NOT NULL AND ps.cycle_end >= substr(${d}, 1, length(ps.cycle_end)))`;
}

const ids = (xs: number[]) => sql.raw(xs.map((x) => String(Math.trunc(x))).join(","));

/** Every further word must occur in one of the product's fields. */
function refineSql(words: string[]): SQL[] {
  return words.map(
    (w) => sql`EXISTS (SELECT 1 FROM products pr WHERE pr.id = ps.product_id AND instr(lower(
      COALESCE(pr.spec, '') || ' ' || COALESCE(pr.dosage_form, '') || ' ' || COALESCE(pr.manufacturer, '') || ' ' ||
      pr.name_norm || ' ' || COALESCE(pr.generic_name_en, '') || ' ' || COALESCE(pr.nhsa_code, '') || ' ' ||
      COALESCE(pr.approval_no, '') || ' ' || COALESCE(pr.package_text, '')), ${w}) > 0)`,
  );
}

/** The plan as one condition on price_search rows (any segment), for counts and for other sorts. */
export function planCondition(plan: SearchPlan): SQL {
  const parts: SQL[] = [];
  if (plan.names.length) parts.push(sql`ps.name_id IN (${ids(plan.names.map((n) => n.id))})`);
  if (plan.firms.length) parts.push(sql`ps.firm_id IN (${ids(plan.firms.map((f) => f.id))})`);
  if (plan.products) parts.push(sql`ps.product_id IN (${plan.products})`);
  if (!parts.length) return sql`0`;
  return sql.join([sql`(${sql.join(parts, sql` OR `)})`, ...refineSql(plan.refine)], sql` AND `);
}

type Segment = { tier: number; key: SQL[] };

/** The plan's segments in rank order; a price lands in its best tier only. */
function segments(plan: SearchPlan): Segment[] {
  const out: Segment[] = [];
  const tiers = [...new Set(plan.names.map((n) => n.tier))].sort((a, b) => a - b);
  for (const tier of tiers) {
    const nameIds = plan.names.filter((n) => n.tier === tier).map((n) => n.id);
    out.push({
      tier,
      key: nameIds.length <= MAX_SEEKS_PER_TIER ? nameIds.map((id) => sql`ps.name_id = ${ids([id])}`) : [sql`ps.name_id IN (${ids(nameIds)})`],
    });
  }
  const others: SQL[] = [];
  const firmIds = plan.firms.map((f) => f.id);
  if (firmIds.length) {
    others.push(...(firmIds.length <= MAX_SEEKS_PER_TIER ? firmIds.map((id) => sql`ps.firm_id = ${ids([id])}`) : [sql`ps.firm_id IN (${ids(firmIds)})`]));
  }
  if (plan.products) others.push(sql`ps.product_id IN (${plan.products})`);
  if (others.length) {
    const notNamed = plan.names.length ? sql` AND ps.name_id NOT IN (${ids(plan.names.map((n) => n.id))})` : sql``;
    out.push({ tier: OTHER_FIELDS_TIER, key: others.map((k) => sql`${k}${notNamed}`) });
  }
  return out;
}

/** One page of price ids in rank order, plus the cursor of the next page. */
export async function rankedPage(
  db: Db,
  plan: SearchPlan,
  filters: SearchFilters,
  opts: { limit: number; cursor?: string; today: string },
): Promise<{ ids: number[]; nextCursor: string | null }> {
  if (planIsEmpty(plan)) return { ids: [], nextCursor: null };
  const after = opts.cursor ? decodeRankCursor(opts.cursor) : null;
  const n = opts.limit + 1;
  const current = currentSql(opts.today);
  const common = [...filters, ...refineSql(plan.refine)];
  const arms: SQL[] = [];
  for (const seg of segments(plan)) {
    for (const notCurrent of [0, 1]) {
      if (after && (seg.tier < after.tier || (seg.tier === after.tier && notCurrent < after.notCurrent))) continue;
      const where = [notCurrent ? sql`NOT ${current}` : current, ...common];
      if (after && seg.tier === after.tier && notCurrent === after.notCurrent) {
        // Validated integers, inlined: one bound parameter per arm would exceed D1's 100 per query.
        const u = sql.raw(String(Math.trunc(after.unitPriceE4)));
        where.push(sql`(ps.unit_price_e4 > ${u} OR (ps.unit_price_e4 = ${u} AND ps.price_id > ${sql.raw(String(Math.trunc(after.id)))}))`);
      }
      for (const key of seg.key) {
        arms.push(sql`SELECT * FROM (SELECT ps.price_id AS id, ${sql.raw(String(seg.tier))} AS tier, ${sql.raw(String(notCurrent))} AS nc,
          ps.unit_price_e4 AS u FROM price_search ps WHERE ${key} AND ${sql.join(where, sql` AND `)}
          ORDER BY ps.unit_price_e4, ps.price_id LIMIT ${sql.raw(String(n))})`);
      }
    }
  }
  if (!arms.length) return { ids: [], nextCursor: null };
  const rows = await db.all<{ id: number; tier: number; nc: number; u: number }>(
    sql`SELECT id, tier, nc, u FROM (${sql.join(arms, sql` UNION `)}) ORDER BY tier, nc, u, id LIMIT ${sql.raw(String(n))}`,
  );
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

type FacetRow = { batchId: string; batchName: string; level: string; category: string; n: number };

/**
 * Counts of the matched set by batch, category and level, and their total. When the set is a union
 * of whole names (or whole firms) and only batch, level or category narrow it, the counts come from
 * search_facets (kept by triggers), a few rows per name; otherwise the matched rows are counted.
 */
export async function countFacets(
  db: Db,
  plan: SearchPlan,
  filters: SearchFilters,
  narrow: { batch?: string; level?: string; category?: string; onlyThese: boolean },
): Promise<{ total: number; facets: Facets }> {
  if (planIsEmpty(plan)) return { total: 0, facets: { batch: [], category: [], level: [] } };
  let rows: FacetRow[];
  const single = (plan.names.length > 0) !== (plan.firms.length > 0);
  if (narrow.onlyThese && single && !plan.products && !plan.refine.length) {
    const termIds = plan.names.length ? plan.names.map((x) => x.id) : plan.firms.map((x) => x.id);
    const where = [sql`f.term_id IN (${ids(termIds)})`];
    if (narrow.batch !== undefined) where.push(sql`f.batch_id = ${narrow.batch}`);
    if (narrow.level !== undefined) where.push(sql`b.level = ${narrow.level}`);
    if (narrow.category !== undefined) where.push(sql`f.category = ${narrow.category}`);
    rows = await db.all<FacetRow>(sql`SELECT f.batch_id AS batchId, b.name AS batchName, b.level AS level, f.category AS category,
        SUM(f.n) AS n FROM search_facets f JOIN batches b ON b.id = f.batch_id
      WHERE ${sql.join(where, sql` AND `)} GROUP BY f.batch_id, f.category HAVING SUM(f.n) > 0`);
  } else {
    rows = await db.all<FacetRow>(sql`SELECT ps.batch_id AS batchId, b.name AS batchName, b.level AS level, ps.category AS category,
        count(*) AS n FROM price_search ps JOIN batches b ON b.id = ps.batch_id
      WHERE ${sql.join([planCondition(plan), ...filters], sql` AND `)} GROUP BY ps.batch_id, ps.category`);
  }
  return { total: rows.reduce((s, r) => s + r.n, 0), facets: facetsOf(rows) };
}

function facetsOf(rows: FacetRow[]): Facets {
  const batch = new Map<string, { id: string; name: string; count: number }>();
  const category = new Map<string, number>();
  const level = new Map<string, number>();
  for (const r of rows) {
    const b = batch.get(r.batchId) ?? { id: r.batchId, name: r.batchName, count: 0 };
    b.count += r.n;
    batch.set(r.batchId, b);
    category.set(r.category, (category.get(r.category) ?? 0) + r.n);
    level.set(r.level, (level.get(r.level) ?? 0) + r.n);
  }
  const byCount = <T extends { count: number }>(a: T, b: T, ka: string, kb: string) => b.count - a.count || (ka < kb ? -1 : ka > kb ? 1 : 0);
  return {
    batch: [...batch.values()].sort((a, b) => byCount(a, b, a.id, b.id)),
    category: [...category].map(([c, count]) => ({ category: c, count })).sort((a, b) => byCount(a, b, a.category, b.category)),
    level: [...level].map(([l, count]) => ({ level: l, count })).sort((a, b) => byCount(a, b, a.level, b.level)),
  };
}
