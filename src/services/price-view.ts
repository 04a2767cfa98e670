import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import type { PriceRow, ProductAnswerRow, SqlRow } from "../db/rows";
import type { Category, Level, ReferenceKind } from "../db/schema";
import { trustedSql } from "../db/trusted-sql";
import { basisPointsToPercent, storedE4ToYuan, storedPriceFigures } from "../domain";
import { priceState, todayInChina } from "../domain/state";
import { normalizeStrength } from "../domain/strength";
import { textLiteral } from "./search-sql";

/**
 * The renewal continuing price p, as a range on prices_renews_idx. Written as a range, not `=`: once
 * ANALYZE (or PRAGMA optimize) has seen that almost every price renews none, SQLite rates an
 * equality on the column as matching every row and scans all prices for each one answered (4 s
 * for a page of 50 at 100,000 prices, minutes at a million); a range it still reads from the index.
 */
const RENEWED_BY_SQL = "(SELECT min(r.id) FROM prices r WHERE r.renews_price_id >= p.id AND r.renews_price_id <= p.id)";

/** Columns every price answer needs; joined once so a list costs one query. Text for readRows, a template for drizzle. */
export const PRICE_COLUMNS_SQL = `
  p.id AS id, p.chosen_price_e4 AS chosenPriceE4, p.reference_price_e4 AS referencePriceE4,
  p.reference_kind AS referenceKind, p.unit_price_e4 AS unitPriceE4, p.discount_bp AS discountBp,
  p.supply_regions AS supplyRegions, p.agreed_volume AS agreedVolume,
  COALESCE(p.cycle_start, b.cycle_start) AS cycleStart, COALESCE(p.cycle_end, b.cycle_end) AS cycleEnd,
  p.source AS source, p.synthetic AS synthetic,
  p.ceiling_price_e4 AS ceilingPriceE4, p.ceiling_unit_price_e4 AS ceilingUnitPriceE4, p.ceiling_discount_bp AS ceilingDiscountBp,
  p.pre_vbp_price_e4 AS preVbpPriceE4, p.pre_vbp_unit_price_e4 AS preVbpUnitPriceE4, p.pre_vbp_discount_bp AS preVbpDiscountBp,
  p.renews_price_id AS renews, ${RENEWED_BY_SQL} AS renewedBy,
  pr.brand_names AS brandNames, pr.originator AS originator, pr.manufacturer_short AS manufacturerShort,
  b.id AS batchId, b.name AS batchName, b.level AS batchLevel, b.category AS batchCategory, b.announced AS batchAnnounced,
  pr.id AS productId, pr.generic_name AS genericName, pr.generic_name_en AS genericNameEn,
  pr.dosage_form AS dosageForm, pr.spec AS spec, pr.package_text AS packageText, pr.package_qty AS packageQty,
  pr.package_unit AS packageUnit, pr.smallest_unit AS smallestUnit, pr.manufacturer AS manufacturer,
  pr.nhsa_code AS nhsaCode, pr.approval_no AS approvalNo, pr.category AS category`;
export const PRICE_COLUMNS = trustedSql(PRICE_COLUMNS_SQL);

