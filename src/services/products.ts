import { readRows } from "../db/read-rows";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { addFractions, discountBasisPoints, e4ToYuan, fractionE4ToYuan, unitPrice, type Fraction } from "../domain";
import { notFound } from "../errors";
import type { Category } from "../db/schema";
import { PRICE_COLUMNS_SQL, PRICE_FROM_SQL, regionNamesOf, toPriceView, type PriceSqlRow } from "./price-view";

const PRODUCT_COLUMNS = sql`id, category, generic_name AS genericName, generic_name_en AS genericNameEn,
  dosage_form AS dosageForm, spec, package_text AS packageText, package_qty AS packageQty,
  package_unit AS packageUnit, smallest_unit AS smallestUnit, manufacturer, nhsa_code AS nhsaCode,
  approval_no AS approvalNo, synthetic`;

type ProductSqlRow = {
  id: number;
  category: Category;
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
  synthetic: number | boolean;
};

/** A product, its chosen prices across batches in date order, and cheaper equivalents from other firms. */
export async function getProduct(db: Db, id: number, alternativesLimit = 20) {
  const [product] = await readRows<ProductSqlRow>(db, sql`SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = ${id}`);
  if (!product) throw notFound("product", id);

  const historyRows = await readRows<PriceSqlRow>(
    db,
    `SELECT ${PRICE_COLUMNS_SQL} FROM ${PRICE_FROM_SQL} WHERE p.product_id = ?
    ORDER BY COALESCE(p.cycle_start, b.cycle_start, b.announced, '') ASC, p.id ASC`,
    [id],
  );
  const current = historyRows[historyRows.length - 1];
  // Equivalent products share an equiv_id (same generic name, form and spec; see
  // drizzle/0007_search_broad_matches.sql), whose prices price_search_equiv_rank_idx holds in
  // unit-price order: the cheapest are the first entries of one range, not a sort of them all.
  const alternativeRows = await readRows<PriceSqlRow>(
    db,
    `SELECT ${PRICE_COLUMNS_SQL} FROM ${PRICE_FROM_SQL}
    WHERE p.id IN (SELECT ps.price_id FROM price_search ps
      WHERE ps.equiv_id = (SELECT e.id FROM search_equivalents e WHERE e.key = json_array(?, ?, ?))
        AND ps.product_id <> ?
      ORDER BY ps.unit_price_e4, ps.price_id LIMIT ?)
    ORDER BY p.unit_price_e4 ASC, p.id ASC`,
    [product.genericName, product.dosageForm, product.spec, id, alternativesLimit],
  );
  const names = await regionNamesOf(db, [...historyRows, ...alternativeRows]);
  const history = historyRows.map((row, i) => {
    const view = toPriceView(row, names);
    const prev = historyRows[i - 1];
    const changeFromPrevious = prev
      ? {
          chosenPrice: e4ToYuan(BigInt(row.chosenPriceE4) - BigInt(prev.chosenPriceE4), 4),
          // A change is a reduction read the other way round: −(reduction against the previous price).
          pct: negatePct(discountBasisPoints(BigInt(row.chosenPriceE4), BigInt(prev.chosenPriceE4))),
        }
      : null;
    return { ...view, changeFromPrevious };
  });
  const alternatives = alternativeRows.map((row) => {
    const view = toPriceView(row, names);
    const savingPerUnit = current
      ? fractionE4ToYuan(
          subtract(unitPrice(BigInt(current.chosenPriceE4), current.packageQty), unitPrice(BigInt(row.chosenPriceE4), row.packageQty)),
          4,
        )
      : null;
    return { ...view, savingPerUnit };
  });

  return {
    product: { ...product, synthetic: Boolean(product.synthetic) },
    history,
    alternatives,
  };
}

function subtract(a: Fraction, b: Fraction): Fraction {
  return addFractions(a, { num: -b.num, den: b.den });
}

function negatePct(bp: number | null): number | null {
  return bp === null ? null : -bp / 100;
}
