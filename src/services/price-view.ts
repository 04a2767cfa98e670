import { readRows } from "../db/read-rows";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { storedE4ToYuan, storedPriceFigures } from "../domain";
import { textLiteral } from "./search-sql";
import type { Category, Level, ReferenceKind } from "../db/schema";

/** Columns every price answer needs; joined once so a list costs one query. Text for readRows, a template for drizzle. */
export const PRICE_COLUMNS_SQL = `
  p.id AS id, p.chosen_price_e4 AS chosenPriceE4, p.reference_price_e4 AS referencePriceE4,
  p.reference_kind AS referenceKind, p.unit_price_e4 AS unitPriceE4, p.discount_bp AS discountBp,
  p.supply_regions AS supplyRegions, p.agreed_volume AS agreedVolume,
  COALESCE(p.cycle_start, b.cycle_start) AS cycleStart, COALESCE(p.cycle_end, b.cycle_end) AS cycleEnd,
  p.status AS status, p.source AS source, p.synthetic AS synthetic,
  b.id AS batchId, b.name AS batchName, b.level AS batchLevel, b.category AS batchCategory, b.announced AS batchAnnounced,
  pr.id AS productId, pr.generic_name AS genericName, pr.generic_name_en AS genericNameEn,
  pr.dosage_form AS dosageForm, pr.spec AS spec, pr.package_text AS packageText, pr.package_qty AS packageQty,
  pr.package_unit AS packageUnit, pr.smallest_unit AS smallestUnit, pr.manufacturer AS manufacturer,
  pr.nhsa_code AS nhsaCode, pr.approval_no AS approvalNo, pr.category AS category`;
export const PRICE_COLUMNS = sql.raw(PRICE_COLUMNS_SQL);

export const PRICE_FROM_SQL = "prices p JOIN products pr ON pr.id = p.product_id JOIN batches b ON b.id = p.batch_id";
export const PRICE_FROM = sql.raw(PRICE_FROM_SQL);

export type PriceSqlRow = {
  id: number;
  chosenPriceE4: number;
  referencePriceE4: number | null;
  referenceKind: ReferenceKind | null;
  unitPriceE4: number;
  discountBp: number | null;
  supplyRegions: string;
  agreedVolume: number | null;
  cycleStart: string | null;
  cycleEnd: string | null;
  status: string;
  source: string | null;
  synthetic: number | boolean;
  batchId: string;
  batchName: string;
  batchLevel: Level;
  batchCategory: Category;
  batchAnnounced: string | null;
  productId: number;
  genericName: string;
  genericNameEn: string | null;
  dosageForm: string | null;
  spec: string | null;
  packageText: string | null;
  packageQty: number | null;
  packageUnit: string | null;
  smallestUnit: string | null;
  manufacturer: string | null;
  nhsaCode: string | null;
  approvalNo: string | null;
  category: Category;
};

export type RegionRef = { code: string; name: string };

export type PriceView = ReturnType<typeof toPriceView>;

/** Turns a joined row into the contract's price item; every figure comes from src/domain. */
export function toPriceView(row: PriceSqlRow, regionNames: ReadonlyMap<string, string>) {
  const figures = storedPriceFigures(row);
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
    },
    chosenPrice: storedE4ToYuan(row.chosenPriceE4),
    unitPrice: figures.unitPrice,
    referencePrice: row.referencePriceE4 === null ? null : storedE4ToYuan(row.referencePriceE4),
    referenceKind: row.referenceKind,
    referenceUnitPrice: figures.referenceUnitPrice,
    discountPct: figures.discountPct,
    aboveReference: figures.aboveReference,
    supplyRegions: codes.map((code): RegionRef => ({ code, name: regionNames.get(code) ?? code })),
    nationwide: codes.length === 0,
    agreedVolume: row.agreedVolume,
    cycleStart: row.cycleStart,
    cycleEnd: row.cycleEnd,
    status: row.status,
    source: row.source,
    synthetic: Boolean(row.synthetic),
  };
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
