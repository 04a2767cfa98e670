import { sql } from "drizzle-orm";
import type { Category, ReferenceKind } from "../../db/schema";
import { discountBasisPoints, unitPriceE4Rounded, type E4 } from "../../domain";
import { productNaturalKey } from "../../domain/names";
import { cycleProblem } from "../../domain/state";
import { searchKeys, type SearchKeys } from "../../domain/search-keys";
import { parsePackageText } from "../package-text";
import { detach } from "../detach";
import { regionLookup } from "../region-names";
import { priceChunkStatements, priceStaging, type PriceStagingState } from "./prices-sql";
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
  brandNames: string[] | null;
  originator: boolean | null;
  manufacturerShort: string | null;
  foreignFirm: boolean | null;
  synthetic: boolean;
};

/** One baseline of a price: per package, per smallest unit, and the reduction against it (src/domain). */
export type Baseline = { priceE4: E4; unitPriceE4: number; discountBp: number | null };

export type PriceRecord = {
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

export type PricesContext = {
  batchOverride?: string;
  batchCategory: Map<string, Category>;
  /** Region code, name or unambiguous short name → code. */
  regionCode: Map<string, string>;
  warnings: string[];
  /** Rows whose chosen price is above the reference: counted, the first few named. */
  aboveReference: { count: number; rows: string[] };
  /** Pinyin keys per generic name: a big file repeats a few thousand names many times. */
  keysByName: Map<string, SearchKeys>;
  keysOf(genericName: string): SearchKeys;
  staging: PriceStagingState;
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
  { field: "manufacturer", aliases: ["中选企业", "生产企业", "申报企业", "申报企业名称", "企业名称", "药品企业", "中选厂家", "生产企业-全称"] },
  { field: "manufacturerShort", aliases: ["生产企业-简称", "企业简称"] },
  { field: "brandNames", aliases: ["商品名", "商品名称"] },
  { field: "originator", aliases: ["是否原研", "原研"] },
  { field: "foreignFirm", aliases: ["是否外企", "外企"] },
  { field: "nhsaCode", aliases: ["医保编码", "药品编码"] },
  { field: "approvalNo", aliases: ["批准文号", "注册证号"] },
  { field: "chosenPrice", aliases: ["中选价格", "中选价"], required: true },
  { field: "referencePrice", aliases: ["参考价", "参考价格"] },
  { field: "referenceKind", aliases: ["参考价类型"] },
  { field: "ceilingPrice", aliases: ["最高有效申报价", "最高限价"] },
  { field: "preVbpPrice", aliases: ["集采前价格", "原价", "中标前中位价", "企业近三年平均价"] },
  { field: "supplyRegions", aliases: ["供应省份", "供应地区"] },
  { field: "agreedVolume", aliases: ["约定采购量", "首年约定采购量"] },
  { field: "cycleStart", aliases: ["采购周期开始"] },
  { field: "cycleEnd", aliases: ["采购周期结束"] },
  { field: "renews", aliases: ["续约原批次", "接续原批次", "原中选批次", "续约批次"] },
  { field: "source", aliases: ["来源", "数据来源"] },
  { field: "synthetic", aliases: ["合成数据"] },
  // Figures the export adds for readers; an import recomputes them from the prices above.
  { field: "unitPrice", aliases: ["中选单价"] },
  { field: "discountPct", aliases: ["降幅"] },
] as const;

export async function loadPricesContext(db: import("../../db/client").Db, options: { batch?: string }): Promise<PricesContext> {
  const batches = await db.all<{ id: string; category: Category }>(sql`SELECT id, category FROM batches`);
  const regions = await db.all<{ code: string; name: string }>(sql`SELECT code, name FROM regions`);
  const ctx: PricesContext = {
    batchOverride: options.batch,
    batchCategory: new Map(batches.map((b) => [b.id, b.category])),
    regionCode: regionLookup(regions),
    warnings: [],
    aboveReference: { count: 0, rows: [] },
    keysByName: new Map(),
    keysOf: (name) => keysOf(name, ctx),
    staging: { products: new Map() },
  };
  return ctx;
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
      brandNames: readBrandNames(r),
      originator: r.parse("originator", parseBooleanCell),
      manufacturerShort: r.text("manufacturerShort", { max: 100 }),
      foreignFirm: r.parse("foreignFirm", parseBooleanCell),
      synthetic: r.parse("synthetic", parseBooleanCell) ?? false,
    };
    const chosen = r.parse("chosenPrice", parseMoneyCell, { required: true });
    if (chosen === 0n) r.fail("chosenPrice", "must be greater than 0");
    const reference = readReference(r);
    const baseline = (price: E4 | null): Baseline | null =>
      price === null || chosen === null
        ? null
        : { priceE4: price, unitPriceE4: unitPriceE4Rounded(price, packageQty), discountBp: discountBasisPoints(chosen, price) };
    const supplyRegionCodes = readRegions(r, ctx);
    const rec: PriceRecord = {
      batchId: batchId ?? "",
      product: { ...product, naturalKey: productNaturalKey(product) },
      chosenPriceE4: chosen ?? 0n,
      referencePriceE4: reference.price,
      referenceKind: reference.kind,
      unitPriceE4: chosen === null ? 0 : unitPriceE4Rounded(chosen, packageQty),
      discountBp: chosen === null ? null : discountBasisPoints(chosen, reference.price),
      ceiling: baseline(reference.ceiling),
      preVbp: baseline(reference.preVbp),
      supplyRegionCodes,
      agreedVolume: r.parse("agreedVolume", (v) => parseIntegerCell(v)),
      cycleStart: r.parse("cycleStart", (v) => parseDateCell(v)),
      cycleEnd: r.parse("cycleEnd", (v) => parseDateCell(v)),
      renewsBatchId: readRenews(r, ctx, batchId),
      source: r.text("source", { max: 2000 }),
      synthetic: product.synthetic,
    };
    const cycle = cycleProblem(rec.cycleStart, rec.cycleEnd);
    if (cycle && !r.issues.length) r.fail("cycleEnd", cycle);
    if (r.issues.length) return null;
    if (rec.discountBp !== null && rec.discountBp < 0) {
      ctx.aboveReference.count++;
      if (ctx.aboveReference.rows.length < MAX_NAMED_ROWS) ctx.aboveReference.rows.push(`row ${r.row} (reduction ${rec.discountBp / 100} %)`);
    }
    return rec;
  },
  key: (rec) => `${rec.batchId}\u0000${rec.product.naturalKey}`,
  statements: (rec, ctx) => priceChunkStatements([rec], ctx.keysOf),
  chunkStatements: (recs, ctx) => priceChunkStatements(recs, ctx.keysOf),
  staging: priceStaging,
  finish(ctx) {
    const { count, rows } = ctx.aboveReference;
    if (count === 0) return [...ctx.warnings];
    const more = count > rows.length ? ` and ${count - rows.length} more` : "";
    return [...ctx.warnings, `chosen price is above the reference price (a negative reduction) in ${count} row(s): ${rows.join(", ")}${more}`];
  },
  touchedBatches: (records) => records.map((r) => r.batchId),
};

