import { getTableName } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { batches, type Category, type Level, prices, regions } from "../db/schema";
import { columnNames } from "../db/trusted-sql";
import { regionBit, regionMask } from "../domain/region-mask";
import { DEFAULT_STATES, isIsoDate, PRICE_STATES, type PriceState, todayInChina } from "../domain/state";
import { AppError } from "../errors";
import { derivedFromData } from "./data-version";
import { yuanToE4Loose } from "./price-filter-values";
import { findPlace, provinceOf, regionsNamedIn, relatedRegionCodes } from "./regions";
import { findTerms } from "./search-terms";

/**
 * The filters of a price question (search, export, alternatives, price check), parsed once into
 * typed values: ids, codes, numbers, dates. Nothing here is SQL; src/services/price-filter-sql.ts
 * renders them, in one place, for every statement that needs them.
 */
export type PriceFilter = {
  batch?: string;
  level?: Level;
  category?: Category;
  /** A fragment of the firm's name, matched anywhere in it. */
  manufacturer?: string;
  /** The firms (search_terms) whose name holds `manufacturer`: the filter as ids, read from the rank indexes. */
  firmIds?: number[];
  minDiscountBp?: number;
  maxUnitPriceE4?: number;
  /** Every place must be supplied (region= and province= together mean both). */
  places: PlaceFilter[];
  /** The day the state is judged on (YYYY-MM-DD, China's calendar). */
  asOf: string;
  /** The states kept; null keeps every state. */
  states: readonly PriceState[] | null;
  /** false: real prices only; true: generated demo data only; undefined: both. */
  synthetic?: boolean;
  /** `synthetic` by batch: batches whose prices are all of the kind asked for, and batches that mix both. */
  syntheticBatches?: SyntheticBatches;
};

/** A batch is nearly always wholly demo data or wholly real, so the flag picks whole groups of prices. */
export type SyntheticBatches = { whole: string[]; mixed: string[] };

/**
 * Prices a place can buy: those supplying it, a region above it or one below it, and nationwide
 * prices. `codes` are those regions; `mask` their bits in price_search.region_mask; `bit` the one
 * bit that stands for exactly these codes, when there is one (search_cells can then count them);
 * `provinceBit`, for a place below a province, the bit that stands for exactly that province and its
 * regions (search_cells count the place's prices from it in groups where no price lists a city).
 */
export type PlaceFilter = { code: string; name: string; codes: string[]; mask: bigint; bit: number | null; provinceBit: number | null };

/** What the HTTP layer hands over: the query parameters as validated by the route. */
export type PriceFilterInput = {
  batch?: string;
  level?: Level;
  category?: Category;
  region?: string;
  province?: string;
  manufacturer?: string;
  minDiscount?: number;
  maxUnitPrice?: number;
  asOf?: string;
  include?: "ended" | "all";
  state?: readonly PriceState[];
  synthetic?: boolean;
};

/** `state=in_force,upcoming` as a list; an unknown state is the caller's mistake, named. */
export function parseStates(raw: string | readonly string[] | undefined): PriceState[] | undefined {
  if (raw === undefined) return undefined;
  const parts = (typeof raw === "string" ? raw.split(",") : raw).map((s) => s.trim()).filter(Boolean);
  const bad = parts.filter((s) => !(PRICE_STATES as readonly string[]).includes(s));
  if (bad.length) throw new AppError(400, "invalid_state", `state ${JSON.stringify(bad[0])} is not one of ${PRICE_STATES.join(", ")}`);
  return parts.length ? [...new Set(parts as PriceState[])] : undefined;
}

/** asOf as given, or today in China; a date that is not a real YYYY-MM-DD day is a 400. */
export function readAsOf(asOf: string | undefined): string {
  if (asOf === undefined || asOf === "") return todayInChina();
  if (!isIsoDate(asOf)) throw new AppError(400, "invalid_as_of", `asOf ${JSON.stringify(asOf)} is not a date (YYYY-MM-DD)`);
  return asOf;
}

/** `state=` when given; else in force and unknown, or everything with include=ended. */
export function statesOf(input: Pick<PriceFilterInput, "include" | "state">): readonly PriceState[] | null {
  if (input.state?.length) return input.state.length === PRICE_STATES.length ? null : input.state;
  if (input.include === "ended" || input.include === "all") return null;
  return DEFAULT_STATES;
}

export async function parsePriceFilter(db: Db, input: PriceFilterInput): Promise<PriceFilter> {
  const places: PlaceFilter[] = [];
  if (input.region) places.push(await keptPlaceFilter(db, input.region, "region"));
  if (input.province) places.push(await keptPlaceFilter(db, input.province, "province"));
  const manufacturer = input.manufacturer?.trim() || undefined;
  return {
    batch: input.batch,
    level: input.level,
    category: input.category,
    manufacturer,
    firmIds: manufacturer === undefined ? undefined : await firmsContaining(db, manufacturer),
    minDiscountBp: input.minDiscount === undefined ? undefined : Math.round(input.minDiscount * 100),
    maxUnitPriceE4: input.maxUnitPrice === undefined ? undefined : Number(yuanToE4Loose(input.maxUnitPrice)),
    places,
    asOf: readAsOf(input.asOf),
    states: statesOf(input),
    synthetic: input.synthetic,
    syntheticBatches: input.synthetic === undefined ? undefined : await syntheticBatches(db, input.synthetic),
  };
}

