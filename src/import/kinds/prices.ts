import { sql } from "drizzle-orm";
import type { Category, ReferenceKind } from "../../db/schema";
import { discountBasisPoints, unitPriceE4Rounded, type E4 } from "../../domain";
import { productNaturalKey } from "../../domain/names";
import { searchKeys } from "../../domain/search-keys";
import { parsePackageText } from "../package-text";
import { parseBooleanCell, parseDateCell, parseIntegerCell, parseMoneyCell } from "../values";
import { CATEGORY_VALUES, REFERENCE_KIND_VALUES, splitList } from "./common";
import type { KindSpec } from "./types";

export type ProductRecord = {
  naturalKey: string;
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
  synthetic: boolean;
};

export type PriceRecord = {
  batchId: string;
  product: ProductRecord;
  chosenPriceE4: E4;
  referencePriceE4: E4 | null;
  referenceKind: ReferenceKind | null;
  unitPriceE4: number;
  discountBp: number | null;
  supplyRegionCodes: string[];
  agreedVolume: number | null;
  cycleStart: string | null;
  cycleEnd: string | null;
  source: string | null;
  synthetic: boolean;
};

export type PricesContext = {
  batchOverride?: string;
  batchCategory: Map<string, Category>;
  /** Region code or exact name → code. */
  regionCode: Map<string, string>;
  warnings: string[];
};

export const priceFields = [
  { field: "batch", aliases: ["批次", "集采批次", "批次编号"] },
  { field: "category", aliases: ["类别"] },
  { field: "genericName", aliases: ["药品通用名", "通用名", "药品名称", "产品名称", "品种名称", "物资名称"], required: true },
  { field: "genericNameEn", aliases: ["英文名", "英文名称"] },
  { field: "dosageForm", aliases: ["剂型"] },
  { field: "spec", aliases: ["规格", "制剂规格", "规格型号"] },
  { field: "packageText", aliases: ["包装", "包装规格"] },
  { field: "packageQty", aliases: ["转换比", "包装转换比"] },
  { field: "packageUnit", aliases: ["单位", "包装单位"] },
  { field: "smallestUnit", aliases: ["最小使用单位", "最小单位"] },
  { field: "manufacturer", aliases: ["中选企业", "生产企业", "申报企业", "申报企业名称", "企业名称", "药品企业", "中选厂家"] },
  { field: "nhsaCode", aliases: ["医保编码", "药品编码"] },
  { field: "approvalNo", aliases: ["批准文号", "注册证号"] },
  { field: "chosenPrice", aliases: ["中选价格", "中选价"], required: true },
  { field: "referencePrice", aliases: ["参考价", "参考价格"] },
  { field: "referenceKind", aliases: ["参考价类型"] },
  { field: "ceilingPrice", aliases: ["最高有效申报价"] },
  { field: "preVbpPrice", aliases: ["集采前价格", "原价"] },
  { field: "supplyRegions", aliases: ["供应省份", "供应地区"] },
  { field: "agreedVolume", aliases: ["约定采购量", "首年约定采购量"] },
  { field: "cycleStart", aliases: ["采购周期开始"] },
  { field: "cycleEnd", aliases: ["采购周期结束"] },
  { field: "source", aliases: ["来源", "数据来源"] },
  { field: "synthetic", aliases: ["合成数据"] },
] as const;

export async function loadPricesContext(db: import("../../db/client").Db, options: { batch?: string }): Promise<PricesContext> {
  const batches = await db.all<{ id: string; category: Category }>(sql`SELECT id, category FROM batches`);
  const regions = await db.all<{ code: string; name: string }>(sql`SELECT code, name FROM regions`);
  const regionCode = new Map<string, string>();
  for (const g of regions) {
    regionCode.set(g.code, g.code);
    regionCode.set(g.name, g.code);
  }
  return {
    batchOverride: options.batch,
    batchCategory: new Map(batches.map((b) => [b.id, b.category])),
    regionCode,
    warnings: [],
  };
}

