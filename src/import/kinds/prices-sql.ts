import { sql, type SQL } from "drizzle-orm";
import type { SearchKeys } from "../../domain/search-keys";
import type { PriceRecord } from "./prices";

/**
 * The upserts that write chosen prices, their products and supplied regions. Each statement takes
 * its rows as ONE JSON parameter read with `json_each`, so a chunk of 500 rows is 4 statements of
 * constant text (cheap to prepare, one bound value: fine for D1's 100-parameter limit too) instead
 * of 4 statements per row; this is what lets a million-row file load near the sqlite3 shell's
 * speed. Unchanged rows are not rewritten (`WHERE … IS NOT excluded…`), so importing the same
 * file twice changes nothing.
 */
export function priceChunkStatements(recs: PriceRecord[], keysOf: (genericName: string) => SearchKeys): SQL[] {
  if (recs.length === 0) return [];
  const products = recs.map(({ product: p }) => {
    const keys = keysOf(p.genericName);
    return [p.naturalKey, p.category, p.genericName, p.genericNameEn, p.dosageForm, p.spec, p.packageText, p.packageQty,
      p.packageUnit, p.smallestUnit, p.manufacturer, p.nhsaCode, p.approvalNo, keys.nameNorm, keys.namePinyin, keys.nameInitials,
      p.synthetic ? 1 : 0];
  });
  const prices = recs.map((r) => [r.batchId, r.product.naturalKey, Number(r.chosenPriceE4),
    r.referencePriceE4 === null ? null : Number(r.referencePriceE4), r.referenceKind, r.unitPriceE4, r.discountBp,
    r.supplyRegionCodes.join(","), r.agreedVolume, r.cycleStart, r.cycleEnd, r.source, r.synthetic ? 1 : 0]);
  const keys = recs.map((r) => [r.batchId, r.product.naturalKey]);
  const regions = recs.flatMap((r) => r.supplyRegionCodes.map((code) => [r.batchId, r.product.naturalKey, code]));
  const statements = [
    sql`INSERT INTO products (natural_key, category, generic_name, generic_name_en, dosage_form, spec, package_text,
        package_qty, package_unit, smallest_unit, manufacturer, nhsa_code, approval_no, name_norm, name_pinyin,
        name_initials, synthetic)
      SELECT ${columns(17)} FROM json_each(${JSON.stringify(products)}) j WHERE true
      ON CONFLICT(natural_key) DO UPDATE SET category = excluded.category, generic_name = excluded.generic_name,
        generic_name_en = excluded.generic_name_en, dosage_form = excluded.dosage_form, spec = excluded.spec,
        package_text = excluded.package_text, package_qty = excluded.package_qty, package_unit = excluded.package_unit,
        smallest_unit = excluded.smallest_unit, manufacturer = excluded.manufacturer, nhsa_code = excluded.nhsa_code,
        approval_no = excluded.approval_no, name_norm = excluded.name_norm, name_pinyin = excluded.name_pinyin,
        name_initials = excluded.name_initials, synthetic = excluded.synthetic, updated_at = excluded.updated_at
      WHERE (category, generic_name, generic_name_en, dosage_form, spec, package_text, package_qty, package_unit,
        smallest_unit, manufacturer, nhsa_code, approval_no, name_norm, name_pinyin, name_initials, synthetic)
        IS NOT (excluded.category, excluded.generic_name, excluded.generic_name_en, excluded.dosage_form, excluded.spec,
        excluded.package_text, excluded.package_qty, excluded.package_unit, excluded.smallest_unit,
        excluded.manufacturer, excluded.nhsa_code, excluded.approval_no, excluded.name_norm, excluded.name_pinyin,
        excluded.name_initials, excluded.synthetic)`,
    sql`INSERT INTO prices (batch_id, product_id, chosen_price_e4, reference_price_e4, reference_kind, unit_price_e4,
        discount_bp, supply_regions, agreed_volume, cycle_start, cycle_end, source, synthetic)
      SELECT j.value->>0, (SELECT id FROM products WHERE natural_key = j.value->>1), ${columns(11, 2)}
      FROM json_each(${JSON.stringify(prices)}) j WHERE true
      ON CONFLICT(batch_id, product_id) DO UPDATE SET chosen_price_e4 = excluded.chosen_price_e4,
        reference_price_e4 = excluded.reference_price_e4, reference_kind = excluded.reference_kind,
        unit_price_e4 = excluded.unit_price_e4, discount_bp = excluded.discount_bp, supply_regions = excluded.supply_regions,
        agreed_volume = excluded.agreed_volume, cycle_start = excluded.cycle_start, cycle_end = excluded.cycle_end,
        source = excluded.source, synthetic = excluded.synthetic, updated_at = excluded.updated_at
      WHERE (chosen_price_e4, reference_price_e4, reference_kind, unit_price_e4, discount_bp, supply_regions,
        agreed_volume, cycle_start, cycle_end, source, synthetic)
        IS NOT (excluded.chosen_price_e4, excluded.reference_price_e4, excluded.reference_kind, excluded.unit_price_e4,
        excluded.discount_bp, excluded.supply_regions, excluded.agreed_volume, excluded.cycle_start, excluded.cycle_end,
        excluded.source, excluded.synthetic)`,
    // Supplied regions are replaced as a whole: the prices' old rows go, the file's come in.
    sql`DELETE FROM price_regions WHERE price_id IN (SELECT p.id FROM json_each(${JSON.stringify(keys)}) j
        JOIN products pr ON pr.natural_key = j.value->>1 JOIN prices p ON p.batch_id = j.value->>0 AND p.product_id = pr.id)`,
  ];
  if (regions.length) {
    statements.push(sql`INSERT INTO price_regions (price_id, region_code)
      SELECT p.id, j.value->>2 FROM json_each(${JSON.stringify(regions)}) j
        JOIN products pr ON pr.natural_key = j.value->>1 JOIN prices p ON p.batch_id = j.value->>0 AND p.product_id = pr.id`);
  }
  return statements;
}

/** `j.value->>0, j.value->>1, …`: the JSON row's elements as columns. */
function columns(count: number, from = 0): SQL {
  return sql.raw(Array.from({ length: count }, (_, i) => `j.value->>${from + i}`).join(", "));
}
