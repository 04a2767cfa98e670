import { sql } from "drizzle-orm";
import { type AnySQLiteColumn, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/*
 * Money columns end in `E4`: integers counting 1/10000 yuan, because prices are published with up
 * to four decimals and sums must be exact. Percent columns end in `Bp`: hundredths of a percent.
 * Derived columns (unit price, discount, search keys) are written by the services from src/domain,
 * so SQL can filter and sort on them without repeating the rules.
 */

const timestamps = {
  createdAt: text("created_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  updatedAt: text("updated_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
};

export const LEVELS = ["national", "alliance", "provincial", "municipal"] as const;
export const CATEGORIES = ["drug", "device"] as const;
export const REFERENCE_KINDS = ["ceiling", "pre_vbp"] as const;
export const REGION_LEVELS = ["province", "city", "pooling"] as const;
export const IMPORT_KINDS = ["batches", "regions", "prices", "volumes", "agreedVolumes"] as const;

export type Level = (typeof LEVELS)[number];
export type Category = (typeof CATEGORIES)[number];
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];
export type RegionLevel = (typeof REGION_LEVELS)[number];
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const batches = sqliteTable(
  "batches",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    level: text("level", { enum: LEVELS }).notNull(),
    category: text("category", { enum: CATEGORIES }).notNull(),
    organizer: text("organizer"),
    announced: text("announced"),
    cycleStart: text("cycle_start"),
    cycleEnd: text("cycle_end"),
    regionScope: text("region_scope"),
    publishedItems: integer("published_items"),
    publishedProducts: integer("published_products"),
    publishedFirms: integer("published_firms"),
    publishedAvgDiscountBp: integer("published_avg_discount_bp"),
    publishedMaxDiscountBp: integer("published_max_discount_bp"),
    publishedSavings: text("published_savings"),
    source: text("source"),
    synthetic: integer("synthetic", { mode: "boolean" }).notNull().default(false),
    ...timestamps,
  },
  (t) => [index("batches_announced_idx").on(t.announced)],
);

export const regions = sqliteTable(
  "regions",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    parentCode: text("parent_code"),
    level: text("level", { enum: REGION_LEVELS }).notNull(),
    fundShareBp: integer("fund_share_bp"),
    ...timestamps,
  },
  (t) => [index("regions_parent_idx").on(t.parentCode), index("regions_name_idx").on(t.name)],
);

export const products = sqliteTable(
  "products",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** nhsaCode when present, else the normalized (name, form, spec, packageQty, manufacturer). */
    naturalKey: text("natural_key").notNull(),
    category: text("category", { enum: CATEGORIES }).notNull(),
    genericName: text("generic_name").notNull(),
    genericNameEn: text("generic_name_en"),
    dosageForm: text("dosage_form"),
    spec: text("spec"),
    packageText: text("package_text"),
    packageQty: integer("package_qty"),
    packageUnit: text("package_unit"),
    smallestUnit: text("smallest_unit"),
    manufacturer: text("manufacturer"),
    nhsaCode: text("nhsa_code"),
    approvalNo: text("approval_no"),
    /** Brand names (商品名) as a JSON array of strings, e.g. ["立普妥"]; null when no file gave any. */
    brandNames: text("brand_names"),
    /** 是否原研: true for the originator's product, false for a generic, null when not stated. */
    originator: integer("originator", { mode: "boolean" }),
    /** 生产企业-简称: the firm's short name as analysts write it (正大天晴); `manufacturer` keeps the full name. */
    manufacturerShort: text("manufacturer_short"),
    /** 是否外企: a foreign firm, null when not stated. */
    foreignFirm: integer("foreign_firm", { mode: "boolean" }),
    /** Search keys derived at write time (src/domain/search-keys). */
    nameNorm: text("name_norm").notNull().default(""),
    namePinyin: text("name_pinyin").notNull().default(""),
    nameInitials: text("name_initials").notNull().default(""),
    synthetic: integer("synthetic", { mode: "boolean" }).notNull().default(false),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("products_natural_key_uq").on(t.naturalKey),
    index("products_name_norm_idx").on(t.nameNorm),
    index("products_initials_idx").on(t.nameInitials),
    index("products_nhsa_idx").on(t.nhsaCode),
    index("products_approval_idx").on(t.approvalNo),
    index("products_equivalence_idx").on(t.genericName, t.dosageForm, t.spec),
  ],
);

