import { type SQL, sql } from "drizzle-orm";
import { batches, priceSearch, prices, searchGroups } from "../db/schema";
import { bareColumns, foldedSql, renderedAlias, trustedSql } from "../db/trusted-sql";
import type { PriceState } from "../domain/state";
import { priceBandOf, priceBandStart } from "./price-bands";
import type { PlaceFilter, PriceFilter } from "./price-filter";
import { allOf, anyOf, litInt, litInts, litText } from "./search-sql";

/**
 * The one place a PriceFilter becomes SQL. Every statement that filters prices reads price_search
 * (alias ps: one row per price with its batch, category, cycle, unit price, reduction and supply
 * regions, kept by triggers) or its groups (alias g, joined to batches b), so one rendering serves
 * ranked search, the other sorts, the CSV export, alternatives and the price check. Values are
 * inlined as exact literals (search-sql.ts: a page is a union of many reads, and D1 binds at most
 * 100 parameters per statement).
 */

/*
 * Columns through the schema, under the aliases the statements give their tables. `g` is any of the
 * group tables (search_groups, search_cells, search_price_cells …), which share search_groups' key
 * columns (src/db/schema.ts, groupKey). A tombstone's copies (ps.t_level, ps.t_synthetic) are
 * tombstones.ts's derived table, not a schema column: they stay literal.
 */
const ps = renderedAlias(priceSearch, "ps");
const g = renderedAlias(searchGroups, "g");
const b = renderedAlias(batches, "b");
const sp = renderedAlias(prices, "sp");
const batch = bareColumns(batches);
const CYCLE = {
  ps: { start: foldedSql`${ps.cycleStart}`, end: foldedSql`${ps.cycleEnd}` },
  g: { start: foldedSql`${g.cycleStart}`, end: foldedSql`${g.cycleEnd}` },
};

/**
 * A cycle's state on asOf as SQL, the rule of src/domain/state.ts: cycle dates are '' when not
 * published (price_search and its groups keep them so), YYYY-MM or YYYY-MM-DD.
 */
export function stateSql(cs: SQL, ce: SQL, asOf: string): SQL {
  const day = litText(asOf);
  return foldedSql`(CASE WHEN ${cs} = '' AND ${ce} = '' THEN 'unknown'
    WHEN ${ce} <> '' AND ${ce} < substr(${day}, 1, length(${ce})) THEN 'ended'
    WHEN ${cs} <> '' AND ${cs} > ${day} THEN 'upcoming' ELSE 'in_force' END)`;
}

/**
 * The cycle state of ps or g rows on a day, and whether it is in force, each built once per alias
 * and day: a ranked search repeats them in every key and group it reads, and building them anew
 * each time was a tenth of a search's time without read threads (cpu-prof, bench/compare.ts).
 */
const dayStates = new Map<string, { state: SQL; inForce: SQL; among: Map<string, SQL> }>();
function dayState(alias: "ps" | "g", asOf: string): { state: SQL; inForce: SQL; among: Map<string, SQL> } {
  const key = `${alias} ${asOf}`;
  let found = dayStates.get(key);
  if (found === undefined) {
    // A few days at a time (today, an asOf asked for); never more than this many kept.
    if (dayStates.size >= 64) dayStates.clear();
    // foldedSql makes each one text chunk: kept, they are neither built nor walked again.
    const state = stateSql(CYCLE[alias].start, CYCLE[alias].end, asOf);
    found = { state, inForce: foldedSql`${state} = 'in_force'`, among: new Map() };
    dayStates.set(key, found);
  }
  return found;
}

/** True for prices in force on asOf; ranked search puts them before the rest. */
export function inForceSql(alias: "ps" | "g", asOf: string): SQL {
  return dayState(alias, asOf).inForce;
}

/** The rows in one of these states on asOf; kept with the day's state (a handful of state lists are ever asked). */
function statesSql(alias: "ps" | "g", asOf: string, states: readonly PriceState[] | null): SQL[] {
  if (states === null) return [];
  const day = dayState(alias, asOf);
  const key = states.join(",");
  let among = day.among.get(key);
  if (among === undefined) day.among.set(key, (among = foldedSql`${day.state} IN (${sql.join(states.map(litText), foldedSql`, `)})`));
  return [among];
}

/**
 * A place on ps rows: nationwide, or a supply region among the place's codes. The masks first, an
 * integer test that rules out most prices before any text is searched.
 */
export function placeSql(place: PlaceFilter): SQL {
  const instr = anyOf(place.codes.map((c) => foldedSql`instr(${ps.regions}, ${litText(`,${c},`)}) > 0`));
  return foldedSql`(${ps.regions} = '' OR ((${ps.regionMask} & ${trustedSql(place.mask.toString())}) <> 0 AND ${instr}))`;
}

