import { getTableName, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import type { PriceRow, ProductAnswerRow, SqlRow } from "../db/rows";
import { batches, type Category, type Level, prices, products, type ReferenceKind, regions } from "../db/schema";
import { columnNames, trustedSql } from "../db/trusted-sql";
import { basisPointsToPercent, storedE4ToYuan, storedPriceFigures } from "../domain";
import { priceState, todayInChina } from "../domain/state";
import { normalizeStrength } from "../domain/strength";
import { textLiteral } from "./search-sql";

// Column and table names from the schema, for the SQL text below (read as text by readRows and by
// the tombstones' JSON): a renamed column fails typecheck.
const P = columnNames(prices);
const PR = columnNames(products);
const B = columnNames(batches);
const [PRICES, PRODUCTS, BATCHES] = [prices, products, batches].map(getTableName);

/**
 * The renewal continuing price p, as a range on prices_renews_idx. Written as a range, not `=`: once
 * ANALYZE (or PRAGMA optimize) has seen that almost every price renews none, SQLite rates an
 * equality on the column as matching every row and scans all prices for each one answered (4 s
 * for a page of 50 at 100,000 prices, minutes at a million); a range it still reads from the index.
 */
const RENEWED_BY_SQL = `(SELECT min(r.${P.id}) FROM ${PRICES} r WHERE r.${P.renewsPriceId} >= p.${P.id} AND r.${P.renewsPriceId} <= p.${P.id})`;

/** Columns every price answer needs; joined once so a list costs one query. Text for readRows, a template for drizzle. */
export const PRICE_COLUMNS_SQL = `
  p.${P.id} AS id, p.${P.chosenPriceE4} AS chosenPriceE4, p.${P.referencePriceE4} AS referencePriceE4,
  p.${P.referenceKind} AS referenceKind, p.${P.unitPriceE4} AS unitPriceE4, p.${P.discountBp} AS discountBp,
  p.${P.supplyRegions} AS supplyRegions, p.${P.agreedVolume} AS agreedVolume,
  COALESCE(p.${P.cycleStart}, b.${B.cycleStart}) AS cycleStart, COALESCE(p.${P.cycleEnd}, b.${B.cycleEnd}) AS cycleEnd,
  p.${P.source} AS source, p.${P.synthetic} AS synthetic,
  p.${P.ceilingPriceE4} AS ceilingPriceE4, p.${P.ceilingUnitPriceE4} AS ceilingUnitPriceE4, p.${P.ceilingDiscountBp} AS ceilingDiscountBp,
  p.${P.preVbpPriceE4} AS preVbpPriceE4, p.${P.preVbpUnitPriceE4} AS preVbpUnitPriceE4, p.${P.preVbpDiscountBp} AS preVbpDiscountBp,
  p.${P.renewsPriceId} AS renews, ${RENEWED_BY_SQL} AS renewedBy,
  pr.${PR.brandNames} AS brandNames, pr.${PR.originator} AS originator, pr.${PR.manufacturerShort} AS manufacturerShort,
  b.${B.id} AS batchId, b.${B.name} AS batchName, b.${B.level} AS batchLevel, b.${B.category} AS batchCategory, b.${B.announced} AS batchAnnounced,
  pr.${PR.id} AS productId, pr.${PR.genericName} AS genericName, pr.${PR.genericNameEn} AS genericNameEn,
  pr.${PR.dosageForm} AS dosageForm, pr.${PR.spec} AS spec, pr.${PR.packageText} AS packageText, pr.${PR.packageQty} AS packageQty,
  pr.${PR.packageUnit} AS packageUnit, pr.${PR.smallestUnit} AS smallestUnit, pr.${PR.manufacturer} AS manufacturer,
  pr.${PR.nhsaCode} AS nhsaCode, pr.${PR.approvalNo} AS approvalNo, pr.${PR.category} AS category`;
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

/** The names PRICE_COLUMNS gives its columns, in order. */
export const PRICE_COLUMN_NAMES: ReadonlyArray<keyof PriceSqlRow & string> = PRICE_COLUMN_PAIRS.map(([, name]) => name as keyof PriceSqlRow & string);

/** The columns of a price answer over PRICE_FROM as one JSON object: what a tombstone keeps of the price. */
export const PRICE_JSON = trustedSql(`json_object(${PRICE_COLUMN_PAIRS.map(([expr, name]) => `'${name}', ${expr}`).join(", ")})`);

/** The same columns read back from such an object in `json` (a column of JSON text), named as PRICE_COLUMNS names them. */
export const priceColumnsFromJson = (json: string) =>
  trustedSql(PRICE_COLUMN_PAIRS.map(([, name]) => `json_extract(${json}, '$.${name}') AS ${name}`).join(", "));

export const PRICE_FROM_SQL = `${PRICES} p JOIN ${PRODUCTS} pr ON pr.${PR.id} = p.${P.productId} JOIN ${BATCHES} b ON b.${B.id} = p.${P.batchId}`;
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
const R = columnNames(regions);

export async function regionNamesOf(db: Db, rows: ReadonlyArray<{ supplyRegions: string }>): Promise<Map<string, string>> {
  const codes = new Set<string>();
  for (const r of rows) if (r.supplyRegions) for (const c of r.supplyRegions.split(",")) codes.add(c);
  if (!codes.size) return new Map();
  // Inlined: a page may name more codes than D1 binds in one query (100).
  const found = await readRows<{ code: string; name: string }>(
    db,
    `SELECT ${R.code} AS code, ${R.name} AS name FROM ${getTableName(regions)} WHERE ${R.code} IN (${[...codes].map(textLiteral).join(",")})`,
  );
  return new Map(found.map((r) => [r.code, r.name]));
}

export function joinSql(parts: SQL[], separator: SQL): SQL {
  return sql.join(parts, separator);
}
