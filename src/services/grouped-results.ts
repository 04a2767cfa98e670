import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { batches, priceSearch, prices, products, searchEquivalents, searchTerms } from "../db/schema";
import { bareColumns, renderedAlias } from "../db/trusted-sql";
import { basisPointsToPercent, storedE4ToYuan } from "../domain";
import { readAsOf } from "./price-filter";
import { PRICE_COLUMNS, type PriceSqlRow, type PriceView, regionNamesOf, toPriceView } from "./price-view";
import { type PriceQuery, priceMatch, whereSql } from "./prices";
import { didYouMean } from "./search-suggest";

// The statements' table aliases, through the schema (a renamed column fails typecheck); `g` is a
// subquery of this file's own columns. PRICE_COLUMNS (price-view.ts) reads p, pr and b too.
const ps = renderedAlias(priceSearch, "ps");
const p = renderedAlias(prices, "p");
const pr = renderedAlias(products, "pr");
const b = renderedAlias(batches, "b");
const e = renderedAlias(searchEquivalents, "e");
const t = renderedAlias(searchTerms, "t");
const P = bareColumns(products);

export const GROUP_SORTS = ["relevance", "unitPrice", "-discount"] as const;
export type GroupSort = (typeof GROUP_SORTS)[number];

export type GroupQuery = Omit<PriceQuery, "sort" | "limit" | "cursor" | "state" | "include"> & {
  dosageForm?: string;
  spec?: string;
  /** Ended and upcoming prices too (include=ended); by default only those in force or of unknown cycle on asOf. */
  includeEnded: boolean;
  synthetic: boolean;
  sort: GroupSort;
  page: number;
  pageSize: number;
};

/** One generic name + dosage form + strength (and the unit its prices are per): one row of results. */
export type PriceGroup = {
  genericName: string;
  dosageForm: string | null;
  spec: string | null;
  unit: string;
  category: string;
  minUnitPrice: number;
  maxUnitPrice: number;
  firms: number;
  prices: number;
  bestDiscountPct: number | null;
  /** The best reduction against each baseline (最高有效申报价, 集采前价格), null when no price of the group has it. */
  bestCeilingDiscountPct: number | null;
  bestPreVbpDiscountPct: number | null;
  synthetic: boolean;
  items: PriceView[];
};

export type GroupPage = { groups: PriceGroup[]; total: number; didYouMean: string[]; anySynthetic: boolean };

/** Prices per group read for the expanded rows; a group with more links to a search of its own. */
export const ITEMS_PER_GROUP = 12;

/** The smallest unit a unit price is per, or the package when its size is unknown (as src/domain/units.ts unitName). */
const UNIT = sql`CASE WHEN ${pr.packageQty} > 0 THEN COALESCE(${pr.smallestUnit}, '最小单位') ELSE COALESCE(${pr.packageUnit}, '包装') END`;
const FROM = sql`${priceSearch} ${ps} JOIN ${products} ${pr} ON ${pr.id} = ${ps.productId} JOIN ${prices} ${p} ON ${p.id} = ${ps.priceId}`;
/** The equivalence key's parts (search_equivalents.key = json_array(generic name, dosage form, spec)). */
const E_NAME = sql`json_extract(${e.key}, '$[0]')`;
const E_FORM = sql`COALESCE(json_extract(${e.key}, '$[1]'), '')`;
const E_SPEC = sql`COALESCE(json_extract(${e.key}, '$[2]'), '')`;

/**
 * The matched prices as conditions on price_search (ps, with its batch b): the services' own match
 * (text, place, and state by the rule of src/domain/state.ts on asOf; include=ended), so the pages
 * have no rule of their own. Real data only unless synthetic prices are asked for: a demo price is
 * in a synthetic batch (the generator and the importer keep them together).
 */
async function conditions(db: Db, q: GroupQuery): Promise<SQL[]> {
  const { condition } = await priceMatch(db, { ...q, include: q.includeEnded ? "ended" : undefined });
  const where = [condition];
  if (q.dosageForm) where.push(sql`${E_FORM} = ${q.dosageForm}`);
  if (q.spec) where.push(sql`replace(lower(${E_SPEC}), ' ', '') = ${q.spec.toLowerCase().replace(/\s+/g, "")}`);
  if (!q.synthetic) where.push(sql`${b.synthetic} = 0`);
  return where;
}

