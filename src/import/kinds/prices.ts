import { sql } from "drizzle-orm";
import type { ProductRow } from "../../db/rows";
import { batches as batchTable, bids, type Category, prices, products, type ReferenceKind, regions as regionTable } from "../../db/schema";
import { bareColumns, renderedAlias } from "../../db/trusted-sql";
import { discountBasisPoints, type E4, unitPriceE4Rounded } from "../../domain";
import { productNaturalKey } from "../../domain/names";
import { loadSearchKeys, type SearchKeys, type SearchKeysOf } from "../../domain/search-keys";
import { cycleProblem } from "../../domain/state";
import { detach } from "../detach";
import { splitFusedForm } from "../fused-name";
import { multiplyDecimalCell, parseReductionCell } from "../numbers";
import { parsePackageText } from "../package-text";
import { readRegionList } from "../region-list";
import { regionLookup } from "../region-names";
import type { RowReader } from "../row-reader";
import { parseSpecPackage } from "../spec-package";
import { parseBooleanCell, parseDateCell, parseIntegerCell } from "../values";
import { type BidRecord, bidChunkStatements } from "./bids-sql";
import { CATEGORY_VALUES, REFERENCE_KIND_VALUES, splitList } from "./common";
import { type PriceStagingState, priceChunkStatements, priceStaging } from "./prices-sql";
import type { KindSpec } from "./types";

export type { BidRecord } from "./bids-sql";

/** A product as an import writes it: its row in the schema but for what the database derives (id, search keys, timestamps), with brand names parsed. */
export type ProductRecord = Omit<ProductRow, "id" | "brandNames" | "nameNorm" | "namePinyin" | "nameInitials" | "createdAt" | "updatedAt"> & {
  brandNames: string[] | null;
};

/** One baseline of a price: per package, per smallest unit, and the reduction against it (src/domain). */
export type Baseline = { priceE4: E4; unitPriceE4: number; discountBp: number | null };

export type PriceRecord = {
  type?: "price";
  batchId: string;
  product: ProductRecord;
  chosenPriceE4: E4;
  referencePriceE4: E4 | null;
  referenceKind: ReferenceKind | null;
  unitPriceE4: number;
  discountBp: number | null;
  ceiling: Baseline | null;
  preVbp: Baseline | null;
  supplyRegionCodes: string[];
  agreedVolume: number | null;
  cycleStart: string | null;
  cycleEnd: string | null;
  /** The batch of the price this one renews (续约): the same product's price there. */
  renewsBatchId: string | null;
  source: string | null;
  synthetic: boolean;
};

/** Rows named in a warning: counted, the first few named. */
type NamedRows = { count: number; rows: string[] };

export type PricesContext = {
  batchOverride?: string;
  /** A row whose reduction differs from the file's own 降幅 column is an error, not a warning. */
  strict: boolean;
  /** Source of rows without a source cell: the file (and sheet) they come from; the row is added. */
  sourceNote: string | null;
  batchCategory: Map<string, Category>;
  /** Each batch's own cycle, the default of its prices' cycles. */
  batchCycle: Map<string, { start: string | null; end: string | null }>;
  /** Renewal rows naming a batch that is not stored: imported without their link. */
  renewsUnknown: NamedRows;
  /** Renewal rows to check for their predecessor once the file is written (row, batch renewed, product key). */
  renewals: Array<[number, string, string]>;
  /** Region code, name or unambiguous short name → code. */
  regionCode: Map<string, string>;
  /**
   * The regions a batch names as its scope (4+7: eleven cities), as codes: where its prices are
   * supplied when a row names no supply regions. Absent for a nationwide (全国) or unnamed scope.
   * `unknown` are names of regions not stored: such a scope is not used (its prices would be
   * supplied to fewer places than the batch covers) and the import warns once per batch.
   */
  batchScope: Map<string, { codes: string[]; unknown: string[]; warned?: boolean }>;
  warnings: string[];
  /** Rows whose chosen price is above the reference. */
  aboveReference: NamedRows;
  /** Rows whose computed reduction differs from the file's 降幅 by more than 0.01 percentage points. */
  reductionMismatch: NamedRows;
  /** Chosen prices with a ceiling, and those more than STEEP_CEILING_BP below it (ceilingPerPackage). */
  withCeiling: number;
  steepCeiling: NamedRows;
  /** Losing bids (是否中标 = 否, or 流标) kept as bids. */
  bids: number;
  /** Pinyin keys per generic name: a big file repeats a few thousand names many times. */
  keysByName: Map<string, SearchKeys>;
  keysOf(genericName: string): SearchKeys;
  staging: PriceStagingState;
};