export const prices = sqliteTable(
  "prices",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    batchId: text("batch_id")
      .notNull()
      .references(() => batches.id),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id),
    chosenPriceE4: integer("chosen_price_e4").notNull(),
    referencePriceE4: integer("reference_price_e4"),
    referenceKind: text("reference_kind", { enum: REFERENCE_KINDS }),
    /** Derived: unit price rounded to 1/10000 yuan, and reduction in hundredths of a percent. */
    unitPriceE4: integer("unit_price_e4").notNull(),
    discountBp: integer("discount_bp"),
    /*
     * Both baselines, each kept whatever the primary one is (reference_* above is the ceiling when
     * there is one, else the pre-procurement price, for existing clients). Prices are per package
     * (a per-unit column is multiplied by packageQty; with no packageQty the package is the unit);
     * unit prices and reductions are derived by src/domain like unit_price_e4 and discount_bp.
     */
    /** 最高有效申报价 / 最高限价 */
    ceilingPriceE4: integer("ceiling_price_e4"),
    ceilingUnitPriceE4: integer("ceiling_unit_price_e4"),
    ceilingDiscountBp: integer("ceiling_discount_bp"),
    /** 集采前价格 / 中标前中位价 / 企业近三年平均价 */
    preVbpPriceE4: integer("pre_vbp_price_e4"),
    preVbpUnitPriceE4: integer("pre_vbp_unit_price_e4"),
    preVbpDiscountBp: integer("pre_vbp_discount_bp"),
    /** Region codes joined by ',' in the order given; empty string means nationwide. */
    supplyRegions: text("supply_regions").notNull().default(""),
    agreedVolume: integer("agreed_volume"),
    cycleStart: text("cycle_start"),
    cycleEnd: text("cycle_end"),
    /** Unused since issue 15: a price's state is derived from its cycle on a date (src/domain/state.ts). */
    status: text("status").notNull().default("active"),
    /** The earlier price this one continues (续约 / 接续采购): same product, the renewal's own batch. */
    renewsPriceId: integer("renews_price_id"),
    source: text("source"),
    synthetic: integer("synthetic", { mode: "boolean" }).notNull().default(false),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("prices_batch_product_uq").on(t.batchId, t.productId),
    index("prices_product_idx").on(t.productId),
    index("prices_discount_idx").on(t.discountBp, t.id),
    index("prices_unit_price_idx").on(t.unitPriceE4, t.id),
    index("prices_batch_discount_idx").on(t.batchId, t.discountBp),
    index("prices_batch_synthetic_idx").on(t.batchId, t.synthetic),
    index("prices_renews_idx").on(t.renewsPriceId),
    // Lists sorted by reduction walk these (a missing reduction last both ways).
    index("prices_discount_sort_idx").on(sql`COALESCE(${t.discountBp}, 1000000000)`, t.id),
    index("prices_discount_sort_desc_idx").on(sql`COALESCE(${t.discountBp}, -1000000000)`, t.id),
  ],
);

/**
 * Losing bids of a batch (是否中标 = 否): kept apart from chosen prices so no search, statistic or
 * saving counts them. A bid names its product by the same natural key as `products` (join on it to
 * find the product when it won elsewhere) and carries the product's columns itself.
 */
