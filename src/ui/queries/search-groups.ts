import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { readRows } from "../../db/read-rows";
import { basisPointsToPercent, storedE4ToYuan } from "../../domain";
import { PRICE_COLUMNS, PRICE_FROM, regionNamesOf, toPriceView, type PriceSqlRow, type PriceView } from "../../services/price-view";
import { readAsOf } from "../../services/price-filter";
import { priceFilters, whereSql, type PriceQuery } from "../../services/prices";
import { didYouMean } from "../../services/search-suggest";

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
export const ITEMS_PER_GROUP = 30;

/** The smallest unit a unit price is per, or the package when its size is unknown (as format.unitName). */
const UNIT = sql`CASE WHEN pr.package_qty > 0 THEN COALESCE(pr.smallest_unit, '最小单位') ELSE COALESCE(pr.package_unit, '包装') END`;
const GROUP_KEY = sql`pr.generic_name, COALESCE(pr.dosage_form, ''), COALESCE(pr.spec, ''), ${UNIT}`;

async function conditions(db: Db, q: GroupQuery): Promise<SQL[]> {
  // Place and state are the services' own filters (province=, include=ended; the state rule of
  // src/domain/state.ts on asOf): the pages have no rule of their own.
  const where = await priceFilters(db, { ...q, include: q.includeEnded ? "ended" : undefined });
  if (q.dosageForm) where.push(sql`pr.dosage_form = ${q.dosageForm}`);
  if (q.spec) where.push(sql`replace(lower(pr.spec), ' ', '') = ${q.spec.toLowerCase().replace(/\s+/g, "")}`);
  if (!q.synthetic) where.push(sql`p.synthetic = 0`);
  return where;
}

function orderBy(q: GroupQuery): SQL {
  if (q.sort === "unitPrice") return sql`minUnit ASC, genericName, dosageForm, spec`;
  if (q.sort === "-discount") return sql`COALESCE(bestDiscount, -1000000000) DESC, genericName, dosageForm, spec`;
  // Relevance: the name typed (or its 拼音码) first, then shorter names (the plain form before its variants).
  const typed = (q.q ?? "").trim();
  return sql`(genericName = ${typed} OR lower(initials) = ${typed.toLowerCase()}) DESC, length(genericName), genericName, dosageForm, spec, unit`;
}

type GroupRow = {
  genericName: string;
  dosageForm: string;
  spec: string;
  unit: string;
  category: string;
  initials: string;
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
  ceiling: sql`COALESCE(p.ceiling_discount_bp, CASE WHEN p.reference_kind = 'ceiling' THEN p.discount_bp END)`,
  pre_vbp: sql`COALESCE(p.pre_vbp_discount_bp, CASE WHEN p.reference_kind = 'pre_vbp' THEN p.discount_bp END)`,
};

/**
 * Search results grouped by generic name, dosage form and strength: one row per group with its
 * lowest and highest unit price, firms and best reduction, and the group's prices (cheapest first)
 * for the row to expand into. Paged by number (groups are few enough for OFFSET).
 */
export async function searchGroups(db: Db, q: GroupQuery): Promise<GroupPage> {
  const where = await conditions(db, q);
  const from = sql`${PRICE_FROM} ${whereSql(where)}`;
  const [rows, [counted]] = await Promise.all([
    readRows<GroupRow>(
      db,
      sql`SELECT pr.generic_name AS genericName, COALESCE(pr.dosage_form, '') AS dosageForm, COALESCE(pr.spec, '') AS spec, ${UNIT} AS unit,
        min(pr.category) AS category, min(pr.name_initials) AS initials, min(p.unit_price_e4) AS minUnit, max(p.unit_price_e4) AS maxUnit,
        count(DISTINCT COALESCE(pr.manufacturer, '')) AS firms, count(*) AS prices, max(p.discount_bp) AS bestDiscount,
        max(${BASELINE_BP.ceiling}) AS bestCeiling, max(${BASELINE_BP.pre_vbp}) AS bestPreVbp, max(p.synthetic) AS synthetic
      FROM ${from} GROUP BY ${GROUP_KEY} ORDER BY ${orderBy(q)} LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
    ),
    readRows<{ total: number; anySynthetic: number | null }>(
      db,
      sql`SELECT count(*) AS total, max(s) AS anySynthetic FROM (SELECT max(p.synthetic) AS s FROM ${from} GROUP BY ${GROUP_KEY})`,
    ),
  ]);
  const total = counted?.total ?? 0;
  const suggestions = total === 0 && q.q ? await didYouMean(db, q.q) : [];
  if (!rows.length) return { groups: [], total, didYouMean: suggestions, anySynthetic: Boolean(counted?.anySynthetic) };

  const keys = sql.join(
    rows.map((r) => sql`(${r.genericName}, ${r.dosageForm}, ${r.spec}, ${r.unit})`),
    sql`, `,
  );
  const itemRows = await readRows<PriceSqlRow & { k: string }>(
    db,
    sql`SELECT * FROM (SELECT ${PRICE_COLUMNS}, ${UNIT} AS unitKey,
        row_number() OVER (PARTITION BY ${GROUP_KEY} ORDER BY p.unit_price_e4, p.id) AS n
      FROM ${PRICE_FROM} ${whereSql([...where, sql`(${GROUP_KEY}) IN (VALUES ${keys})`])})
    WHERE n <= ${ITEMS_PER_GROUP} ORDER BY unitPriceE4, id`,
  );
  const names = await regionNamesOf(db, itemRows);
  const asOf = readAsOf(q.asOf);
  const byKey = new Map<string, PriceView[]>();
  for (const r of itemRows) {
    const key = groupKey(r.genericName, r.dosageForm ?? "", r.spec ?? "", (r as unknown as { unitKey: string }).unitKey);
    const list = byKey.get(key) ?? [];
    list.push(toPriceView(r, names, asOf));
    byKey.set(key, list);
  }
  return {
    total,
    didYouMean: suggestions,
    anySynthetic: Boolean(counted?.anySynthetic),
    groups: rows.map((r) => ({
      genericName: r.genericName,
      dosageForm: r.dosageForm || null,
      spec: r.spec || null,
      unit: r.unit,
      category: r.category,
      minUnitPrice: storedE4ToYuan(r.minUnit),
      maxUnitPrice: storedE4ToYuan(r.maxUnit),
      firms: r.firms,
      prices: r.prices,
      bestDiscountPct: percentOrNull(r.bestDiscount),
      bestCeilingDiscountPct: percentOrNull(r.bestCeiling),
      bestPreVbpDiscountPct: percentOrNull(r.bestPreVbp),
      synthetic: Boolean(r.synthetic),
      items: byKey.get(groupKey(r.genericName, r.dosageForm, r.spec, r.unit)) ?? [],
    })),
  };
}

const groupKey = (...parts: string[]) => JSON.stringify(parts);
const percentOrNull = (bp: number | null) => (bp === null ? null : basisPointsToPercent(bp));

/** Dosage forms present in the data, for the 剂型 filter (a few dozen at most). */
export async function dosageForms(db: Db): Promise<string[]> {
  const rows = await readRows<{ f: string }>(db, sql`SELECT DISTINCT dosage_form AS f FROM products WHERE dosage_form IS NOT NULL AND dosage_form <> '' ORDER BY f LIMIT 200`);
  return rows.map((r) => r.f);
}