/**
 * The filters as cells of search_cells (drizzle/0008_search_region_mask.sql): the bits to sum
 * (65 every price; a province's bit and 63, nationwide, for a place) from a reduction band up.
 * `region` says a place is among them: a group holding a price whose mask has every bit (64) must
 * then still be counted price by price. `partialBelow`: a minimum reduction inside a band (61.81 %)
 * sums the whole bands from the next one up (`minBand`) and counts the prices from the minimum up to
 * `partialBelow`, where that band ends, through the groups' reduction indexes (drizzle/0019).
 */
export type CellFilter = { bits: number[]; minBand: number | null; region: boolean; partialBelow: number | null; cityFlag: number | null };

/** search_cells' bit for prices listing a code longer than a province's under bit b (drizzle/0021). */
const CITY_FLAG_BASE = 100;

const NATIONWIDE_BIT = 63;
const EVERY_PRICE_BIT = 65;

export type FilterSql = {
  filter: PriceFilter;
  asOf: string;
  /** On a group of prices (alias g, its batch joined as b): batch, level, category and state pick whole groups. */
  group: SQL[];
  /** On ps rows, the filters that do not pick whole groups: reduction, unit price, places. */
  rows: SQL[];
  /** The manufacturer filter as firm ids on ps rows (empty when none is given). */
  firms: SQL[];
  /** Every filter on ps rows, for reads of rows rather than groups. */
  allRows: SQL[];
  /** The filters that pick whole groups, on ps rows (for reads of rows across many groups). */
  groupOnRows: SQL[];
  /**
   * Every filter on the ps rows of one matched group's range (one term, batch and cycle, which the
   * group filters already picked): the batch, level, cycle state and synthetic batches are then
   * given, and only the category (a range holds every category of its term) and the row filters remain.
   */
  inRange: SQL[];
  /** Set when search_cells can count what `rows` keep without reading them. */
  cells: CellFilter | null;
  /** Set when a maximum unit price is the only row filter: search_price_cells count it. */
  priceCells: PriceCellFilter | null;
  /**
   * Set when the row filters are a minimum reduction of zero or more and a maximum unit price, and
   * nothing else: a group's count is then its prices from the minimum reduction up (search_cells)
   * less those of them dearer than the maximum, when those are the fewer to read.
   */
  reductionUnderPrice: ReductionUnderPrice | null;
};

/** A minimum reduction (as cells, and in basis points) under a maximum unit price (e4, and its band of search_price_cells). */
export type ReductionUnderPrice = { cells: CellFilter; minBp: number; max: number; band: number };

/**
 * A maximum unit price as bands of search_price_cells: the bands below `band` whole, and the prices
 * of `band` from `from` (its least price) to `max`, read from the groups' rank indexes.
 */
export type PriceCellFilter = { band: number; from: number; max: number };

/**
 * `copied`: on a price's search row as a tombstone keeps it (src/services/tombstones.ts), whose
 * price and batch may be gone: the level and the synthetic flag are read from the copies beside it
 * (t_level, t_synthetic) instead of from their tables.
 */