export const bids = sqliteTable(
  "bids",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    batchId: text("batch_id")
      .notNull()
      .references(() => batches.id),
    naturalKey: text("natural_key").notNull(),
    category: text("category", { enum: CATEGORIES }).notNull(),
    genericName: text("generic_name").notNull(),
    dosageForm: text("dosage_form"),
    spec: text("spec"),
    packageQty: integer("package_qty"),
    packageUnit: text("package_unit"),
    smallestUnit: text("smallest_unit"),
    manufacturer: text("manufacturer"),
    manufacturerShort: text("manufacturer_short"),
    originator: integer("originator", { mode: "boolean" }),
    foreignFirm: integer("foreign_firm", { mode: "boolean" }),
    /** The losing bid per package and per smallest unit; null when the table gives no bid (withdrawn). */
    bidPriceE4: integer("bid_price_e4"),
    bidUnitPriceE4: integer("bid_unit_price_e4"),
    ceilingPriceE4: integer("ceiling_price_e4"),
    preVbpPriceE4: integer("pre_vbp_price_e4"),
    source: text("source"),
    synthetic: integer("synthetic", { mode: "boolean" }).notNull().default(false),
    ...timestamps,
  },
  (t) => [uniqueIndex("bids_batch_product_uq").on(t.batchId, t.naturalKey), index("bids_natural_key_idx").on(t.naturalKey)],
);

/**
 * 约定采购量 per price and province (or city), optionally per medical institution ('' for the
 * region as a whole). 完成率 per region is purchases there ÷ its own agreed volume; the national
 * figure is the sum. `purchased` is what an institution's report states it bought to date, for
 * institutions, whose purchases the monthly volume rows do not name.
 */
export const agreedVolumes = sqliteTable(
  "agreed_volumes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    priceId: integer("price_id")
      .notNull()
      .references(() => prices.id, { onDelete: "cascade" }),
    regionCode: text("region_code")
      .notNull()
      .references(() => regions.code),
    institution: text("institution").notNull().default(""),
    /** Smallest units, as volumes. */
    units: integer("units").notNull(),
    purchased: integer("purchased"),
    source: text("source"),
    ...timestamps,
  },
  (t) => [uniqueIndex("agreed_volumes_uq").on(t.priceId, t.regionCode, t.institution), index("agreed_volumes_region_idx").on(t.regionCode, t.priceId)],
);

/** Batch statistics computed by src/domain after every import that touches the batch. */
export const batchStats = sqliteTable("batch_stats", {
  batchId: text("batch_id")
    .primaryKey()
    .references(() => batches.id, { onDelete: "cascade" }),
  /** JSON of the domain's BatchStatistics. */
  stats: text("stats").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** One row per (price, supplied region) so a region filter is an indexed lookup. */
export const priceRegions = sqliteTable(
  "price_regions",
  {
    priceId: integer("price_id")
      .notNull()
      .references(() => prices.id, { onDelete: "cascade" }),
    regionCode: text("region_code")
      .notNull()
      .references(() => regions.code),
  },
  (t) => [primaryKey({ columns: [t.priceId, t.regionCode] }), index("price_regions_region_idx").on(t.regionCode, t.priceId)],
);

export const volumes = sqliteTable(
  "volumes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    priceId: integer("price_id")
      .notNull()
      .references(() => prices.id),
    regionCode: text("region_code")
      .notNull()
      .references(() => regions.code),
    /** YYYY-MM */
    month: text("month").notNull(),
    /** Always stored in smallest units; imports convert packages using packageQty. */
    units: integer("units").notNull(),
    amountPaidE4: integer("amount_paid_e4"),
    fundShareBp: integer("fund_share_bp"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("volumes_price_region_month_uq").on(t.priceId, t.regionCode, t.month),
    index("volumes_region_month_idx").on(t.regionCode, t.month),
    // An import counts the rows it changed (updated_at at or after its start) from here, not by
    // reading every volume row (drizzle/0017).
    index("volumes_updated_idx").on(t.updatedAt),
  ],
);

/*
 * Savings rollups, maintained by SQL triggers on volumes (drizzle/0003_savings_rollup_triggers.sql) inside
 * the same atomic write as the import, so GET /api/v1/savings never reads raw volume rows.
 * A volume's saving is (reference − chosen) per package × units / packageQty, so every row keeps
 * the numerator and its divisor: whole packages go to divisor 1, the rest of a partly bought
 * package to divisor packageQty. Fund sums are numerator × share split as hi × 10^6 + lo so
 * they stay inside 64-bit integers; src/domain turns the parts into exact yuan.
 */
const rollupSums = () => ({
  /** Contributions summed into the row (a volume gives one, two when it ends in a partial package). */
  parts: integer("parts").notNull().default(0),
  volumeRows: integer("volume_rows").notNull().default(0),
  units: integer("units").notNull().default(0),
  amountPaidE4: integer("amount_paid_e4").notNull().default(0),
  /** Σ (reference − chosen per package, e4) × (packages, or the leftover units for divisor > 1). */
  spendNum: integer("spend_num").notNull().default(0),
  /** Σ spendNum × fund share (bp) = fundHi × 10^6 + fundLo. */
  fundHi: integer("fund_hi").notNull().default(0),
  fundLo: integer("fund_lo").notNull().default(0),
  /** Part of spendNum whose fund share is unknown (no override and none on the region or its parents). */
  unsharedNum: integer("unshared_num").notNull().default(0),
});

export const savingsByBatchRegionMonth = sqliteTable(
  "savings_rollup_batch_region_month",
  {
    batchId: text("batch_id").notNull(),
    regionCode: text("region_code").notNull(),
    month: text("month").notNull(),
    divisor: integer("divisor").notNull(),
    ...rollupSums(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.regionCode, t.month, t.divisor] }), index("savings_rollup_brm_region_idx").on(t.regionCode, t.month)],
);

