import { type SQL, sql } from "drizzle-orm";
import { PRICE_WRITTEN_KEYS } from "../../db/rows";
import { priceRegions, prices, products } from "../../db/schema";
import { bareColumns, columnNames, renderedAlias, trustedSql } from "../../db/trusted-sql";
import { upsertUnlessSame } from "../../db/upsert";
import type { SearchKeys } from "../../domain/search-keys";
import type { PriceRecord, PricesContext, ProductRecord } from "./prices";
import type { StagedWrite } from "./types";

/**
 * The upserts that write chosen prices, their products and supplied regions, in two forms that
 * leave the same rows behind:
 * - `priceChunkStatements` (any database, D1 included): each statement takes a chunk's rows as ONE
 *   JSON parameter read with `json_each`, so a chunk of 500 rows is 4 statements of constant text
 *   (one bound value: fine for D1's 100-parameter limit too);
 * - `priceStaging` (the CLI's single transaction): rows go into a TEMP table, and every few tens of
 *   thousands of rows the same upserts run once as INSERT … SELECT from it.
 * Unchanged rows are not rewritten (`WHERE … IS NOT excluded…`), and supplied regions are only
 * deleted or added where they differ, so importing the same file twice changes nothing.
 *
 * Tables and columns are named through the schema (text from columnNames where a column list is
 * built as text, bareColumns and drizzle aliases elsewhere), so a column renamed in
 * src/db/schema.ts is renamed here too. The staging sources (`s`, the TEMP tables import_products
 * and import_prices, json_each's `j`) name their columns after the schema's, but for `renews_batch`
 * and `regions`, which exist only in these statements.
 */

const PR = columnNames(products);
const P = columnNames(prices);
const pr = bareColumns(products);
const pc = bareColumns(prices);

const PRODUCT_FIELDS = [
  PR.naturalKey,
  PR.category,
  PR.genericName,
  PR.genericNameEn,
  PR.dosageForm,
  PR.spec,
  PR.packageText,
  PR.packageQty,
  PR.packageUnit,
  PR.smallestUnit,
  PR.manufacturer,
  PR.nhsaCode,
  PR.approvalNo,
  PR.nameNorm,
  PR.namePinyin,
  PR.nameInitials,
  PR.synthetic,
  PR.brandNames,
  PR.originator,
  PR.manufacturerShort,
  PR.foreignFirm,
];
const PRODUCT_COLUMNS = trustedSql(PRODUCT_FIELDS.join(", "));
const list = (prefix: string, fields: readonly string[]) => trustedSql(fields.map((f) => `${prefix}${f}`).join(", "));
const UPDATABLE = PRODUCT_FIELDS.slice(1);
/** Facts most files do not carry: a file without them keeps what an earlier file said. */
const KEPT_WHEN_ABSENT = new Set<string>([PR.brandNames, PR.originator, PR.manufacturerShort, PR.foreignFirm]);
const UPDATED_VALUES = trustedSql(UPDATABLE.map((f) => (KEPT_WHEN_ABSENT.has(f) ? `COALESCE(excluded.${f}, ${f})` : `excluded.${f}`)).join(", "));

/**
 * Products, one upsert: new ones are inserted, changed ones updated, unchanged ones left alone (so
 * their search triggers do not run). `rows` yields one row per product (PRODUCT_FIELDS). This needs
 * the search triggers' skips to be upsert clauses of their own (drizzle/0009): an `INSERT OR IGNORE`
 * in a trigger fired by an upsert's DO UPDATE fails instead.
 */
function productStatements(rows: SQL): SQL[] {
  return [
    sql`WITH s AS (${rows}) INSERT INTO ${products} (${PRODUCT_COLUMNS}) SELECT ${list("s.", PRODUCT_FIELDS)} FROM s WHERE true
      ON CONFLICT(${pr.naturalKey}) DO UPDATE SET (${list("", UPDATABLE)}, ${pr.updatedAt}) =
        (${UPDATED_VALUES}, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      WHERE (${list("", UPDATABLE)}) IS NOT (${UPDATED_VALUES})`,
  ];
}

const PRICE_FIELDS = PRICE_WRITTEN_KEYS.map((k) => P[k]);

const PRICE_COLUMNS = trustedSql(`${P.batchId}, ${P.productId}, ${PRICE_FIELDS.join(", ")}`);

const PRICE_UPSERT = trustedSql(upsertUnlessSame(prices, ["batchId", "productId"], PRICE_WRITTEN_KEYS, { silentWhenNull: ["source"] }));

/** Columns of the staging source `s` (STAGED_PRICE_FIELDS), as SQL. */
const s = (column: string) => trustedSql(`s.${column}`);
/** Staged only: the batch a row says it renews, by id (renewalStatements links it to that batch's price). */
const RENEWS_BATCH = "renews_batch";

/**
 * Supplied regions of the written prices, given `rows` with columns batch_id, natural_key and
 * regions (a JSON array of codes): codes no longer supplied go, new ones come in, the rest stay.
 */