export type PricesRecord = PriceRecord | BidRecord;

export const priceFields = [
  { field: "batch", aliases: ["批次", "集采批次", "批次编号"] },
  { field: "category", aliases: ["类别"] },
  { field: "genericName", aliases: ["药品通用名", "通用名", "药品名称", "产品名称", "品种名称", "品种名", "物资名称"], required: true },
  { field: "genericNameEn", aliases: ["英文名", "英文名称"] },
  { field: "brandNames", aliases: ["商品名", "商品名称"] },
  { field: "dosageForm", aliases: ["剂型"] },
  { field: "spec", aliases: ["规格", "制剂规格", "规格型号"] },
  { field: "specPackage", aliases: ["规格包装", "中选规格包装", "规格及包装"] },
  { field: "packageText", aliases: ["包装", "包装规格"] },
  { field: "packageQty", aliases: ["转换比", "包装转换比"] },
  { field: "packageUnit", aliases: ["单位", "包装单位"] },
  { field: "smallestUnit", aliases: ["最小使用单位", "最小单位"] },
  { field: "manufacturer", aliases: ["中选企业", "生产企业", "申报企业", "申报企业名称", "企业名称", "药品企业", "中选厂家", "生产企业-全称", "拟中选企业"] },
  { field: "manufacturerShort", aliases: ["生产企业-简称", "企业简称"] },
  { field: "originator", aliases: ["是否原研", "原研"] },
  { field: "foreignFirm", aliases: ["是否外企", "外企"] },
  { field: "nhsaCode", aliases: ["医保编码", "药品编码"] },
  { field: "approvalNo", aliases: ["批准文号", "注册证号"] },
  { field: "won", aliases: ["是否中标", "是否中选", "中选结果"] },
  // Prices per package and per smallest unit: the header says which (（最小规格） marks per unit).
  { field: "chosenPrice", aliases: ["中选价格", "中选价", "每盒价格", "竞标价格", "中标价格"], requiredGroup: "chosen" },
  {
    field: "chosenUnitPrice",
    aliases: ["unitPrice", "中选单价", "最小规格价格", "竞标价格(最小规格)", "中选价格(最小规格)", "中标价格(最小规格)", "最小包装单位价格"],
    requiredGroup: "chosen",
  },
  { field: "referencePrice", aliases: ["参考价", "参考价格"] },
  { field: "referenceKind", aliases: ["参考价类型"] },
  { field: "ceilingPrice", aliases: ["最高有效申报价", "最高限价", "最高申报价"] },
  { field: "ceilingUnitPrice", aliases: ["最高有效申报价(最小规格)", "最高限价(最小规格)", "最高有效申报单价"] },
  { field: "preVbpPrice", aliases: ["集采前价格", "原价", "中标前中位价", "企业近三年平均价"] },
  { field: "preVbpUnitPrice", aliases: ["集采前价格(最小规格)", "中标前中位价(最小规格)", "企业近三年平均价(最小规格)", "集采前单价"] },
  { field: "supplyRegions", aliases: ["供应省份", "供应地区", "供应省(区)", "供应省", "供应省区"] },
  { field: "agreedVolume", aliases: ["约定采购量", "首年约定采购量"] },
  { field: "cycleStart", aliases: ["采购周期开始"] },
  { field: "cycleEnd", aliases: ["采购周期结束"] },
  { field: "renews", aliases: ["续约原批次", "接续原批次", "原中选批次", "续约批次"] },
  { field: "source", aliases: ["来源", "数据来源"] },
  { field: "synthetic", aliases: ["合成数据"] },
  // The file's own reduction: checked against the one computed from its prices, never stored.
  { field: "discountPct", aliases: ["降幅", "降价幅度"] },
  // Columns published tables carry that a price does not keep: known, so they are not reported as unknown.
  { field: "rowNumber", aliases: ["序号"] },
  { field: "multipleSpecs", aliases: ["是否中标多种规格"] },
  { field: "procurementQuantity", aliases: ["采购数量", "约定采购数量"] },
  { field: "originatorShare", aliases: ["原研企业及市场占比"] },
  { field: "note", aliases: ["备注"] },
  { field: "relatedMolecules", aliases: ["相关分子"] },
] as const;