export const savingsByBatchMonth = sqliteTable(
  "savings_rollup_batch_month",
  { batchId: text("batch_id").notNull(), month: text("month").notNull(), divisor: integer("divisor").notNull(), ...rollupSums() },
  (t) => [primaryKey({ columns: [t.batchId, t.month, t.divisor] })],
);

export const savingsByRegionMonth = sqliteTable(
  "savings_rollup_region_month",
  { regionCode: text("region_code").notNull(), month: text("month").notNull(), divisor: integer("divisor").notNull(), ...rollupSums() },
  (t) => [primaryKey({ columns: [t.regionCode, t.month, t.divisor] })],
);

/*
 * The same sums with the month summed away (and one with only the month), for questions without a
 * date filter: 36 months of history make the month rollups 36 times longer than these
 * (drizzle/0005_savings_rollups_without_month_triggers.sql keeps them in step with the fine rollup).
 */
export const savingsByBatchRegion = sqliteTable(
  "savings_rollup_batch_region",
  { regionCode: text("region_code").notNull(), batchId: text("batch_id").notNull(), divisor: integer("divisor").notNull(), ...rollupSums() },
  (t) => [primaryKey({ columns: [t.regionCode, t.batchId, t.divisor] })],
);

export const savingsByBatch = sqliteTable(
  "savings_rollup_batch",
  { batchId: text("batch_id").notNull(), divisor: integer("divisor").notNull(), ...rollupSums() },
  (t) => [primaryKey({ columns: [t.batchId, t.divisor] })],
);

export const savingsByRegion = sqliteTable(
  "savings_rollup_region",
  { regionCode: text("region_code").notNull(), divisor: integer("divisor").notNull(), ...rollupSums() },
  (t) => [primaryKey({ columns: [t.regionCode, t.divisor] })],
);

export const savingsByMonth = sqliteTable(
  "savings_rollup_month",
  { month: text("month").notNull(), divisor: integer("divisor").notNull(), ...rollupSums() },
  (t) => [primaryKey({ columns: [t.month, t.divisor] })],
);

/** Every savings rollup by the dimensions it keeps; each is the fine one summed over the dimensions it lacks. */
export const SAVINGS_ROLLUPS = {
  "batch,region,month": savingsByBatchRegionMonth,
  "batch,month": savingsByBatchMonth,
  "region,month": savingsByRegionMonth,
  "batch,region": savingsByBatchRegion,
  batch: savingsByBatch,
  region: savingsByRegion,
  month: savingsByMonth,
};

/** Units bought per price and region, for agreed-volume progress. */
export const purchasesByPriceRegion = sqliteTable(
  "purchase_rollup_price_region",
  {
    priceId: integer("price_id").notNull(),
    regionCode: text("region_code").notNull(),
    units: integer("units").notNull().default(0),
    volumeRows: integer("volume_rows").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.priceId, t.regionCode] })],
);

