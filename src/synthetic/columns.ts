/**
 * Row shapes shared by `seeds/*.csv` and the synthetic generator. Every field is the CSV text of
 * its column (empty string = unknown), so a row can be unparsed as is and read back unchanged.
 */

export type BatchLevel = 'national' | 'alliance' | 'provincial' | 'municipal';
export type Category = 'drug' | 'device';
export type ReferenceKind = 'ceiling' | 'pre_vbp';
/** CSV spelling of a boolean. */
export type BoolText = 'true' | 'false';

export const BATCH_COLUMNS = [
  'id',
  'name',
  'level',
  'category',
  'organizer',
  'announced',
  'cycleStart',
  'cycleEnd',
  'regionScope',
  'publishedItems',
  'publishedProducts',
  'publishedFirms',
  'publishedAvgDiscountPct',
  'publishedMaxDiscountPct',
  'publishedSavings',
  'source',
  'synthetic',
] as const satisfies readonly (keyof BatchRow)[];

export type BatchColumn = (typeof BATCH_COLUMNS)[number];

/** One row of `batches.csv`. Dates are `YYYY-MM` or `YYYY-MM-DD`; counts and percents are decimal text. */
export interface BatchRow {
  id: string;
  name: string;
  level: BatchLevel;
  category: Category;
  organizer: string;
  announced: string;
  cycleStart: string;
  cycleEnd: string;
  /** Region names joined by `、`; `全国` for national batches. */
  regionScope: string;
  publishedItems: string;
  publishedProducts: string;
  publishedFirms: string;
  publishedAvgDiscountPct: string;
  publishedMaxDiscountPct: string;
  publishedSavings: string;
  source: string;
  synthetic: BoolText;
}

export const PRICE_COLUMNS = [
  'batch',
  'category',
  'genericName',
  'genericNameEn',
  'dosageForm',
  'spec',
  'packageText',
  'packageQty',
  'packageUnit',
  'smallestUnit',
  'manufacturer',
  'nhsaCode',
  'approvalNo',
  'chosenPrice',
  'referencePrice',
  'referenceKind',
  'supplyRegions',
  'agreedVolume',
  'cycleStart',
  'cycleEnd',
  'source',
  'synthetic',
] as const satisfies readonly (keyof PriceRow)[];

export type PriceColumn = (typeof PRICE_COLUMNS)[number];

/** One row of `prices.csv`: one product chosen in one batch. Money is CNY yuan as decimal text (≤ 4 places). */
export interface PriceRow {
  batch: string;
  category: Category;
  genericName: string;
  genericNameEn: string;
  dosageForm: string;
  spec: string;
  packageText: string;
  packageQty: string;
  packageUnit: string;
  smallestUnit: string;
  manufacturer: string;
  nhsaCode: string;
  approvalNo: string;
  chosenPrice: string;
  referencePrice: string;
  referenceKind: ReferenceKind | '';
  /** Region names or codes joined by `、`; empty = nationwide. */
  supplyRegions: string;
  agreedVolume: string;
  cycleStart: string;
  cycleEnd: string;
  source: string;
  synthetic: BoolText;
}

export const REGION_COLUMNS = ['code', 'name', 'parentCode', 'level', 'fundShare'] as const satisfies readonly (keyof RegionRow)[];

export type RegionColumn = (typeof REGION_COLUMNS)[number];

/** One row of `regions.csv`. `fundShare` is a percent (72.8), empty when unknown. */
export interface RegionRow {
  code: string;
  name: string;
  parentCode: string;
  level: 'province' | 'city';
  fundShare: string;
}