export async function loadPricesContext(db: import("../../db/client").Db, options: import("./types").ImportOptions): Promise<PricesContext> {
  const b = bareColumns(batchTable);
  const batches = await db.all<{ id: string; category: Category; cycleStart: string | null; cycleEnd: string | null; scope: string | null }>(
    sql`SELECT ${b.id} AS id, ${b.category} AS category, ${b.cycleStart} AS cycleStart, ${b.cycleEnd} AS cycleEnd, ${b.regionScope} AS scope FROM ${batchTable}`,
  );
  const r = bareColumns(regionTable);
  const regions = await db.all<{ code: string; name: string }>(sql`SELECT ${r.code} AS code, ${r.name} AS name FROM ${regionTable}`);
  const regionCode = regionLookup(regions);
  const searchKeys = await loadSearchKeys();
  const ctx: PricesContext = {
    batchOverride: options.batch,
    strict: options.strict ?? false,
    sourceNote: options.sourceNote ?? null,
    batchCategory: new Map(batches.map((b) => [b.id, b.category])),
    batchCycle: new Map(batches.map((b) => [b.id, { start: b.cycleStart, end: b.cycleEnd }])),
    renewsUnknown: { count: 0, rows: [] },
    renewals: [],
    regionCode,
    batchScope: batchScopes(batches, regionCode),
    warnings: [],
    aboveReference: { count: 0, rows: [] },
    reductionMismatch: { count: 0, rows: [] },
    withCeiling: 0,
    steepCeiling: { count: 0, rows: [] },
    bids: 0,
    keysByName: new Map(),
    keysOf: (name) => keysOf(name, ctx, searchKeys),
    staging: { products: new Map() },
  };
  return ctx;
}

/** Price cells that say the bid failed instead of giving a price. */
const NOT_AWARDED = new Set(["流标", "废标", "未中选", "落选", "未中标"]);