/** A renewal names the batch it continues; the price it links to is the same product's there. */
function readRenews(r: import("../row-reader").RowReader, ctx: PricesContext, batchId: string | null): string | null {
  const id = r.text("renews", { max: 100 });
  if (id === null) return null;
  if (!ctx.batchCategory.has(id)) r.fail("renews", `batch "${id}" is unknown; import the batch this price renews first`);
  else if (id === batchId) r.fail("renews", "names the price's own batch; a renewal continues a price of an earlier batch");
  return id;
}

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

/**
 * Both baselines of a row: the ceiling and the pre-procurement price, each from its own column or
 * from a generic reference column with its kind. The primary one (what referencePrice and
 * discountPct show) is the ceiling when there is one.
 */
function readReference(r: import("../row-reader").RowReader): { price: E4 | null; kind: ReferenceKind | null; ceiling: E4 | null; preVbp: E4 | null } {
  let ceiling = r.parse("ceilingPrice", parseMoneyCell);
  let preVbp = r.parse("preVbpPrice", parseMoneyCell);
  if (ceiling === 0n) r.fail("ceilingPrice", "must be greater than 0");
  if (preVbp === 0n) r.fail("preVbpPrice", "must be greater than 0");
  const price = r.parse("referencePrice", parseMoneyCell);
  const kind = r.oneOf("referenceKind", REFERENCE_KIND_VALUES);
  if (price !== null && kind === null && !r.has("referenceKind")) {
    r.fail("referenceKind", "is required with a reference price: ceiling (最高有效申报价) or pre_vbp (集采前价格)");
  }
  if (price === 0n) r.fail("referencePrice", "must be greater than 0");
  if (price !== null && kind === "ceiling") ceiling ??= price;
  if (price !== null && kind === "pre_vbp") preVbp ??= price;
  if (ceiling !== null) return { price: ceiling, kind: "ceiling", ceiling, preVbp };
  if (preVbp !== null) return { price: preVbp, kind: "pre_vbp", ceiling, preVbp };
  return { price: null, kind: null, ceiling, preVbp };
}

/** 商品名 cells may list several brands: 立普妥、阿乐. */
function readBrandNames(r: import("../row-reader").RowReader): string[] | null {
  const raw = r.text("brandNames", { max: 500 });
  if (raw === null) return null;
  const names = splitList(raw);
  return names.length ? names : null;
}

function readRegions(r: import("../row-reader").RowReader, ctx: PricesContext): string[] {
  const raw = r.text("supplyRegions", { max: 2000 });
  if (raw === null) return [];
  const codes: string[] = [];
  for (const name of splitList(raw)) {
    const code = ctx.regionCode.get(name) ?? ctx.regionCode.get(name.replace(/\s+/g, ""));
    if (code === undefined) r.fail("supplyRegions", `region "${name}" is unknown (give a name or GB/T 2260 code of an imported region)`);
    else if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

const MAX_NAMED_ROWS = 20;

function keysOf(name: string, ctx: PricesContext): SearchKeys {
  let keys = ctx.keysByName.get(name);
  if (!keys) {
    if (ctx.keysByName.size > 50_000) ctx.keysByName.clear();
    keys = searchKeys(name);
    ctx.keysByName.set(detach(name), keys);
  }
  return keys;
}