/**
 * Volume rows one chunk of a volume import is adding or changing, only ever non-empty inside that
 * chunk's transaction: while it holds rows, the volume triggers stand aside and the import updates
 * the rollups set-based (src/import/kinds/volumes.ts, drizzle/0017_volume_rollups_set_based.sql).
 */
export const volumeRollupPending = sqliteTable(
  "volume_rollup_pending",
  {
    priceId: integer("price_id").notNull(),
    regionCode: text("region_code").notNull(),
    month: text("month").notNull(),
    units: integer("units").notNull(),
    amountPaidE4: integer("amount_paid_e4"),
    fundShareBp: integer("fund_share_bp"),
  },
  (t) => [primaryKey({ columns: [t.priceId, t.regionCode, t.month] })],
);

export const imports = sqliteTable(
  "imports",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: IMPORT_KINDS }).notNull(),
    fileName: text("file_name"),
    sha256: text("sha256").notNull(),
    encoding: text("encoding"),
    dryRun: integer("dry_run", { mode: "boolean" }).notNull(),
    status: text("status", { enum: ["succeeded", "rejected", "failed"] }).notNull(),
    rowsTotal: integer("rows_total").notNull().default(0),
    rowsImported: integer("rows_imported").notNull().default(0),
    rowsRejected: integer("rows_rejected").notNull().default(0),
    /** JSON arrays, capped so a very bad file cannot bloat the audit log. */
    errors: text("errors").notNull().default("[]"),
    warnings: text("warnings").notNull().default("[]"),
    actor: text("actor"),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at"),
    /** The journal of what a succeeded import replaced (import_journals.id), so it can be withdrawn. */
    journalId: integer("journal_id"),
    /** When the import was withdrawn, and by whom (`token:<name>`, `cli:<user>`). */
    withdrawnAt: text("withdrawn_at"),
    withdrawnBy: text("withdrawn_by"),
  },
  (t) => [index("imports_started_idx").on(t.startedAt)],
);

/*
 * What each import replaced, written by the import itself in the same atomic write as its rows
 * (src/import/journal.ts), so `DELETE /api/v1/imports/{id}` can restore exactly what was there:
 * rows it inserted are the rowids above `lo` up to `hi` of each table (SQLite gives new rows the
 * next rowid), rows it updated or deleted are copied whole, as JSON, into import_journal_rows
 * before their first change.
 */
export const importJournals = sqliteTable(
  "import_journals",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    /** 1 once the import's last statement ran; a D1 chunked import that died leaves 0. */
    finished: integer("finished").notNull().default(0),
    /** JSON array of the batches whose statistics the import recomputed. */
    batches: text("batches").notNull().default("[]"),
    withdrawnAt: text("withdrawn_at"),
  },
  (t) => [uniqueIndex("import_journals_key_uq").on(t.key)],
);

export const importJournalRanges = sqliteTable(
  "import_journal_ranges",
  {
    journalId: integer("journal_id").notNull(),
    tbl: text("tbl").notNull(),
    /** Rows inserted: lo < rowid <= hi (hi is null until the import finished). */
    lo: integer("lo").notNull(),
    hi: integer("hi"),
  },
  (t) => [primaryKey({ columns: [t.journalId, t.tbl] })],
);

export const importJournalRows = sqliteTable(
  "import_journal_rows",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    journalId: integer("journal_id").notNull(),
    tbl: text("tbl").notNull(),
    /** u: updated, d: deleted. */
    op: text("op").notNull(),
    rid: integer("rid").notNull(),
    /** The whole row before the import changed it, as a JSON object of its columns. */
    old: text("old").notNull(),
  },
  (t) => [index("import_journal_rows_journal_idx").on(t.journalId, t.tbl, t.rid), index("import_journal_rows_row_idx").on(t.tbl, t.rid)],
);