/** PRICE_COLUMNS_SQL as [expression, name] pairs (split at the commas outside parentheses). */
const PRICE_COLUMN_PAIRS: ReadonlyArray<readonly [string, string]> = (() => {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < PRICE_COLUMNS_SQL.length; i++) {
    const c = PRICE_COLUMNS_SQL[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(PRICE_COLUMNS_SQL.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(PRICE_COLUMNS_SQL.slice(start));
  return parts.map((part) => {
    const m = /^([\s\S]+)\sAS\s+(\w+)$/.exec(part.trim());
    if (!m) throw new Error(`price column without a name: ${part}`);
    return [m[1]!, m[2]!] as const;
  });
})();

/** The columns of a price answer over PRICE_FROM as one JSON object: what a tombstone keeps of the price. */
export const PRICE_JSON = trustedSql(`json_object(${PRICE_COLUMN_PAIRS.map(([expr, name]) => `'${name}', ${expr}`).join(", ")})`);

/** The same columns read back from such an object in `json` (a column of JSON text), named as PRICE_COLUMNS names them. */
export const priceColumnsFromJson = (json: string) =>
  trustedSql(PRICE_COLUMN_PAIRS.map(([, name]) => `json_extract(${json}, '$.${name}') AS ${name}`).join(", "));

export const PRICE_FROM_SQL = "prices p JOIN products pr ON pr.id = p.product_id JOIN batches b ON b.id = p.batch_id";
export const PRICE_FROM = trustedSql(PRICE_FROM_SQL);

/** A row of PRICE_COLUMNS: the price's columns, its product's answer columns and its batch's. */
export type PriceSqlRow = SqlRow<
  Pick<
    PriceRow,
    | "id"
    | "chosenPriceE4"
    | "referencePriceE4"
    | "referenceKind"
    | "unitPriceE4"
    | "discountBp"
    | "supplyRegions"
    | "agreedVolume"
    | "cycleStart"
    | "cycleEnd"
    | "source"
    | "synthetic"
    | "ceilingPriceE4"
    | "ceilingUnitPriceE4"
    | "ceilingDiscountBp"
    | "preVbpPriceE4"
    | "preVbpUnitPriceE4"
    | "preVbpDiscountBp"
  >
> &
  // The price's synthetic flag is the one an answer shows.
  Omit<ProductAnswerRow, "synthetic"> & {
    renews: number | null;
    renewedBy: number | null;
    batchId: string;
    batchName: string;
    batchLevel: Level;
    batchCategory: Category;
    batchAnnounced: string | null;
    productId: number;
  };

export type RegionRef = { code: string; name: string };

export type PriceView = ReturnType<typeof toPriceView>;

/** Turns a joined row into the contract's price item; every figure comes from src/domain. */
export function toPriceView(row: PriceSqlRow, regionNames: ReadonlyMap<string, string>, asOf: string = todayInChina()) {
  const figures = storedPriceFigures(row);
  const state = priceState(row.cycleStart, row.cycleEnd, asOf);
  const codes = row.supplyRegions ? row.supplyRegions.split(",") : [];
  return {
    id: row.id,
    batch: { id: row.batchId, name: row.batchName, level: row.batchLevel, category: row.batchCategory, announced: row.batchAnnounced },
    product: {
      id: row.productId,
      category: row.category,
      genericName: row.genericName,
      genericNameEn: row.genericNameEn,
      dosageForm: row.dosageForm,
      spec: row.spec,
      packageText: row.packageText,
      packageQty: row.packageQty,
      packageUnit: row.packageUnit,
      smallestUnit: row.smallestUnit,
      manufacturer: row.manufacturer,
      nhsaCode: row.nhsaCode,
      approvalNo: row.approvalNo,
      brandNames: parseBrands(row.brandNames),
      originator: row.originator === null ? null : Boolean(row.originator),
      manufacturerShort: row.manufacturerShort,
      strengthNormalized: normalizeStrength(row.spec),
    },
    chosenPrice: storedE4ToYuan(row.chosenPriceE4),
    unitPrice: figures.unitPrice,
    referencePrice: row.referencePriceE4 === null ? null : storedE4ToYuan(row.referencePriceE4),
    referenceKind: row.referenceKind,
    referenceUnitPrice: figures.referenceUnitPrice,
    discountPct: figures.discountPct,
    aboveReference: figures.aboveReference,
    baselines: baselinesOf(row),
    renews: row.renews,
    renewedBy: row.renewedBy,
    supplyRegions: codes.map((code): RegionRef => ({ code, name: regionNames.get(code) ?? code })),
    nationwide: codes.length === 0,
    agreedVolume: row.agreedVolume,
    cycleStart: row.cycleStart,
    cycleEnd: row.cycleEnd,
    state,
    /** Kept for clients that read it before `state` existed: the same value, never a stored constant. */
    status: state as string,
    source: row.source,
    synthetic: Boolean(row.synthetic),
  };
}

/** A baseline as the contract states it: its kind, price per package and per smallest unit, and the reduction against it. */
export type Baseline = { kind: ReferenceKind; label: string; price: number; unitPrice: number | null; discountPct: number | null };

const BASELINE_LABELS: Record<ReferenceKind, string> = { ceiling: "最高有效申报价", pre_vbp: "集采前价格" };

/**
 * Both baselines a price can carry, ceiling first, each with its own reduction (stored by the
 * import from src/domain). A price imported before both were kept has only its primary reference.
 */
function baselinesOf(row: PriceSqlRow): Baseline[] {
  const out: Baseline[] = [];
  const add = (kind: ReferenceKind, price: number | null, unit: number | null, bp: number | null) => {
    if (price !== null)
      out.push({
        kind,
        label: BASELINE_LABELS[kind],
        price: storedE4ToYuan(price),
        unitPrice: unit === null ? null : storedE4ToYuan(unit),
        discountPct: bp === null ? null : basisPointsToPercent(bp),
      });
  };
  add("ceiling", row.ceilingPriceE4, row.ceilingUnitPriceE4, row.ceilingDiscountBp);
  add("pre_vbp", row.preVbpPriceE4, row.preVbpUnitPriceE4, row.preVbpDiscountBp);
  if (!out.length && row.referencePriceE4 !== null && row.referenceKind !== null) {
    const f = storedPriceFigures(row);
    out.push({
      kind: row.referenceKind,
      label: BASELINE_LABELS[row.referenceKind],
      price: storedE4ToYuan(row.referencePriceE4),
      unitPrice: f.referenceUnitPrice,
      discountPct: f.discountPct,
    });
  }
  return out;
}

export function parseBrands(json: string | null): string[] {
  if (!json) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/**
 * Names of the supply regions a list of rows mentions, and only those: a page of prices names a few
 * regions, while the whole region table has thousands of rows on real data.
 */
export async function regionNamesOf(db: Db, rows: ReadonlyArray<{ supplyRegions: string }>): Promise<Map<string, string>> {
  const codes = new Set<string>();
  for (const r of rows) if (r.supplyRegions) for (const c of r.supplyRegions.split(",")) codes.add(c);
  if (!codes.size) return new Map();
  // Inlined: a page may name more codes than D1 binds in one query (100).
  const found = await readRows<{ code: string; name: string }>(db, `SELECT code, name FROM regions WHERE code IN (${[...codes].map(textLiteral).join(",")})`);
  return new Map(found.map((r) => [r.code, r.name]));
}

export function joinSql(parts: SQL[], separator: SQL): SQL {
  return sql.join(parts, separator);
}