export const pricesKind: KindSpec<PricesContext, PricesRecord> = {
  kind: "prices",
  fields: priceFields,
  prepare: loadPricesContext,
  readRow(r, ctx) {
    const batchId = readBatch(r, ctx);
    const category = r.oneOf("category", CATEGORY_VALUES) ?? (batchId ? ctx.batchCategory.get(batchId) : undefined) ?? "drug";
    const product = quotedUnit(r, readProduct(r, category));
    const failed = NOT_AWARDED.has(r.raw("chosenPrice")) || NOT_AWARDED.has(r.raw("chosenUnitPrice"));
    const won = failed ? false : (r.parse("won", parseBooleanCell) ?? true);
    if (won && !product.manufacturer && !["chosenPrice", "chosenUnitPrice", "ceilingPrice", "preVbpPrice", "preVbpUnitPrice"].some((f) => r.has(f))) {
      // 4+7 tables list every strength of a molecule; those without a chosen firm have no price.
      r.skip("a strength listed without a chosen firm or price");
      return null;
    }
    const qty = product.packageQty;
    const chosen = failed ? null : readAmount(r, "chosenPrice", "chosenUnitPrice", qty, won);
    if (chosen === 0n) r.fail(r.has("chosenPrice") ? "chosenPrice" : "chosenUnitPrice", "must be greater than 0");
    const reference = readReference(r, qty);
    const source = r.text("source", { max: 2000 }) ?? (ctx.sourceNote === null ? null : `${ctx.sourceNote}, row ${r.row}`);
    const naturalProduct = { ...product, naturalKey: productNaturalKey(product) };
    if (!won) {
      if (r.issues.length) return null;
      ctx.bids++;
      return {
        type: "bid",
        batchId: batchId ?? "",
        product: naturalProduct,
        bidPriceE4: chosen,
        bidUnitPriceE4: chosen === null ? null : unitPriceE4Rounded(chosen, qty),
        ceilingPriceE4: reference.ceiling,
        preVbpPriceE4: reference.preVbp,
        source,
        synthetic: product.synthetic,
      } satisfies BidRecord;
    }
    const baseline = (price: E4 | null): Baseline | null =>
      price === null || chosen === null
        ? null
        : { priceE4: price, unitPriceE4: unitPriceE4Rounded(price, qty), discountBp: discountBasisPoints(chosen, price) };
    const supplyRegionCodes = readRegions(r, ctx, batchId);
    const rec: PriceRecord = {
      type: "price",
      batchId: batchId ?? "",
      product: naturalProduct,
      chosenPriceE4: chosen ?? 0n,
      referencePriceE4: reference.price,
      referenceKind: reference.kind,
      unitPriceE4: chosen === null ? 0 : unitPriceE4Rounded(chosen, qty),
      discountBp: chosen === null ? null : discountBasisPoints(chosen, reference.price),
      ceiling: baseline(reference.ceiling),
      preVbp: baseline(reference.preVbp),
      supplyRegionCodes,
      agreedVolume: r.parse("agreedVolume", (v) => parseIntegerCell(v)),
      cycleStart: r.parse("cycleStart", (v) => parseDateCell(v)),
      cycleEnd: r.parse("cycleEnd", (v) => parseDateCell(v)),
      renewsBatchId: readRenews(r, ctx, batchId),
      source,
      synthetic: product.synthetic,
    };
    inheritBatchCycle(ctx, rec);
    const cycle = cycleProblem(rec.cycleStart, rec.cycleEnd);
    if (cycle && !r.issues.length) r.fail("cycleEnd", cycle);
    else if (!r.issues.length) checkCycleAgainstBatch(r, ctx, rec);
    if (rec.renewsBatchId !== null && !r.issues.length && ctx.renewals.length < MAX_CHECKED_RENEWALS) {
      ctx.renewals.push([r.row, rec.renewsBatchId, rec.product.naturalKey]);
    }
    checkReduction(r, ctx, rec);
    if (r.issues.length) return null;
    if (rec.discountBp !== null && rec.discountBp < 0) note(ctx.aboveReference, `row ${r.row} (reduction ${rec.discountBp / 100} %)`);
    if (rec.ceiling?.discountBp != null) {
      ctx.withCeiling++;
      if (rec.ceiling.discountBp > STEEP_CEILING_BP) note(ctx.steepCeiling, `row ${r.row} (reduction ${rec.ceiling.discountBp / 100} %)`);
    }
    return rec;
  },
  key: (rec) => `${rec.type === "bid" ? "bid\u0000" : ""}${rec.batchId}\u0000${rec.product.naturalKey}`,
  statements: (rec, ctx) => chunk([rec], ctx),
  chunkStatements: (recs, ctx) => chunk(recs, ctx),
  staging: {
    begin: (ctx) => priceStaging.begin(ctx),
    // Bids are few (tens per batch): written at once, prices staged as before.
    stage: (recs, ctx) => [...priceStaging.stage(pricesOf(recs), ctx), ...bidChunkStatements(bidsOf(recs))],
    apply: (ctx) => priceStaging.apply(ctx),
    end: (ctx) => priceStaging.end(ctx),
  },
  finish(ctx) {
    const out = [...ctx.warnings];
    if (ctx.aboveReference.count) out.push(`chosen price is above the reference price (a negative reduction) in ${listed(ctx.aboveReference)}`);
    if (ctx.reductionMismatch.count) {
      out.push(
        `the reduction computed from the prices differs from the file's own 降幅 by more than 0.01 percentage points in ${listed(ctx.reductionMismatch)}; ` +
          "check that each price column is per package or per smallest unit as its header says (a per-unit price read as per box shows up here)",
      );
    }
    const perPackage = ceilingPerPackage(ctx);
    if (perPackage) out.push(perPackage);
    if (ctx.bids) out.push(`${ctx.bids} losing bid(s) (是否中标 = 否 or 流标) kept as bids of the batch, not as chosen prices`);
    if (ctx.renewsUnknown.count) {
      out.push(
        `renewal (续约) of a batch that is not stored in ${listed(ctx.renewsUnknown)}: imported without the link to the price it renews; import that batch and its prices, then this file again, to link them`,
      );
    }
    return out;
  },
  async checkWritten(db, ctx, dryRun) {
    if (ctx.renewals.length === 0) return [];
    // Prices of this file count as predecessors only once written: a dry run checks against what is stored.
    const p = renderedAlias(prices, "p");
    const pr = renderedAlias(products, "pr");
    // j's elements are a renewal's row, batch and product key (ctx.renewals), not columns.
    const missing = await db.all<{ row: number; batch: string }>(sql`SELECT j.value->>0 AS row, j.value->>1 AS batch
      FROM json_each(${JSON.stringify(ctx.renewals)}) j
      WHERE NOT EXISTS (SELECT 1 FROM ${prices} ${p} JOIN ${products} ${pr} ON ${pr.id} = ${p.productId}
        WHERE ${p.batchId} = j.value->>1 AND ${pr.naturalKey} = j.value->>2)
      ORDER BY 1`);
    if (missing.length === 0) return [];
    const rows: NamedRows = { count: 0, rows: [] };
    for (const m of missing) note(rows, `row ${m.row} (batch "${m.batch}")`);
    const stored = dryRun ? " (a dry run checks against what is stored, not this file's own prices)" : "";
    return [
      `renewal (续约) whose batch has no price of the same product in ${listed(rows)}${stored}: kept without the link; import that price, then this file again, to link them`,
    ];
  },
  async countChanged(db, since, touched) {
    // A product changed (say its short name) changes the prices of this file in the touched batches.
    const p = renderedAlias(prices, "p");
    const pr = renderedAlias(products, "pr");
    const changedPrices = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM ${prices} ${p} JOIN ${products} ${pr} ON ${pr.id} = ${p.productId}
      WHERE ${p.batchId} IN (SELECT value FROM json_each(${JSON.stringify(touched)})) AND (${p.updatedAt} >= ${since} OR ${pr.updatedAt} >= ${since})`);
    const changedBids = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM ${bids} WHERE ${bareColumns(bids).updatedAt} >= ${since}`);
    return (changedPrices[0]?.n ?? 0) + (changedBids[0]?.n ?? 0);
  },
  // Losing bids touch their batch too: its bid landscape is kept with its statistics.
  touchedBatches: (records) => records.map((r) => r.batchId),
};