function regionStatements(rows: SQL): SQL[] {
  const p = renderedAlias(prices, "p");
  const r = renderedAlias(priceRegions, "r");
  const reg = bareColumns(priceRegions);
  const priceOf = sql`CROSS JOIN ${prices} ${p} ON ${p.batchId} = ${s(P.batchId)} AND ${p.productId} = ${productIdOf(s(PR.naturalKey))}`;
  // rowid, json_each's value and `regions` (a staged JSON array) are SQLite's and the staging's own names.
  return [
    sql`DELETE FROM ${priceRegions} WHERE rowid IN (SELECT ${r}.rowid FROM ${rows} ${priceOf}
        CROSS JOIN ${priceRegions} ${r} ON ${r.priceId} = ${p.id} WHERE ${r.regionCode} NOT IN (SELECT value FROM json_each(s.regions)))`,
    sql`INSERT INTO ${priceRegions} (${reg.priceId}, ${reg.regionCode}) SELECT ${p.id}, c.value FROM ${rows} ${priceOf}
        CROSS JOIN json_each(s.regions) c WHERE true ON CONFLICT DO NOTHING`,
  ];
}

/** The id of the product with natural key `key`. */
const productIdOf = (key: SQL) => sql`(SELECT ${pr.id} FROM ${products} WHERE ${pr.naturalKey} = ${key})`;

/** A product's columns (PRODUCT_FIELDS) as JSON values. */
const productRow = (p: ProductRecord, keys: SearchKeys) => [
  p.naturalKey,
  p.category,
  p.genericName,
  p.genericNameEn,
  p.dosageForm,
  p.spec,
  p.packageText,
  p.packageQty,
  p.packageUnit,
  p.smallestUnit,
  p.manufacturer,
  p.nhsaCode,
  p.approvalNo,
  keys.nameNorm,
  keys.namePinyin,
  keys.nameInitials,
  p.synthetic ? 1 : 0,
  p.brandNames === null ? null : JSON.stringify(p.brandNames),
  bool(p.originator),
  p.manufacturerShort,
  bool(p.foreignFirm),
];

const bool = (b: boolean | null) => (b === null ? null : b ? 1 : 0);
const num = (n: bigint | null) => (n === null ? null : Number(n));

/** A price's own columns (PRICE_FIELDS) as JSON values. */
const priceValues = (r: PriceRecord) => [
  Number(r.chosenPriceE4),
  num(r.referencePriceE4),
  r.referenceKind,
  r.unitPriceE4,
  r.discountBp,
  r.supplyRegionCodes.join(","),
  r.agreedVolume,
  r.cycleStart,
  r.cycleEnd,
  r.source,
  r.synthetic ? 1 : 0,
  num(r.ceiling?.priceE4 ?? null),
  r.ceiling?.unitPriceE4 ?? null,
  r.ceiling?.discountBp ?? null,
  num(r.preVbp?.priceE4 ?? null),
  r.preVbp?.unitPriceE4 ?? null,
  r.preVbp?.discountBp ?? null,
];

/** The last row of each product wins, as when the rows were written one by one. */
function distinctProducts(recs: PriceRecord[], keysOf: (genericName: string) => SearchKeys): unknown[][] {
  const byKey = new Map<string, unknown[]>();
  for (const r of recs) byKey.set(r.product.naturalKey, productRow(r.product, keysOf(r.product.genericName)));
  return [...byKey.values()];
}

export function priceChunkStatements(recs: PriceRecord[], keysOf: (genericName: string) => SearchKeys): SQL[] {
  if (recs.length === 0) return [];
  const productRows = sql`SELECT ${columns(PRODUCT_FIELDS)} FROM json_each(${JSON.stringify(distinctProducts(recs, keysOf))}) j`;
  const priceRows = recs.map((r) => [r.batchId, r.product.naturalKey, ...priceValues(r), r.renewsBatchId, r.supplyRegionCodes]);
  return [
    ...productStatements(productRows),
    ...priceStatements(sql`(SELECT ${columns(STAGED_PRICE_FIELDS)}, j.value->${trustedSql(String(STAGED_PRICE_FIELDS.length))} AS regions
      FROM json_each(${JSON.stringify(priceRows)}) j) s`),
  ];
}

/** A price row as staged: its batch, its product's natural key, its own columns. */
const STAGED_PRICE_FIELDS = [P.batchId, PR.naturalKey, ...PRICE_FIELDS, RENEWS_BATCH];

/**
 * The prices upsert and their supplied regions, from `rows` (an aliased `s` source with
 * STAGED_PRICE_FIELDS and `regions`, a JSON array of region codes).
 */
function priceStatements(rows: SQL): SQL[] {
  return [
    sql`INSERT INTO ${prices} (${PRICE_COLUMNS})
      SELECT ${s(P.batchId)}, ${productIdOf(s(PR.naturalKey))}, ${list("s.", PRICE_FIELDS)}
      FROM ${rows} WHERE true ${PRICE_UPSERT}`,
    ...regionStatements(rows),
    ...renewalStatements(rows),
  ];
}