/** Small key/value facts about the data itself, e.g. the data version bumped by every import. */
export const appMeta = sqliteTable("app_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export type BatchRow = typeof batches.$inferSelect;
export type RegionRow = typeof regions.$inferSelect;
export type ProductRow = typeof products.$inferSelect;
export type PriceRow = typeof prices.$inferSelect;
export type BidRow = typeof bids.$inferSelect;
export type VolumeRow = typeof volumes.$inferSelect;
export type ImportRow = typeof imports.$inferSelect;

/**
 * Rows a withdrawn import had added, deleted by the withdrawal (src/services/import-withdrawal.ts):
 * prices, products and batches. Their change feeds list them as tombstones (change "withdrawn")
 * after `withdrawn_at`, so a client that synced them learns they are gone (drizzle/0018_tombstones.sql).
 */
export const tombstones = sqliteTable(
  "tombstones",
  {
    /** prices, products or batches. */
    tbl: text("tbl").notNull(),
    /** The row's id as text (batch ids are text). */
    rowId: text("row_id").notNull(),
    /** The audit id of the withdrawn import. */
    importId: integer("import_id").notNull(),
    /** The database's clock, like updated_at, so it compares with a sync's stamps. */
    withdrawnAt: text("withdrawn_at").notNull(),
    /** The row as its feed showed it (JSON): the body of the tombstone. */
    last: text("last").notNull(),
    /**
     * Prices: the price's search row (price_search) with t_level and t_synthetic, so a
     * filtered feed matches the tombstone as its search matched the price (src/services/tombstones.ts).
     */
    search: text("search"),
  },
  (t) => [primaryKey({ columns: [t.tbl, t.rowId] }), index("tombstones_withdrawn_idx").on(t.tbl, t.withdrawnAt, t.rowId)],
);

/*
 * The search tables (drizzle/0001_search.sql and later): derived from prices and products by the
 * migrations' triggers, never written by the services, read by src/services/search-*.ts. Declared
 * here so their rows have types and their columns names; what drizzle cannot declare stays in the
 * migrations alone: WITHOUT ROWID (every table with a composite key below), the FTS5 tables
 * `search_terms_fts` and `products_fts`, and the triggers. The migrations stay the source of the
 * database (drizzle-kit generate finds nothing to do: drizzle/meta holds a snapshot of this schema);
 * test/integration/schema-matches-migrations.test.ts holds the two together.
 */

type RankedColumn =
  | "batchId"
  | "cycleStart"
  | "cycleEnd"
  | "unitPriceE4"
  | "discountBp"
  | "priceId"
  | "category"
  | "variantId"
  | "productId"
  | "regionMask"
  | "regions";

/**
 * A rank index of price_search: a group (its name or firm, `lead`, then batch and cycle), its prices
 * in unit price or reduction order, then every column a ranked read needs (`other` the firm or
 * name), so a page of a group reads the index alone.
 */
function rankColumns(t: Record<RankedColumn, AnySQLiteColumn>, lead: AnySQLiteColumn, other: AnySQLiteColumn, order: "unitPrice" | "discount") {
  const [first, second] = order === "unitPrice" ? [t.unitPriceE4, t.discountBp] : [t.discountBp, t.unitPriceE4];
  return [lead, t.batchId, t.cycleStart, t.cycleEnd, first, t.priceId, t.category, second, t.variantId, other, t.productId, t.regionMask, t.regions] as const;
}

/** One row per price: the few price columns ranking, filters and facets need, with the ids of its name, firm, variant and equivalence class. */
export const priceSearch = sqliteTable(
  "price_search",
  {
    priceId: integer("price_id").primaryKey(),
    productId: integer("product_id").notNull(),
    nameId: integer("name_id").notNull(),
    firmId: integer("firm_id"),
    batchId: text("batch_id").notNull(),
    category: text("category", { enum: CATEGORIES }).notNull(),
    unitPriceE4: integer("unit_price_e4").notNull(),
    discountBp: integer("discount_bp"),
    cycleStart: text("cycle_start"),
    cycleEnd: text("cycle_end"),
    variantId: integer("variant_id"),
    /** Supply region codes as ',c1,c2,' ('' nationwide). */
    regions: text("regions").notNull().default(""),
    equivId: integer("equiv_id"),
    /** Provinces the price supplies as bits (src/domain/region-mask.ts); 0 = nationwide. */
    regionMask: integer("region_mask").notNull().default(0),
  },
  (t) => [
    index("price_search_product_idx").on(t.productId),
    index("price_search_name_rank_idx").on(...rankColumns(t, t.nameId, t.firmId, "unitPrice")),
    index("price_search_firm_rank_idx").on(...rankColumns(t, t.firmId, t.nameId, "unitPrice")),
    // A group's prices in reduction order, covering as the rank indexes do: counts under a minimum
    // reduction inside a band of search_cells read only that band's prices.
    index("price_search_name_discount_idx").on(...rankColumns(t, t.nameId, t.firmId, "discount")),
    index("price_search_firm_discount_idx").on(...rankColumns(t, t.firmId, t.nameId, "discount")),
    index("price_search_equiv_rank_idx").on(
      t.equivId,
      t.unitPriceE4,
      t.priceId,
      t.productId,
      t.cycleStart,
      t.cycleEnd,
      t.regionMask,
      t.regions,
      t.batchId,
      t.category,
    ),
  ],
);

/** The search dictionary: generic names, firms and codes (kind), each with its display text and keys; `search_terms_fts` indexes it. */
export const searchTerms = sqliteTable(
  "search_terms",
  {
    id: integer("id").primaryKey(),
    kind: text("kind").notNull(),
    term: text("term").notNull(),
    display: text("display").notNull(),
    nameEn: text("name_en"),
    pinyin: text("pinyin"),
    initials: text("initials"),
    category: text("category"),
  },
  (t) => [uniqueIndex("search_terms_kind_term_uq").on(t.kind, t.term)],
);

/** Brand names (kind 'b') and the firm's short name (kind 's') of each product, lower-cased, found by their start. WITHOUT ROWID. */
export const searchAliases = sqliteTable(
  "search_aliases",
  {
    alias: text("alias").notNull(),
    kind: text("kind").notNull(),
    productId: integer("product_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.alias, t.kind, t.productId] }), index("search_aliases_product_idx").on(t.productId)],
);

/** The batch, category and cycle that every count summary of the search is keyed by after its own group. */
const batchCycleKey = () => ({
  batchId: text("batch_id").notNull(),
  category: text("category").notNull(),
  cycleStart: text("cycle_start").notNull(),
  cycleEnd: text("cycle_end").notNull(),
});

/**
 * A group of search_groups: a name or a firm (term_id), batch, category and cycle. The count
 * summaries (search_groups, search_cells, search_price_cells) are all keyed by it.
 */
const groupKey = () => ({
  termId: integer("term_id").notNull(),
  ...batchCycleKey(),
});

/** Per group of search_groups, the prices per province bit of the region mask and per reduction band of 10 %: counts under a region or a minimum reduction without reading prices. WITHOUT ROWID. */
export const searchCells = sqliteTable(
  "search_cells",
  {
    ...groupKey(),
    bit: integer("bit").notNull(),
    band: integer("band").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.termId, t.batchId, t.category, t.cycleStart, t.cycleEnd, t.bit, t.band] })],
);