/**
 * Firms whose name holds the fragment, as the search dictionary keeps firm names (lower case, ASCII
 * brackets), through its trigram or gram index: a lookup per distinct firm instead of a LIKE per price.
 */
async function firmsContaining(db: Db, fragment: string): Promise<number[]> {
  const text = fragment.replace(/（/g, "(").replace(/）/g, ")").toLowerCase();
  const terms = await findTerms(db, text);
  return terms.filter((t) => t.kind === "firm" && t.term.includes(text)).map((t) => t.id);
}

/*
 * The two reads below are SQL text through readRows (every synthetic and place filter of a search
 * runs them), their table and column names from the schema: the text is the same as written by hand.
 */
const PRICES = getTableName(prices);
const P = columnNames(prices);
const BATCHES = getTableName(batches);
const B = columnNames(batches);
const REGIONS = getTableName(regions);
const R = columnNames(regions);

/** Per batch, whether it holds prices of this kind and of the other (two index probes each, prices_batch_synthetic_idx). */
async function syntheticBatches(db: Db, synthetic: boolean): Promise<SyntheticBatches> {
  const rows = await readRows<{ id: string; wanted: number; other: number }>(
    db,
    `SELECT b.${B.id} AS id,
      EXISTS (SELECT 1 FROM ${PRICES} p WHERE p.${P.batchId} = b.${B.id} AND p.${P.synthetic} = ?) AS wanted,
      EXISTS (SELECT 1 FROM ${PRICES} p WHERE p.${P.batchId} = b.${B.id} AND p.${P.synthetic} = ?) AS other
    FROM ${BATCHES} b`,
    [synthetic ? 1 : 0, synthetic ? 0 : 1],
  );
  return {
    whole: rows.filter((r) => r.wanted && !r.other).map((r) => r.id),
    mixed: rows.filter((r) => r.wanted && r.other).map((r) => r.id),
  };
}

/** A place as placeFilter reads it, kept until the next import (regions change only with one). */
const keptPlaceFilter = (db: Db, text: string, kind: "region" | "province"): Promise<PlaceFilter> =>
  derivedFromData(db, `place:${kind}:${text}`, () => placeFilter(db, text, kind));

/**
 * region=: the region itself (code, name or short name). province=: the province a hospital is in;
 * a city resolves to its province, since what a province's alliance bought, all its cities can buy.
 */
async function placeFilter(db: Db, text: string, kind: "region" | "province"): Promise<PlaceFilter> {
  const found = await findPlace(db, text);
  if (!found) {
    // A hospital is in one place: a text naming several gets the names to choose from.
    const several = await regionsNamedIn(db, text);
    if (several.length > 1)
      throw new AppError(
        400,
        `unknown_${kind}`,
        `${kind} ${JSON.stringify(text)} names ${several.length} regions (${several.map((r) => r.name).join(", ")}): ask for one of them`,
      );
    throw new AppError(400, `unknown_${kind}`, `${kind} ${JSON.stringify(text)} is neither a known code nor a name`);
  }
  const place = kind === "province" ? await provinceOf(db, found) : found;
  const codes = await relatedRegionCodes(db, place.code);
  const bit = await wholeBitOf(db, codes);
  const province = bit === null ? await provinceOf(db, place) : null;
  const provinceBit = province && province.code !== place.code ? await wholeBitOf(db, await relatedRegionCodes(db, province.code)) : null;
  return { code: place.code, name: place.name, codes, mask: regionMask(codes), bit, provinceBit };
}

/**
 * The bit of the region mask that stands for exactly these codes, or null: they must share one bit
 * and no other region may have it. A province with every region under it qualifies (its GB/T 2260
 * codes share their first two digits); a city does not, since its province's other cities share its
 * bit. The bit rule is regionMask's, written here in SQL as in migration 0008.
 */
async function wholeBitOf(db: Db, codes: string[]): Promise<number | null> {
  const bits = new Set(codes.map(regionBit));
  const [bit] = [...bits];
  if (bits.size !== 1 || bit === undefined || bit === null) return null;
  const [row] = await readRows<{ n: number }>(
    db,
    `SELECT count(*) AS n FROM ${REGIONS} WHERE (unicode(substr(${R.code}, 1, 1)) * 7 + unicode(CASE WHEN length(${R.code}) > 1 THEN substr(${R.code}, 2, 1) ELSE ',' END)) % 53 = ?`,
    [bit],
  );
  return row?.n === codes.length ? bit : null;
}