export const pricesKind: KindSpec<PricesContext, PriceRecord> = {
  kind: "prices",
  fields: priceFields,
  prepare: loadPricesContext,
  readRow(r, ctx) {
    const batchId = readBatch(r, ctx);
    const category = r.oneOf("category", CATEGORY_VALUES) ?? (batchId ? ctx.batchCategory.get(batchId) : undefined) ?? "drug";
    const packageText = r.text("packageText", { max: 200 });
    let packageQty = r.parse("packageQty", (v) => parseIntegerCell(v, { min: 1 }));
    let packageUnit = r.text("packageUnit", { max: 20 });
    let smallestUnit = r.text("smallestUnit", { max: 20 });
    if (packageQty === null && packageText) {
      const parsed = parsePackageText(packageText);
      if (parsed) {
        packageQty = parsed.packageQty;
        smallestUnit ??= parsed.smallestUnit;
        packageUnit ??= parsed.packageUnit;
      }
    }
    const product: Omit<ProductRecord, "naturalKey"> = {
      category,
      genericName: r.text("genericName", { required: true, max: 200 }) ?? "",
      genericNameEn: r.text("genericNameEn", { max: 200 }),
      dosageForm: r.text("dosageForm", { max: 50 }),
      spec: r.text("spec", { max: 200 }),
      packageText,
      packageQty,
      packageUnit,
      smallestUnit,
      manufacturer: r.text("manufacturer", { max: 200 }),
      nhsaCode: r.text("nhsaCode", { max: 50 }),
      approvalNo: r.text("approvalNo", { max: 100 }),
      synthetic: r.parse("synthetic", parseBooleanCell) ?? false,
    };
    const chosen = r.parse("chosenPrice", parseMoneyCell, { required: true });
    if (chosen === 0n) r.fail("chosenPrice", "must be greater than 0");
    const reference = readReference(r);
    const supplyRegionCodes = readRegions(r, ctx);
    const rec: PriceRecord = {
      batchId: batchId ?? "",
      product: { ...product, naturalKey: productNaturalKey(product) },
      chosenPriceE4: chosen ?? 0n,
      referencePriceE4: reference.price,
      referenceKind: reference.kind,
      unitPriceE4: chosen === null ? 0 : unitPriceE4Rounded(chosen, packageQty),
      discountBp: chosen === null ? null : discountBasisPoints(chosen, reference.price),
      supplyRegionCodes,
      agreedVolume: r.parse("agreedVolume", (v) => parseIntegerCell(v)),
      cycleStart: r.parse("cycleStart", (v) => parseDateCell(v)),
      cycleEnd: r.parse("cycleEnd", (v) => parseDateCell(v)),
      source: r.text("source", { max: 2000 }),
      synthetic: product.synthetic,
    };
    if (r.issues.length) return null;
    if (rec.discountBp !== null && rec.discountBp < 0) {
      ctx.warnings.push(`row ${r.row}: chosen price is above the reference price (reduction ${rec.discountBp / 100} %)`);
    }
    return rec;
  },
  key: (rec) => `${rec.batchId}\u0000${rec.product.naturalKey}`,
  statements: priceStatements,
  touchedBatches: (records) => records.map((r) => r.batchId),
};

function readBatch(r: import("../row-reader").RowReader, ctx: PricesContext): string | null {
  const id = r.text("batch", { max: 100 }) ?? ctx.batchOverride ?? null;
  if (id === null) {
    r.fail("batch", "is empty; add a batch column or pass the batch for the whole file (?batch= or --batch)");
    return null;
  }
  if (!ctx.batchCategory.has(id)) {
    r.fail("batch", `batch "${id}" is unknown; import it first (kind=batches)`);
    return null;
  }
  return id;
}

function readReference(r: import("../row-reader").RowReader): { price: E4 | null; kind: ReferenceKind | null } {
  const ceiling = r.parse("ceilingPrice", parseMoneyCell);
  if (ceiling !== null) return { price: ceiling, kind: "ceiling" };
  const preVbp = r.parse("preVbpPrice", parseMoneyCell);
  if (preVbp !== null) return { price: preVbp, kind: "pre_vbp" };
  const price = r.parse("referencePrice", parseMoneyCell);
  const kind = r.oneOf("referenceKind", REFERENCE_KIND_VALUES);
  if (price !== null && kind === null && !r.has("referenceKind")) {
    r.fail("referenceKind", "is required with a reference price: ceiling (最高有效申报价) or pre_vbp (集采前价格)");
  }
  if (price === 0n) r.fail("referencePrice", "must be greater than 0");
  return { price, kind: price === null ? null : kind };
}

function readRegions(r: import("../row-reader").RowReader, ctx: PricesContext): string[] {
  const raw = r.text("supplyRegions", { max: 2000 });
  if (raw === null) return [];
  const codes: string[] = [];
  for (const name of splitList(raw)) {
    const code = ctx.regionCode.get(name);
    if (code === undefined) r.fail("supplyRegions", `region "${name}" is unknown (give a name or GB/T 2260 code of an imported region)`);
    else if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

const productId = (naturalKey: string) => sql`(SELECT id FROM products WHERE natural_key = ${naturalKey})`;

function priceStatements(rec: PriceRecord) {
  const p = rec.product;
  const keys = searchKeys(p.genericName);
  const pid = productId(p.naturalKey);
  const priceId = sql`(SELECT id FROM prices WHERE batch_id = ${rec.batchId} AND product_id = ${pid})`;
  const regions = rec.supplyRegionCodes.join(",");
  return [
    sql`INSERT INTO products (natural_key, category, generic_name, generic_name_en, dosage_form, spec, package_text,
        package_qty, package_unit, smallest_unit, manufacturer, nhsa_code, approval_no, name_norm, name_pinyin,
        name_initials, synthetic)
      VALUES (${p.naturalKey}, ${p.category}, ${p.genericName}, ${p.genericNameEn}, ${p.dosageForm}, ${p.spec},
        ${p.packageText}, ${p.packageQty}, ${p.packageUnit}, ${p.smallestUnit}, ${p.manufacturer}, ${p.nhsaCode},
        ${p.approvalNo}, ${keys.nameNorm}, ${keys.namePinyin}, ${keys.nameInitials}, ${p.synthetic ? 1 : 0})
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
      VALUES (${rec.batchId}, ${pid}, ${Number(rec.chosenPriceE4)},
        ${rec.referencePriceE4 === null ? null : Number(rec.referencePriceE4)}, ${rec.referenceKind}, ${rec.unitPriceE4},
        ${rec.discountBp}, ${regions}, ${rec.agreedVolume}, ${rec.cycleStart}, ${rec.cycleEnd}, ${rec.source},
        ${rec.synthetic ? 1 : 0})
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
    sql`DELETE FROM price_regions WHERE price_id = ${priceId}`,
    ...rec.supplyRegionCodes.map((code) => sql`INSERT INTO price_regions (price_id, region_code) VALUES (${priceId}, ${code})`),
  ];
}