/**
 * Prices per name or firm group (term_id, batch, category, cycle) and band of unit price (`pband`:
 * ten times the digits of unit_price_e4 plus its first digit, 0 for none above zero; see
 * src/services/price-bands.ts). A maximum unit price is then a sum over the bands below its own and
 * a read of the one band it cuts. WITHOUT ROWID.
 */
export const searchPriceCells = sqliteTable(
  "search_price_cells",
  {
    ...groupKey(),
    pband: integer("pband").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.termId, t.batchId, t.category, t.cycleStart, t.cycleEnd, t.pband] })],
);

/** Prices per start of a code (医保编码, 批准文号; 3, 6, 9 or 12 characters: `level`), batch, category and cycle. WITHOUT ROWID. */
export const searchCodeGroups = sqliteTable(
  "search_code_groups",
  {
    level: integer("level").notNull(),
    prefix: text("prefix").notNull(),
    ...batchCycleKey(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.prefix, t.batchId, t.category, t.cycleStart, t.cycleEnd] })],
);

/**
 * Each price under each of its product's codes (医保编码, 批准文号), with every column search filters,
 * sorts and counts by: a start of a code shared by thousands of products is one range here rather
 * than one row lookup per price (drizzle/0022_search_code_prices.sql). Its columns keep
 * price_search's names, so filters rendered for price_search rows apply to it. WITHOUT ROWID.
 */
