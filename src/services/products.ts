import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { PRODUCT_ANSWER_KEYS, type ProductAnswerRow, selectColumns } from "../db/rows";
import { batches, priceSearch, prices, products } from "../db/schema";
import { bareColumns, foldedSql, renderedAlias } from "../db/trusted-sql";
import { addFractions, dddUnitsPerDay, discountBasisPoints, e4ToYuan, type Fraction, fractionE4ToYuan, therapyCost, unitPrice } from "../domain";
import { priceState } from "../domain/state";
import { normalizeStrength } from "../domain/strength";
import { notFound } from "../errors";
import { storedBidLandscapes } from "./batches";
import { groupOf } from "./bids";
import { type PriceFilterInput, parsePriceFilter } from "./price-filter";
import { renderFilter } from "./price-filter-sql";
import { PRICE_COLUMNS, PRICE_FROM, type PriceSqlRow, parseBrands, regionNamesOf, toPriceView } from "./price-view";
import { cheapestEquivalentsSql, equivalentIds } from "./search-equivalents";
import { allOf } from "./search-sql";

/** Columns through the schema: bare for the one-table read of products, else under PRICE_FROM's aliases. */
const productCol = bareColumns(products);
const p = renderedAlias(prices, "p");
const b = renderedAlias(batches, "b");
const ps = renderedAlias(priceSearch, "ps");

const PRODUCT_COLUMNS = foldedSql`${productCol.id}, ${selectColumns(products, PRODUCT_ANSWER_KEYS)}`;

type ProductSqlRow = { id: number } & ProductAnswerRow;

/** What the product page is asked: where the user buys (province=, region=) and on which day (asOf, state, include). */
export type ProductQuery = Pick<PriceFilterInput, "province" | "region" | "asOf" | "include" | "state"> & { alternativesLimit?: number; unitsPerDay?: number };

/**
 * A product, its chosen prices across batches in date order, and cheaper equivalents from other
 * firms. The history is the product's whole record (each price with its state on asOf), limited to
 * the place asked about; the alternatives are only what the place can buy in the states asked for
 * (by default, in force or of unknown cycle on asOf).
 */
export async function getProduct(db: Db, id: number, query: ProductQuery = {}) {
  const [product] = await readRows<ProductSqlRow>(db, foldedSql`SELECT ${PRODUCT_COLUMNS} FROM ${products} WHERE ${productCol.id} = ${id}`);
  if (!product) throw notFound("product", id);
  const filter = await parsePriceFilter(db, query);
  const filters = renderFilter(filter);
  const placeOnly = renderFilter({ ...filter, states: null });
  const asOf = filter.asOf;

  const historyRows = await readRows<PriceSqlRow>(
    db,
    foldedSql`SELECT ${PRICE_COLUMNS} FROM ${PRICE_FROM} JOIN ${priceSearch} ${ps} ON ${ps.priceId} = ${p.id}
    WHERE ${p.productId} = ${id} AND ${allOf(placeOnly.rows)}
    ORDER BY COALESCE(${p.cycleStart}, ${b.cycleStart}, ${b.announced}, '') ASC, ${p.id} ASC`,
  );
  // Savings are counted against the price the user pays now: the latest in force, else the latest.
  const current = [...historyRows].reverse().find((r) => priceState(r.cycleStart, r.cycleEnd, asOf) === "in_force") ?? historyRows[historyRows.length - 1];
  // Equivalent products: the same generic name and form, the same strength once normalised (0.5g =
  // 500mg). Each published spec has an equiv_id whose prices price_search_equiv_rank_idx holds in
  // unit-price order: the cheapest are the first entries of a range or two, not a sort of them all.
  const equivalents = await equivalentIds(db, product);
  const alternativeRows = await readRows<PriceSqlRow>(
    db,
    foldedSql`SELECT ${PRICE_COLUMNS} FROM ${PRICE_FROM}
    WHERE ${p.id} IN (${cheapestEquivalentsSql(equivalents, allOf([foldedSql`${ps.productId} <> ${id}`, ...filters.allRows]), query.alternativesLimit ?? 20)})
    ORDER BY ${p.unitPriceE4} ASC, ${p.id} ASC`,
  );
  const names = await regionNamesOf(db, [...historyRows, ...alternativeRows]);
  const history = historyRows.map((row, i) => {
    const view = toPriceView(row, names, asOf);
    // A renewal changes from the price it continues (续约); other prices from the one before them.
    const prev = (row.renews !== null ? historyRows.find((h) => h.id === row.renews) : undefined) ?? historyRows[i - 1];
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
    const view = toPriceView(row, names, asOf);
    const savingPerUnit = current
      ? fractionE4ToYuan(subtract(unitPrice(BigInt(current.chosenPriceE4), current.packageQty), unitPrice(BigInt(row.chosenPriceE4), row.packageQty)), 4)
      : null;
    return { ...view, savingPerUnit };
  });

  // Units a day: as asked, else one WHO defined daily dose where src/domain/ddd.ts lists the substance, else 1 (said so).
  const ddd = product.category === "drug" ? dddUnitsPerDay(product) : null;
  const therapy = current
    ? therapyCost({
        category: product.category,
        chosenPriceE4: BigInt(current.chosenPriceE4),
        packageQty: current.packageQty,
        unitsPerDay: query.unitsPerDay,
        dddUnitsPerDay: ddd?.unitsPerDay ?? null,
        ddd,
      })
    : null;
  // The bids its generic name, form and strength drew in each batch of its history (stored with the batch statistics).
  const batchesOfHistory = [...new Set(historyRows.map((r) => r.batchId))];
  const landscapes = await storedBidLandscapes(db, batchesOfHistory);
  const bidLandscape = batchesOfHistory.flatMap((batchId) => {
    const landscape = landscapes.get(batchId);
    const group = landscape ? groupOf(landscape, product) : null;
    const batchName = historyRows.find((r) => r.batchId === batchId)!.batchName;
    return group ? [{ batch: { id: batchId, name: batchName }, losingBidsKnown: landscape!.losingBidsKnown, ...group }] : [];
  });
  return {
    asOf,
    bidLandscape,
    therapy: therapy && current ? { priceId: current.id, ...therapy } : null,
    product: {
      ...product,
      brandNames: parseBrands(product.brandNames),
      originator: product.originator === null ? null : Boolean(product.originator),
      strengthNormalized: normalizeStrength(product.spec),
      synthetic: Boolean(product.synthetic),
    },
    history,
    alternatives,
  };
}

/** What getProduct answers: plain data, so it crosses threads by structured clone. */
export type ProductAnswer = Awaited<ReturnType<typeof getProduct>>;

function subtract(a: Fraction, b: Fraction): Fraction {
  return addFractions(a, { num: -b.num, den: b.den });
}

function negatePct(bp: number | null): number | null {
  return bp === null ? null : -bp / 100;
}