function orderBy(q: GroupQuery): SQL {
  if (q.sort === "unitPrice") return sql`minUnit ASC, genericName, dosageForm, spec`;
  if (q.sort === "-discount") return sql`COALESCE(bestDiscount, -1000000000) DESC, genericName, dosageForm, spec`;
  // Relevance: the name typed (or its 拼音码) first, then shorter names (the plain form before its variants).
  const typed = (q.q ?? "").trim();
  return sql`(genericName = ${typed} OR lower(initials) = ${typed.toLowerCase()}) DESC, length(genericName), genericName, dosageForm, spec`;
}

type GroupRow = { equivId: number; total: number; anySynthetic: number | null };

type GroupStats = {
  equivId: number;
  genericName: string;
  dosageForm: string | null;
  spec: string | null;
  unit: string;
  category: string;
  minUnit: number;
  maxUnit: number;
  firms: number;
  prices: number;
  bestDiscount: number | null;
  bestCeiling: number | null;
  bestPreVbp: number | null;
  synthetic: number;
};

/** A price's reduction against one baseline: its own column, or its primary reduction when that baseline is its only reference. */
const BASELINE_BP = {
  ceiling: sql`COALESCE(${p.ceilingDiscountBp}, CASE WHEN ${p.referenceKind} = 'ceiling' THEN ${p.discountBp} END)`,
  pre_vbp: sql`COALESCE(${p.preVbpDiscountBp}, CASE WHEN ${p.referenceKind} = 'pre_vbp' THEN ${p.discountBp} END)`,
};

/**
 * Search results grouped by generic name, dosage form and strength: one row per group with its
 * lowest and highest unit price, firms and best reductions, and the group's prices (cheapest first)
 * for the row to expand into. Paged by number (groups are few enough for OFFSET).
 *
 * Two steps, so a page without a query does not read every price's row: the matched prices are
 * grouped on price_search alone by their equivalence class (an integer; a window over the groups
 * gives their total), then only the page's groups are read in full, by price_search_equiv_rank_idx.
 * A group whose prices are per different units (some packages of unknown size) shows one row per unit.
 */