/**
 * Renewals (续约): each written price links to the same product's price in the batch its row names
 * (null when it names none, so the file stays the truth); only links that change are written.
 * The earlier price is stamped as changed too, the one newly renewed and the one no longer renewed
 * (its `renewedBy` is read through the link, not stored): the change feed then carries it the night
 * the link is made, and its Atom entry says it was renewed (price-atom.ts). Stamped first, while the
 * old links still show which ones change.
 */
function renewalStatements(rows: SQL): SQL[] {
  const p = renderedAlias(prices, "p");
  const p0 = renderedAlias(prices, "p0");
  // l's id, cur and prev name the link, not a column: a price, the price it renews now and the one it should.
  const links = sql`SELECT ${p.id} AS id, ${p.renewsPriceId} AS cur,
        (SELECT ${p0.id} FROM ${prices} ${p0} WHERE ${p0.batchId} = ${s(RENEWS_BATCH)} AND ${p0.productId} = ${p.productId}) AS prev
      FROM ${rows} CROSS JOIN ${prices} ${p} ON ${p.batchId} = ${s(P.batchId)} AND ${p.productId} = ${productIdOf(s(PR.naturalKey))}`;
  return [
    sql`WITH l AS MATERIALIZED (${links}) UPDATE ${prices} SET ${pc.updatedAt} = strftime('%Y-%m-%dT%H:%M:%fZ','now')
      WHERE ${pc.id} IN (SELECT prev FROM l WHERE cur IS NOT prev UNION SELECT cur FROM l WHERE cur IS NOT prev)`,
    // Materialized, so the links drive the update (each looked up by id): as a subquery of the
    // UPDATE's FROM it was flattened into one join, planned as every price once per staged row.
    sql`WITH l AS MATERIALIZED (${links}) UPDATE ${prices} SET ${pc.renewsPriceId} = l.prev FROM l
      WHERE ${prices.id} = l.id AND ${prices.renewsPriceId} IS NOT l.prev`,
  ];
}

/** Per slice: the products already staged, as their JSON, so a product repeated in many batches goes in once. */
export type PriceStagingState = { products: Map<string, string> };

export const priceStaging: StagedWrite<PricesContext, PriceRecord> = {
  begin(ctx) {
    ctx.staging.products.clear();
    return [
      trustedSql(`CREATE TEMP TABLE IF NOT EXISTS import_products (${PR.naturalKey} TEXT PRIMARY KEY, ${UPDATABLE.join(", ")})`),
      trustedSql(`CREATE TEMP TABLE IF NOT EXISTS import_prices (${STAGED_PRICE_FIELDS.join(", ")}, regions)`),
      sql`DELETE FROM temp.import_products`,
      sql`DELETE FROM temp.import_prices`,
    ];
  },
  stage(recs, ctx) {
    if (recs.length === 0) return [];
    const productRows: string[] = [];
    for (const r of recs) {
      const json = JSON.stringify(productRow(r.product, ctx.keysOf(r.product.genericName)));
      const staged = ctx.staging.products;
      if (staged.get(r.product.naturalKey) === json) continue;
      staged.set(r.product.naturalKey, json);
      productRows.push(json);
    }
    const priceRows = recs.map((r) => [r.batchId, r.product.naturalKey, ...priceValues(r), r.renewsBatchId, r.supplyRegionCodes]);
    const statements: SQL[] = [];
    if (productRows.length) {
      // A product that comes again in the slice with other values replaces its staged row: the last wins.
      statements.push(sql`INSERT INTO temp.import_products (${PRODUCT_COLUMNS}) SELECT ${columns(PRODUCT_FIELDS)}
        FROM json_each(${`[${productRows.join(",")}]`}) j WHERE true
        ON CONFLICT(${pr.naturalKey}) DO UPDATE SET (${list("", UPDATABLE)}) = (${list("excluded.", UPDATABLE)})`);
    }
    // `regions` is the last element, a JSON array (`->`), so codes need no escaping rules of their own.
    statements.push(sql`INSERT INTO temp.import_prices (${list("", STAGED_PRICE_FIELDS)}, regions)
      SELECT ${columns(STAGED_PRICE_FIELDS)}, j.value->${trustedSql(String(STAGED_PRICE_FIELDS.length))} FROM json_each(${JSON.stringify(priceRows)}) j`);
    return statements;
  },
  apply(ctx) {
    ctx.staging.products.clear();
    return [
      ...productStatements(sql`SELECT * FROM temp.import_products`),
      ...priceStatements(sql`temp.import_prices s`),
      sql`DELETE FROM temp.import_products`,
      sql`DELETE FROM temp.import_prices`,
    ];
  },
  end() {
    return [sql`DROP TABLE IF EXISTS temp.import_products`, sql`DROP TABLE IF EXISTS temp.import_prices`];
  },
};

/** `j.value->>0 AS f0, j.value->>1 AS f1, …`: the JSON row's elements as named columns. */
function columns(fields: readonly string[]): SQL {
  return trustedSql(fields.map((f, i) => `j.value->>${i} AS ${f}`).join(", "));
}