const pricesOf = (recs: PricesRecord[]) => recs.filter((r): r is PriceRecord => r.type !== "bid");
const bidsOf = (recs: PricesRecord[]) => recs.filter((r): r is BidRecord => r.type === "bid");
const chunk = (recs: PricesRecord[], ctx: PricesContext) => [...priceChunkStatements(pricesOf(recs), ctx.keysOf), ...bidChunkStatements(bidsOf(recs))];

/**
 * A price given only per smallest unit (a `（最小规格）` column), for a package whose size the file
 * does not give, is quoted per smallest unit: the product says so by its unit (the smallest unit's
 * name when the file has it, else 最小单位), and the pages read 元/最小单位 rather than 元/包装.
 * The unit is not part of a product's identity, so earlier imports of the same rows are updated.
 */
function quotedUnit(r: RowReader, product: Omit<ProductRecord, "naturalKey">): Omit<ProductRecord, "naturalKey"> {
  const perUnitOnly = !r.has("chosenPrice") && r.has("chosenUnitPrice");
  if (!perUnitOnly || product.packageQty !== null || product.packageUnit !== null) return product;
  return { ...product, packageUnit: product.smallestUnit ?? "最小单位" };
}

function readProduct(r: RowReader, category: Category): Omit<ProductRecord, "naturalKey"> {
  const packageText = r.text("packageText", { max: 200 });
  const specPackageText = r.text("specPackage", { max: 200 });
  const specPackage = specPackageText === null ? null : parseSpecPackage(specPackageText);
  let packageQty = r.parse("packageQty", (v) => parseIntegerCell(v, { min: 1 })) ?? specPackage?.packageQty ?? null;
  let packageUnit = r.text("packageUnit", { max: 20 }) ?? specPackage?.packageUnit ?? null;
  let smallestUnit = r.text("smallestUnit", { max: 20 }) ?? specPackage?.smallestUnit ?? null;
  if (packageQty === null && packageText) {
    const parsed = parsePackageText(packageText);
    if (parsed) {
      packageQty = parsed.packageQty;
      smallestUnit ??= parsed.smallestUnit;
      packageUnit ??= parsed.packageUnit;
    }
  }
  let genericName = r.text("genericName", { required: true, max: 200 }) ?? "";
  let dosageForm = r.text("dosageForm", { max: 50 });
  if (dosageForm === null) {
    const fused = splitFusedForm(genericName);
    if (fused) ({ genericName, dosageForm } = fused);
  }
  // 4+7 tables write the strength of a counted package as `20mg*`: the count is in 中选规格包装.
  const spec = specPackage?.spec ?? r.text("spec", { max: 200 })?.replace(/\*+$/, "") ?? null;
  const manufacturerShort = r.text("manufacturerShort", { max: 100 });
  return {
    category,
    genericName,
    genericNameEn: r.text("genericNameEn", { max: 200 }),
    dosageForm,
    spec,
    packageText: packageText ?? specPackageText,
    packageQty,
    packageUnit,
    smallestUnit,
    manufacturer: r.text("manufacturer", { max: 200 }) ?? manufacturerShort,
    nhsaCode: r.text("nhsaCode", { max: 50 }),
    approvalNo: r.text("approvalNo", { max: 100 }),
    brandNames: readBrandNames(r),
    originator: r.parse("originator", parseBooleanCell),
    manufacturerShort,
    foreignFirm: r.parse("foreignFirm", parseBooleanCell),
    synthetic: r.parse("synthetic", parseBooleanCell) ?? false,
  };
}