export async function searchGroups(db: Db, q: GroupQuery): Promise<GroupPage> {
  const where = await conditions(db, q);
  const grouped = sql`SELECT ${ps.equivId} AS equivId, min(${ps.nameId}) AS nameId, min(${ps.unitPriceE4}) AS minUnit,
      max(${ps.discountBp}) AS bestDiscount, count(*) OVER () AS total, max(max(${b.synthetic})) OVER () AS anySynthetic
    FROM ${priceSearch} ${ps} JOIN ${batches} ${b} ON ${b.id} = ${ps.batchId}${q.dosageForm || q.spec ? sql` JOIN ${searchEquivalents} ${e} ON ${e.id} = ${ps.equivId}` : sql``}
    ${whereSql(where)} GROUP BY ${ps.equivId}`;
  const rows = await readRows<GroupRow>(
    db,
    sql`SELECT g.equivId, g.total, g.anySynthetic, ${E_NAME} AS genericName, ${E_FORM} AS dosageForm, ${E_SPEC} AS spec, ${t.initials} AS initials,
        g.minUnit AS minUnit, g.bestDiscount AS bestDiscount
      FROM (${grouped}) g JOIN ${searchEquivalents} ${e} ON ${e.id} = g.equivId LEFT JOIN ${searchTerms} ${t} ON ${t.id} = g.nameId
      ORDER BY ${orderBy(q)} LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  let total = rows[0]?.total ?? 0;
  let anySynthetic = Boolean(rows[0]?.anySynthetic);
  if (!rows.length && q.page > 1) {
    // A page past the last: the total still comes from the matched set.
    const [counted] = await readRows<{ total: number; anySynthetic: number | null }>(
      db,
      sql`SELECT count(*) AS total, max(anySynthetic) AS anySynthetic FROM (${grouped})`,
    );
    total = counted?.total ?? 0;
    anySynthetic = Boolean(counted?.anySynthetic);
  }
  const suggestions = total === 0 && q.q ? await didYouMean(db, q.q) : [];
  if (!rows.length) return { groups: [], total, didYouMean: suggestions, anySynthetic };

  const ids = sql.join(
    rows.map((r) => sql`${r.equivId}`),
    sql`, `,
  );
  const pageWhere = whereSql([...where, sql`${ps.equivId} IN (${ids})`]);
  const joinE = q.dosageForm || q.spec ? sql` JOIN ${searchEquivalents} ${e} ON ${e.id} = ${ps.equivId}` : sql``;
  const pageFrom = sql`${FROM} JOIN ${batches} ${b} ON ${b.id} = ${ps.batchId}${joinE}`;
  const narrowFrom = sql`${priceSearch} ${ps} JOIN ${products} ${pr} ON ${pr.id} = ${ps.productId} JOIN ${batches} ${b} ON ${b.id} = ${ps.batchId}${joinE}`;
  const [stats, itemRows] = await Promise.all([
    readRows<GroupStats>(
      db,
      sql`SELECT ${ps.equivId} AS equivId, ${UNIT} AS unit, min(${pr.genericName}) AS genericName, min(${pr.dosageForm}) AS dosageForm, min(${pr.spec}) AS spec,
          min(${pr.category}) AS category, min(${ps.unitPriceE4}) AS minUnit, max(${ps.unitPriceE4}) AS maxUnit,
          count(DISTINCT COALESCE(${pr.manufacturer}, '')) AS firms, count(*) AS prices, max(${ps.discountBp}) AS bestDiscount,
          max(${BASELINE_BP.ceiling}) AS bestCeiling, max(${BASELINE_BP.pre_vbp}) AS bestPreVbp, max(${p.synthetic}) AS synthetic
        FROM ${pageFrom} ${pageWhere} GROUP BY ${ps.equivId}, unit ORDER BY minUnit`,
    ),
    // The cheapest prices of each group by a narrow read first; the full columns only for those.
    readRows<PriceSqlRow & { equivId: number; unitKey: string }>(
      db,
      sql`SELECT ${PRICE_COLUMNS}, ${ps.equivId} AS equivId, ${UNIT} AS unitKey FROM ${FROM} JOIN ${batches} ${b} ON ${b.id} = ${p.batchId}
        WHERE ${p.id} IN (SELECT id FROM (SELECT ${ps.priceId} AS id,
            row_number() OVER (PARTITION BY ${ps.equivId}, ${UNIT} ORDER BY ${ps.unitPriceE4}, ${ps.priceId}) AS n
          FROM ${narrowFrom} ${pageWhere}) WHERE n <= ${ITEMS_PER_GROUP})
        ORDER BY ${p.unitPriceE4}, ${p.id}`,
    ),
  ]);
  const names = await regionNamesOf(db, itemRows);
  const asOf = readAsOf(q.asOf);
  const byKey = new Map<string, PriceView[]>();
  for (const r of itemRows) {
    const key = groupKey(r.equivId, r.unitKey);
    const list = byKey.get(key) ?? [];
    list.push(toPriceView(r, names, asOf));
    byKey.set(key, list);
  }
  // In the page's order; a class split by unit keeps its rows together, cheapest unit first.
  const groups = rows.flatMap((row) =>
    stats
      .filter((st) => st.equivId === row.equivId)
      .map((st) => ({
        genericName: st.genericName,
        dosageForm: st.dosageForm || null,
        spec: st.spec || null,
        unit: st.unit,
        category: st.category,
        minUnitPrice: storedE4ToYuan(st.minUnit),
        maxUnitPrice: storedE4ToYuan(st.maxUnit),
        firms: st.firms,
        prices: st.prices,
        bestDiscountPct: percentOrNull(st.bestDiscount),
        bestCeilingDiscountPct: percentOrNull(st.bestCeiling),
        bestPreVbpDiscountPct: percentOrNull(st.bestPreVbp),
        synthetic: Boolean(st.synthetic),
        items: byKey.get(groupKey(st.equivId, st.unit)) ?? [],
      })),
  );
  return { total, didYouMean: suggestions, anySynthetic, groups };
}

const groupKey = (...parts: Array<string | number>) => JSON.stringify(parts);
const percentOrNull = (bp: number | null) => (bp === null ? null : basisPointsToPercent(bp));

/** Dosage forms present in the data, for the 剂型 filter (a few dozen at most). */
export async function dosageForms(db: Db): Promise<string[]> {
  const rows = await readRows<{ f: string }>(
    db,
    sql`SELECT DISTINCT ${P.dosageForm} AS f FROM ${products} WHERE ${P.dosageForm} IS NOT NULL AND ${P.dosageForm} <> '' ORDER BY f LIMIT 200`,
  );
  return rows.map((r) => r.f);
}