export const searchCodePrices = sqliteTable(
  "search_code_prices",
  {
    code: text("code").notNull(),
    unitPriceE4: integer("unit_price_e4").notNull(),
    priceId: integer("price_id").notNull(),
    ...batchCycleKey(),
    discountBp: integer("discount_bp"),
    firmId: integer("firm_id"),
    regionMask: integer("region_mask").notNull(),
    regions: text("regions").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.code, t.unitPriceE4, t.priceId] }),
    // The prices of one band of unit price from its least up to a maximum, under a start of a code, per batch:
    // the part of a search_code_price_cells count that no cell holds.
    index("search_code_prices_price_idx").on(t.unitPriceE4, t.code, t.batchId),
  ],
);

/**
 * The rows of search_code_prices per start of a code (3, 6 or 9 characters: `level`), batch,
 * category, cycle and band of unit price (`pband`, as search_price_cells), kept by triggers on it:
 * a broad start of a code under a maximum unit price is a sum over the bands below the maximum's
 * and a read of the one band it cuts (drizzle/0024). Longer starts hold few prices and are read. WITHOUT ROWID.
 */
export const searchCodePriceCells = sqliteTable(
  "search_code_price_cells",
  {
    level: integer("level").notNull(),
    prefix: text("prefix").notNull(),
    ...batchCycleKey(),
    pband: integer("pband").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.prefix, t.batchId, t.category, t.cycleStart, t.cycleEnd, t.pband] })],
);

/** One row per distinct (generic name, dosage form, spec), keyed by its json_array: price_search.equiv_id. */
export const searchEquivalents = sqliteTable(
  "search_equivalents",
  {
    id: integer("id").primaryKey(),
    key: text("key").notNull(),
  },
  (t) => [uniqueIndex("search_equivalents_key_uq").on(t.key)],
);

/** Prices per term, batch and category: the facets of a search. WITHOUT ROWID. */
export const searchFacets = sqliteTable(
  "search_facets",
  {
    termId: integer("term_id").notNull(),
    batchId: text("batch_id").notNull(),
    category: text("category").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.termId, t.batchId, t.category] })],
);

/** The two-character grams of each term, for queries shorter than the trigram index serves. WITHOUT ROWID. */
export const searchGrams = sqliteTable(
  "search_grams",
  {
    gram: text("gram").notNull(),
    termId: integer("term_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.gram, t.termId] })],
);

/** Prices per (name or firm, batch, category, cycle): one contiguous range of a rank index each. WITHOUT ROWID. */
export const searchGroups = sqliteTable(
  "search_groups",
  {
    ...groupKey(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.termId, t.batchId, t.category, t.cycleStart, t.cycleEnd] })],
);

/** The counts of search_groups per name split by variant and by firm (`kind`), for further words. WITHOUT ROWID. */
export const searchPairs = sqliteTable(
  "search_pairs",
  {
    nameId: integer("name_id").notNull(),
    kind: text("kind").notNull(),
    otherId: integer("other_id").notNull(),
    ...batchCycleKey(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.nameId, t.kind, t.otherId, t.batchId, t.category, t.cycleStart, t.cycleEnd] })],
);

/** The numbers 1 to 400, which the triggers walk to cut text into grams and lists into rows. */
export const searchSeq = sqliteTable("search_seq", {
  n: integer("n").primaryKey(),
});

/** The distinct texts of a product's spec, form, package and English name: price_search.variant_id. */
export const searchVariants = sqliteTable(
  "search_variants",
  {
    id: integer("id").primaryKey(),
    text: text("text").notNull(),
  },
  (t) => [uniqueIndex("search_variants_text_uq").on(t.text)],
);