export function renderFilter(f: PriceFilter, { copied = false }: { copied?: boolean } = {}): FilterSql {
  const group: SQL[] = [];
  const byGroupOnRows: SQL[] = [];
  if (f.batch !== undefined) {
    group.push(foldedSql`${g.batchId} = ${litText(f.batch)}`);
    byGroupOnRows.push(foldedSql`${ps.batchId} = ${litText(f.batch)}`);
  }
  if (f.level !== undefined) {
    group.push(foldedSql`${b.level} = ${litText(f.level)}`);
    byGroupOnRows.push(
      copied
        ? foldedSql`ps.t_level = ${litText(f.level)}`
        : foldedSql`${ps.batchId} IN (SELECT ${batch.id} FROM ${batches} WHERE ${batch.level} = ${litText(f.level)})`,
    );
  }
  const category: SQL[] = [];
  if (f.category !== undefined) {
    group.push(foldedSql`${g.category} = ${litText(f.category)}`);
    category.push(foldedSql`${ps.category} = ${litText(f.category)}`);
    byGroupOnRows.push(...category);
  }
  group.push(...statesSql("g", f.asOf, f.states));
  byGroupOnRows.push(...statesSql("ps", f.asOf, f.states));

  if (copied && f.synthetic !== undefined) {
    byGroupOnRows.push(foldedSql`ps.t_synthetic = ${litInt(f.synthetic ? 1 : 0)}`);
  } else if (f.syntheticBatches) {
    const { whole, mixed } = f.syntheticBatches;
    const kept = [...whole, ...mixed];
    group.push(kept.length ? foldedSql`${g.batchId} IN (${sql.join(kept.map(litText), foldedSql`, `)})` : foldedSql`0`);
    byGroupOnRows.push(kept.length ? foldedSql`${ps.batchId} IN (${sql.join(kept.map(litText), foldedSql`, `)})` : foldedSql`0`);
  }

  const rows: SQL[] = [];
  if (!copied && f.syntheticBatches?.mixed.length) {
    // Only in a batch that mixes demo and real prices is the flag read price by price.
    rows.push(foldedSql`(${ps.batchId} NOT IN (${sql.join(f.syntheticBatches.mixed.map(litText), foldedSql`, `)})
      OR EXISTS (SELECT 1 FROM ${prices} ${sp} WHERE ${sp.id} = ${ps.priceId} AND ${sp.synthetic} = ${litInt(f.synthetic ? 1 : 0)}))`);
  }
  // Bounds past any stored figure (maxUnitPrice=1e22) mean "no bound": clamped to an exact integer literal.
  // Unary +: not a bound on the groups' reduction indexes (0019), which serve only the partial band of a
  // cell count; a count or page under both bounds reads the unit-price range, as it did before them.
  if (f.minDiscountBp !== undefined) rows.push(foldedSql`+${ps.discountBp} >= ${litInt(clampInt(f.minDiscountBp))}`);
  if (f.maxUnitPriceE4 !== undefined) rows.push(foldedSql`${ps.unitPriceE4} <= ${litInt(clampInt(f.maxUnitPriceE4))}`);
  for (const place of f.places) rows.push(placeSql(place));
  // The firms go last: search reads them as a further word (search_pairs counts a name's prices per firm).
  const firms = f.firmIds === undefined ? [] : [f.firmIds.length ? foldedSql`${ps.firmId} IN (${litInts(f.firmIds)})` : foldedSql`0`];
  return {
    filter: f,
    asOf: f.asOf,
    group,
    rows,
    firms,
    allRows: [...byGroupOnRows, ...rows, ...firms],
    groupOnRows: byGroupOnRows,
    inRange: [...category, ...rows, ...firms],
    cells: rows.length ? cellFilter(f) : null,
    priceCells: priceCellFilter(f),
    reductionUnderPrice: reductionUnderPrice(f),
  };
}

function reductionUnderPrice(f: PriceFilter): ReductionUnderPrice | null {
  if (f.minDiscountBp === undefined || f.maxUnitPriceE4 === undefined || f.places.length || f.syntheticBatches?.mixed.length) return null;
  const cells = cellFilter({ ...f, maxUnitPriceE4: undefined });
  if (!cells) return null;
  const max = clampInt(f.maxUnitPriceE4);
  return { cells, minBp: f.minDiscountBp, max, band: priceBandOf(max) };
}

function priceCellFilter(f: PriceFilter): PriceCellFilter | null {
  if (f.maxUnitPriceE4 === undefined || f.minDiscountBp !== undefined || f.places.length || f.syntheticBatches?.mixed.length) return null;
  const max = clampInt(f.maxUnitPriceE4);
  const band = priceBandOf(max);
  return { band, from: priceBandStart(band), max };
}

function cellFilter(f: PriceFilter): CellFilter | null {
  // The synthetic flag of a mixed batch and a maximum unit price are not in search_cells; a reduction is, in bands of 10 %; one place is, by its bit.
  if (f.syntheticBatches?.mixed.length || f.maxUnitPriceE4 !== undefined || f.places.length > 1) return null;
  let minBand: number | null = null;
  let partialBelow: number | null = null;
  if (f.minDiscountBp !== undefined) {
    // Below zero the bands are not in order (-1 any negative reduction, -2 none published).
    if (f.minDiscountBp < 0 || !Number.isSafeInteger(f.minDiscountBp)) return null;
    minBand = Math.ceil(f.minDiscountBp / 1000);
    if (f.minDiscountBp % 1000 !== 0) partialBelow = minBand * 1000;
  }
  const [place] = f.places;
  if (!place) return { bits: [EVERY_PRICE_BIT], minBand, region: false, partialBelow, cityFlag: null };
  if (place.bit !== null) return { bits: [place.bit, NATIONWIDE_BIT], minBand, region: true, partialBelow, cityFlag: null };
  // A city: its province's prices supply it, where no price of the group lists a city under that bit.
  if (place.provinceBit !== null)
    return { bits: [place.provinceBit, NATIONWIDE_BIT], minBand, region: true, partialBelow, cityFlag: CITY_FLAG_BASE + place.provinceBit };
  return null;
}

/** Every filter as one condition on ps rows. */
export const filterCondition = (f: FilterSql): SQL => allOf(f.allRows);

const clampInt = (x: number) => Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, Math.round(x)));