/**
 * An amount given per package, per smallest unit, or both. Per unit × packageQty gives the package
 * price (computed from the cell's full precision); with no packageQty the package is the unit.
 * When both are given they must agree to the precision the unit price is written with.
 */
function readAmount(r: RowReader, packageField: string, unitField: string, qty: number | null, required = false): E4 | null {
  const pkg = r.money(packageField);
  const unit = r.money(unitField);
  if (required && pkg === null && unit === null && !r.issues.length) {
    r.fail(r.hasColumn(packageField) || !r.hasColumn(unitField) ? packageField : unitField, "is required but empty");
  }
  if (pkg && unit) {
    const divisor = BigInt(qty ?? 1);
    const d = Math.min(unit.decimals, 4);
    const scale = 10n ** BigInt(4 - d);
    const fromPackage = roundHalfUp(pkg.value, divisor * scale);
    const given = roundHalfUp(unit.value, scale);
    const slack = unit.decimals > 4 ? 1n : 0n;
    const diff = fromPackage > given ? fromPackage - given : given - fromPackage;
    if (diff > slack) {
      r.fail(
        unitField,
        `${unit.raw} per smallest unit does not agree with ${pkg.raw} per package${qty ? ` ÷ ${qty}` : ""} (${r.column(packageField)}); give one of them or correct one`,
      );
    }
    return pkg.value;
  }
  if (pkg) return pkg.value;
  if (unit) return qty ? multiplyDecimalCell(unit.raw, qty) : unit.value;
  return null;
}

const roundHalfUp = (n: bigint, d: bigint) => (n * 2n + d) / (2n * d);

/**
 * Both baselines of a row: the ceiling and the pre-procurement price, each from its own columns
 * (per package or per unit) or from a generic reference column with its kind. The primary one
 * (what referencePrice and discountPct show) is the ceiling when there is one.
 */
function readReference(r: RowReader, qty: number | null): { price: E4 | null; kind: ReferenceKind | null; ceiling: E4 | null; preVbp: E4 | null } {
  let ceiling = readAmount(r, "ceilingPrice", "ceilingUnitPrice", qty);
  let preVbp = readAmount(r, "preVbpPrice", "preVbpUnitPrice", qty);
  if (ceiling === 0n) r.fail(r.has("ceilingPrice") ? "ceilingPrice" : "ceilingUnitPrice", "must be greater than 0");
  if (preVbp === 0n) r.fail(r.has("preVbpPrice") ? "preVbpPrice" : "preVbpUnitPrice", "must be greater than 0");
  const price = r.money("referencePrice")?.value ?? null;
  const kind = r.oneOf("referenceKind", REFERENCE_KIND_VALUES);
  if (price !== null && kind === null && !r.has("referenceKind")) {
    r.fail("referenceKind", "is required with a reference price: ceiling (最高有效申报价) or pre_vbp (集采前价格)");
  }
  if (price === 0n) r.fail("referencePrice", "must be greater than 0");
  if (price !== null && kind === "ceiling") ceiling ??= price;
  if (price !== null && kind === "pre_vbp") preVbp ??= price;
  if (ceiling === 0n) ceiling = null;
  if (preVbp === 0n) preVbp = null;
  if (ceiling !== null) return { price: ceiling, kind: "ceiling", ceiling, preVbp };
  if (preVbp !== null) return { price: preVbp, kind: "pre_vbp", ceiling, preVbp };
  return { price: null, kind: null, ceiling, preVbp };
}

/**
 * The file's own 降幅 against the reductions computed from its prices: it may be written as a cut
 * (52%, 52, 0.52) or as the change (-0.52); it agrees when it matches either baseline within
 * 0.01 percentage points (or half the last digit it is printed with).
 */
function checkReduction(r: RowReader, ctx: PricesContext, rec: PriceRecord) {
  const raw = r.raw("discountPct");
  if (raw === "" || rec.chosenPriceE4 === 0n) return;
  const stated = r.parse("discountPct", parseReductionCell);
  const computed = [rec.ceiling, rec.preVbp].map((b) => b?.discountBp ?? null).filter((d): d is number => d !== null);
  if (stated === null || computed.length === 0) return;
  const body = raw.replace(/%$/, "");
  const decimals = body.split(".")[1]?.length ?? 0;
  const asPercent = raw.endsWith("%") || Math.abs(Number(body)) > 1;
  const unitBp = asPercent ? 100 * 10 ** -decimals : 10 ** (4 - decimals);
  const tolerance = Math.max(1, unitBp / 2);
  if (stated.some((s) => computed.some((c) => Math.abs(s - c) <= tolerance))) return;
  const message = `the file says ${raw}, the prices give ${computed.map((c) => `${c / 100} %`).join(" / ")}`;
  if (ctx.strict) r.fail("discountPct", `${message} (--strict)`);
  else note(ctx.reductionMismatch, `row ${r.row} (${message})`);
}

/**
 * A renewal names the batch it continues; the price it links to is the same product's there. A
 * batch not stored (yet) is no reason to refuse the renewal's prices: they are imported without the
 * link and the report names the rows; importing the file again after that batch links them.
 */
function readRenews(r: RowReader, ctx: PricesContext, batchId: string | null): string | null {
  const id = r.text("renews", { max: 100 });
  if (id === null) return null;
  if (id === batchId) r.fail("renews", "names the price's own batch; a renewal continues a price of an earlier batch");
  else if (!ctx.batchCategory.has(id)) {
    note(ctx.renewsUnknown, `row ${r.row} (batch "${id}")`);
    return null;
  }
  return id;
}

/** Renewal rows checked for their predecessor after the write; a larger file is checked up to here. */
const MAX_CHECKED_RENEWALS = 50_000;

/**
 * A cycle bound a row states as its batch's own is the batch's (stored as null, inherited): the
 * export writes every price's cycle in full, and importing that file again must leave the prices as
 * they were, following their batch, not pinned to a copy of its dates.
 */
function inheritBatchCycle(ctx: PricesContext, rec: PriceRecord) {
  const batch = ctx.batchCycle.get(rec.batchId);
  if (!batch) return;
  if (rec.cycleStart !== null && rec.cycleStart === batch.start) rec.cycleStart = null;
  if (rec.cycleEnd !== null && rec.cycleEnd === batch.end) rec.cycleEnd = null;
}

/**
 * A price that overrides one end of its cycle keeps the batch's other end: the pair it ends up with
 * must still be a cycle (a start after the batch's end is an error on the start, not a silent
 * price that is never in force).
 */
function checkCycleAgainstBatch(r: RowReader, ctx: PricesContext, rec: PriceRecord) {
  const batch = ctx.batchCycle.get(rec.batchId);
  if (!batch || (rec.cycleStart === null) === (rec.cycleEnd === null)) return;
  if (rec.cycleStart !== null && cycleProblem(rec.cycleStart, batch.end)) {
    r.fail("cycleStart", `cycle starts (${rec.cycleStart}) after its batch's cycle ends (${batch.end}); give this price's own 采购周期结束 too`);
  } else if (rec.cycleEnd !== null && cycleProblem(batch.start, rec.cycleEnd)) {
    r.fail("cycleEnd", `cycle ends (${rec.cycleEnd}) before its batch's cycle starts (${batch.start}); give this price's own 采购周期开始 too`);
  }
}

function readBatch(r: RowReader, ctx: PricesContext): string | null {
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

/** 商品名 cells may list several brands: 立普妥、阿乐. */
function readBrandNames(r: RowReader): string[] | null {
  const raw = r.text("brandNames", { max: 500 });
  if (raw === null) return null;
  const names = splitList(raw);
  return names.length ? names : null;
}

/** Each batch's scope as region codes, for the batches that name one (not 全国). */
function batchScopes(batches: ReadonlyArray<{ id: string; scope: string | null }>, regionCode: Map<string, string>): PricesContext["batchScope"] {
  const out: PricesContext["batchScope"] = new Map();
  for (const b of batches) {
    const scope = b.scope?.trim() ?? "";
    if (scope === "" || scope === NATIONWIDE) continue;
    const { codes, unknown } = readRegionList(scope, regionCode);
    if (codes.length || unknown.length) out.set(b.id, { codes, unknown });
  }
  return out;
}

const NATIONWIDE = "全国";

function scopeOf(ctx: PricesContext, batchId: string | null): string[] {
  const scope = batchId ? ctx.batchScope.get(batchId) : undefined;
  if (!scope) return [];
  if (!scope.unknown.length) return scope.codes;
  if (!scope.warned) {
    scope.warned = true;
    ctx.warnings.push(
      `batch ${batchId}: its scope names regions that are not imported (${scope.unknown.join("、")}), so its prices without supply regions count as nationwide; import the regions first`,
    );
  }
  return [];
}

/** The row's supply regions; none given, its batch's scope when the batch names one, else none (nationwide). */
function readRegions(r: RowReader, ctx: PricesContext, batchId: string | null): string[] {
  const raw = r.text("supplyRegions", { max: 2000 });
  if (raw === null) return scopeOf(ctx, batchId);
  const { codes, unknown } = readRegionList(raw, ctx.regionCode);
  for (const name of unknown) r.fail("supplyRegions", `region "${name}" is unknown (give a name or GB/T 2260 code of an imported region)`);
  return codes;
}

const MAX_NAMED_ROWS = 20;

/**
 * A reduction against the ceiling steeper than 90 % is rare (batches 2–4: 1 %, 19 % and 15 % of their
 * prices); most prices of a file past it is what a ceiling per package beside prices per smallest
 * unit looks like (the 4+7 expansion's 最高限价 is the pilot's price per box: 46 of its 60).
 */
const STEEP_CEILING_BP = 9000;
const STEEP_CEILING_MIN_ROWS = 10;

/** The warning that the ceilings look per package while the prices are per unit, or null. */
function ceilingPerPackage(ctx: PricesContext): string | null {
  const steep = ctx.steepCeiling;
  if (ctx.withCeiling < STEEP_CEILING_MIN_ROWS || steep.count * 2 <= ctx.withCeiling) return null;
  // A pattern of the file, not a fault of some rows: a few examples say it (a phone shows 20 as a page of text).
  const examples = rowList({ count: steep.count, rows: steep.rows.slice(0, 5) });
  return (
    `the reduction against the ceiling (最高有效申报价) is above 90 % for ${steep.count} of the ${ctx.withCeiling} prices that have one (${examples}); ` +
    "a ceiling per package beside prices per smallest unit reads this way: check that the ceiling column is per smallest unit, as the prices are"
  );
}

function note(rows: NamedRows, text: string) {
  rows.count++;
  if (rows.rows.length < MAX_NAMED_ROWS) rows.rows.push(text);
}

function listed(named: NamedRows): string {
  return `${named.count} row(s): ${rowList(named)}`;
}

function rowList({ count, rows }: NamedRows): string {
  const more = count > rows.length ? ` and ${count - rows.length} more` : "";
  return `${rows.join(", ")}${more}`;
}

function keysOf(name: string, ctx: PricesContext, searchKeys: SearchKeysOf): SearchKeys {
  let keys = ctx.keysByName.get(name);
  if (!keys) {
    if (ctx.keysByName.size > 50_000) ctx.keysByName.clear();
    keys = searchKeys(name);
    ctx.keysByName.set(detach(name), keys);
  }
  return keys;
}
