import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows, readRowsAsJson } from "../db/read-rows";
import {
  batches,
  priceSearch,
  prices,
  products,
  searchCells,
  searchCodeGroups,
  searchCodePriceCells,
  searchCodePrices,
  searchGroups,
  searchPairs,
  searchPriceCells,
} from "../db/schema";
import { foldedSql, renderedAlias } from "../db/trusted-sql";
import { OTHER_FIELDS_TIER } from "../domain/search-query";
import { AppError } from "../errors";
import { decodeCursor, encodeCursor } from "./cursor";
import { firstRows, groupsArm, mergeCheaper } from "./group-arms";
import { priceBandEnd, priceBandStart } from "./price-bands";
import { type CellFilter, type FilterSql, inForceSql, type PriceCellFilter } from "./price-filter-sql";
import { CODE_LEVELS, CODE_PRICE_CELL_LEVELS, charLength, planIsEmpty, type SearchPlan } from "./search-match";
import { productsSql } from "./search-products";
import { allOf, anyOf, litInt, litInts, litText, startsWith, unionAll } from "./search-sql";
import { DEFAULT_SEARCH_TUNING, type SearchTuning } from "./search-tuning";
import { wordCondition } from "./search-words";

// The statements' table aliases, through the schema: a renamed column fails typecheck. `g` and `c`
// stand for whichever group or cell table a statement reads (they share their key columns).
const ps = renderedAlias(priceSearch, "ps");
const p = renderedAlias(prices, "p");
const pr = renderedAlias(products, "pr");
const b = renderedAlias(batches, "b");
const g = renderedAlias(searchGroups, "g");
const cg = renderedAlias(searchCodeGroups, "g");
const c = renderedAlias(searchCells, "c");
const pcells = renderedAlias(searchPriceCells, "c");
const cpc = renderedAlias(searchCodePriceCells, "c");
const sp = renderedAlias(searchPairs, "sp");
// Under price_search's alias: the filters rendered for ps rows read columns it holds too.
const cps = renderedAlias(searchCodePrices, "ps");

/**
 * Relevance-ranked price search over price_search. Rank key: (tier, not current, unit price, id),
 * all ascending, so a keyset cursor on it never repeats or skips a row.
 *
 * The matched prices come in groups (search_groups): one name or firm, one batch, one category, one
 * procurement cycle. A group is wholly in cycle or not, and is one contiguous range of a rank index
 * ordered by unit price and id. So one query counts the matched set per group (the group's count
 * when only batch, level or category narrow it, else a count over that range alone), and the page
 * is a merge of the few groups that can reach it, each read from its range already in order and
 * limited. A part that no price satisfies is never read.
 */

export type RankKey = { tier: number; notCurrent: number; unitPriceE4: number; id: number };

export function encodeRankCursor(k: RankKey): string {
  return encodeCursor({ v: `${k.tier}:${k.notCurrent}:${k.unitPriceE4}`, id: k.id });
}

export function decodeRankCursor(raw: string): RankKey {
  const c = decodeCursor(raw);
  const m = typeof c.v === "string" ? /^([0-3]):([01]):(-?\d{1,15})$/.exec(c.v) : null;
  if (!m) throw new AppError(400, "invalid_cursor", "cursor belongs to another sort; start again without it");
  return { tier: Number(m[1]), notCurrent: Number(m[2]), unitPriceE4: Number(m[3]), id: c.id };
}

/** Conditions every matched row meets besides its key: the filters on rows and the further words. */
function rowConditions(plan: SearchPlan, filters: FilterSql): SQL[] {
  return [...filters.rows, ...plan.words.map(wordCondition)];
}

/**
 * Prices of these names as one condition on ps rows: a name's whole range, or for a name reached by
 * dropping a form word (search-stems.ts) only its prices of fitting forms.
 */
export function namesCondition(names: SearchPlan["names"]): SQL {
  const whole = names.filter((n) => !n.only).map((n) => n.id);
  const parts = whole.length ? [foldedSql`${ps.nameId} IN (${litInts(whole)})`] : [];
  for (const n of names) if (n.only) parts.push(allOf([foldedSql`${ps.nameId} = ${litInt(n.id)}`, n.only]));
  return anyOf(parts);
}

/** Rows of the firm segment or the code segment must not be counted again under a name or a firm. */
function notNamed(plan: SearchPlan): SQL[] {
  if (!plan.names.length) return [];
  if (plan.names.some((n) => n.only)) return [foldedSql`NOT ${namesCondition(plan.names)}`];
  return [foldedSql`${ps.nameId} NOT IN (${litInts(plan.names.map((n) => n.id))})`];
}
function notFirm(plan: SearchPlan): SQL[] {
  return plan.firms.length ? [foldedSql`(${ps.firmId} IS NULL OR ${ps.firmId} NOT IN (${litInts(plan.firms.map((f) => f.id))}))`] : [];
}

/**
 * The plan as one condition on price_search rows (any segment), for the other sorts. `walk`: the
 * condition tests each row of a walk of that many steps, over a start of a code held by `codePrices`
 * prices, so a start is tested on each product's row when that costs less than building its set.
 */
export function planCondition(plan: SearchPlan, walk?: { steps: number; codePrices: number }): SQL {
  const parts: SQL[] = [];
  if (plan.names.length) parts.push(namesCondition(plan.names));
  if (plan.firms.length) parts.push(foldedSql`${ps.firmId} IN (${litInts(plan.firms.map((f) => f.id))})`);
  if (plan.products)
    parts.push((walk && productRowCondition(plan, walk.steps, walk.codePrices)) ?? foldedSql`${ps.productId} IN (${productsSql(plan.products)})`);
  if (!parts.length) return foldedSql`0`;
  return allOf([anyOf(parts), ...plan.words.map(wordCondition)]);
}

/**
 * Matched prices of one group: a name (n) or a firm (f) in one batch, category and cycle; or, per
 * batch, category and cycle, the prices matched by code (p) or by many firms at once (F).
 */
export type Group = {
  kind: "n" | "f" | "F" | "p";
  termId: number;
  batchId: string;
  batchName: string;
  level: string;
  category: string;
  cs: string;
  ce: string;
  cur: number;
  n: number;
  /** The group's prices before any row filter (search_groups.n): what reading its whole range reads. */
  size: number;
};

/** A Group's columns, as the parts of matchedGroups select them. */
const GROUP_COLUMNS: ReadonlyArray<keyof Group> = ["kind", "termId", "batchId", "batchName", "level", "category", "cs", "ce", "cur", "n", "size"];

/** The matched set per group, with every filter applied; one query. */
export async function matchedGroups(db: Db, plan: SearchPlan, filters: FilterSql, tuning: SearchTuning = DEFAULT_SEARCH_TUNING): Promise<Group[]> {
  if (planIsEmpty(plan)) return [];
  const rowConds = rowConditions(plan, filters);
  const groupWhere = allOf([foldedSql`${g.n} > 0`, ...filters.group]);
  const cur = inForceSql("g", filters.asOf);
  const cols = foldedSql`${g.termId} AS termId, ${g.batchId} AS batchId, ${b.name} AS batchName, ${b.level} AS level, ${g.category} AS category,
    ${g.cycleStart} AS cs, ${g.cycleEnd} AS ce, ${cur} AS cur, ${g.n} AS size`;
  const inGroup = (col: "name_id" | "firm_id") =>
    foldedSql`${col === "name_id" ? ps.nameId : ps.firmId} = ${g.termId} AND ${ps.batchId} = ${g.batchId} AND ${ps.cycleStart} = ${g.cycleStart} AND ${ps.cycleEnd} = ${g.cycleEnd} AND ${ps.category} = ${g.category}`;
  // The prices of a group that a minimum reduction inside a band keeps within that band (CellFilter.partialBelow).
  const partBelow = filters.cells?.partialBelow;
  const partFrom = filters.filter.minDiscountBp;
  const partial = (col: "name_id" | "firm_id", conds: SQL[]) =>
    partBelow == null || partFrom === undefined
      ? foldedSql`0`
      : foldedSql`(SELECT count(*) FROM ${priceSearch} ${ps}
          WHERE ${allOf([inGroup(col), foldedSql`${ps.discountBp} >= ${litInt(partFrom)} AND ${ps.discountBp} < ${litInt(partBelow)}`, ...conds])})`;
  // A maximum unit price alone: the bands of search_price_cells below its own, and its own band's prices up to it.
  const priceCells = (col: "name_id" | "firm_id", pc: PriceCellFilter) =>
    foldedSql`((SELECT COALESCE(SUM(${pcells.n}), 0) FROM ${searchPriceCells} ${pcells} WHERE ${pcells.termId} = ${g.termId} AND ${pcells.batchId} = ${g.batchId} AND ${pcells.category} = ${g.category}
        AND ${pcells.cycleStart} = ${g.cycleStart} AND ${pcells.cycleEnd} = ${g.cycleEnd} AND ${pcells.pband} < ${litInt(pc.band)})
      + (SELECT count(*) FROM ${priceSearch} ${ps} WHERE ${inGroup(col)} AND ${ps.unitPriceE4} >= ${litInt(pc.from)} AND ${ps.unitPriceE4} <= ${litInt(pc.max)}))`;
  // A minimum reduction under a maximum unit price: read the prices at or under the maximum, or, when
  // the bands wholly under the maximum already hold most of the group, the reduction's cells less the dearer prices.
  const rup = filters.reductionUnderPrice;
  const reductionUnderPrice = (col: "name_id" | "firm_id", scan: SQL): SQL | null => {
    if (!rup) return null;
    const { cells, minBp, max, band } = rup;
    const partialReduction =
      cells.partialBelow === null
        ? foldedSql`0`
        : foldedSql`(SELECT count(*) FROM ${priceSearch} ${ps} WHERE ${inGroup(col)} AND ${ps.discountBp} >= ${litInt(minBp)} AND ${ps.discountBp} < ${litInt(cells.partialBelow)})`;
    const dearer = foldedSql`(SELECT count(*) FROM ${priceSearch} ${ps} WHERE ${inGroup(col)} AND +${ps.discountBp} >= ${litInt(minBp)} AND ${ps.unitPriceE4} > ${litInt(max)})`;
    const cheap = foldedSql`(SELECT COALESCE(SUM(${pcells.n}), 0) FROM ${searchPriceCells} ${pcells} WHERE ${pcells.termId} = ${g.termId} AND ${pcells.batchId} = ${g.batchId}
        AND ${pcells.category} = ${g.category} AND ${pcells.cycleStart} = ${g.cycleStart} AND ${pcells.cycleEnd} = ${g.cycleEnd} AND ${pcells.pband} < ${litInt(band)})`;
    return foldedSql`(CASE WHEN 2 * ${cheap} > ${g.n} THEN ${cellsCountSql(cells, scan, partialReduction)} - ${dearer} ELSE ${scan} END)`;
  };
  const parts: SQL[] = [];
  // Names that count the same way share one part of the query.
  const byCount = new Map<string, { n: SQL; ids: number[] }>();
  const scanOf = (only?: SQL) =>
    foldedSql`(SELECT count(*) FROM ${priceSearch} ${ps} WHERE ${allOf([inGroup("name_id"), ...(only ? [only] : []), ...rowConds])})`;
  // A name's count depends on it only through the words it leaves open: names that leave the same
  // ones count alike, and their SQL is built once (a listing's 190 names built it 190 times: the
  // varied bench's 298 searches took 1.09–1.12 times as long).
  const byOpenWords = new Map<string, { key: string; n: SQL }>();
  const countOf = (id: number) => {
    const scan = scanOf();
    return (
      nameCountSql(plan, filters, id, scan, partial("name_id", rowConds), filters.priceCells && priceCells("name_id", filters.priceCells)) ??
      (rup && !plan.words.some((w) => !w.names.includes(id)) ? { key: "reduction-under-price", n: reductionUnderPrice("name_id", scan) as SQL } : null) ?? {
        key: "scan",
        n: scan,
      }
    );
  };
  for (const { id, only } of plan.names) {
    const open = plan.words.flatMap((w, i) => (w.names.includes(id) ? [] : [i])).join(",");
    // A name narrowed to some forms is counted over its own rows: no summary knows its forms.
    let counted = only ? { key: `only:${id}`, n: scanOf(only) } : byOpenWords.get(open);
    if (!counted) byOpenWords.set(open, (counted = countOf(id)));
    const entry = byCount.get(counted.key) ?? { n: counted.n, ids: [] };
    entry.ids.push(id);
    byCount.set(counted.key, entry);
  }
  for (const { n, ids } of byCount.values()) {
    parts.push(foldedSql`SELECT 'n' AS kind, ${cols}, ${n} AS n FROM ${searchGroups} ${g} JOIN ${batches} ${b} ON ${b.id} = ${g.batchId}
      WHERE ${g.termId} IN (${litInts(ids)}) AND ${groupWhere}`);
  }
  if (plan.firms.length) {
    const conds = [...notNamed(plan), ...rowConds];
    const firmIds = litInts(plan.firms.map((x) => x.id));
    if (!conds.length && plan.firms.length > tuning.maxFirmRanges) {
      // Too many firms to read range by range (演示, 制药: hundreds of firms, thousands of groups):
      // their groups are summed here, and the page reads them as one set.
      parts.push(foldedSql`SELECT 'F' AS kind, 0 AS termId, ${g.batchId} AS batchId, ${b.name} AS batchName, ${b.level} AS level, ${g.category} AS category,
        ${g.cycleStart} AS cs, ${g.cycleEnd} AS ce, ${cur} AS cur, sum(${g.n}) AS n, sum(${g.n}) AS size
        FROM ${searchGroups} ${g} JOIN ${batches} ${b} ON ${b.id} = ${g.batchId} WHERE ${g.termId} IN (${firmIds}) AND ${groupWhere}
        GROUP BY ${g.batchId}, ${g.category}, ${g.cycleStart}, ${g.cycleEnd}`);
    } else {
      const scan = foldedSql`(SELECT count(*) FROM ${priceSearch} ${ps} WHERE ${allOf([inGroup("firm_id"), ...conds])})`;
      // Only the row filters narrow a firm's groups when no name matched and no further word is open.
      const onlyFilters = !plan.names.length && !plan.words.length;
      const n = !conds.length
        ? foldedSql`${g.n}`
        : !onlyFilters
          ? scan
          : filters.cells
            ? cellsCountSql(filters.cells, scan, partial("firm_id", conds))
            : filters.priceCells && notNamed(plan).length === 0
              ? priceCells("firm_id", filters.priceCells)
              : scan;
      parts.push(foldedSql`SELECT 'f' AS kind, ${cols}, ${n} AS n FROM ${searchGroups} ${g} JOIN ${batches} ${b} ON ${b.id} = ${g.batchId}
        WHERE ${g.termId} IN (${firmIds}) AND ${groupWhere}`);
    }
  }
  const codes = codeRange(plan);
  if (plan.products && codeGroupsCount(plan, filters)) {
    // Many products by the start of one code column: their prices per group are kept, summed here.
    parts.push(foldedSql`SELECT 'p' AS kind, 0 AS termId, ${cg.batchId} AS batchId, ${b.name} AS batchName, ${b.level} AS level, ${cg.category} AS category,
      ${cg.cycleStart} AS cs, ${cg.cycleEnd} AS ce, ${cur} AS cur, sum(${cg.n}) AS n, sum(${cg.n}) AS size
      FROM ${searchCodeGroups} ${cg} JOIN ${batches} ${b} ON ${b.id} = ${cg.batchId}
      WHERE ${codeStartGroups(plan.codePrefix ?? "")} AND ${groupWhere}
      GROUP BY ${cg.batchId}, ${cg.category}, ${cg.cycleStart}, ${cg.cycleEnd}`);
  } else if (plan.products && codes) {
    // The same under row filters, over the start's range of search_code_prices. A code range is the
    // whole plan (codeRange): no other part is counted beside it.
    return codeRangeGroups(db, plan.codePrefix ?? "", codes, filters, groupWhere, cur);
  } else if (plan.products) {
    const where = [
      foldedSql`${ps.productId} IN (${productsSql(plan.products)})`,
      ...notNamed(plan),
      ...notFirm(plan),
      ...filters.allRows,
      ...plan.words.map(wordCondition),
    ];
    parts.push(foldedSql`SELECT 'p' AS kind, 0 AS termId, ${ps.batchId} AS batchId, ${b.name} AS batchName, ${b.level} AS level, ${ps.category} AS category,
      ${ps.cycleStart} AS cs, ${ps.cycleEnd} AS ce, ${inForceSql("ps", filters.asOf)} AS cur, count(*) AS n, count(*) AS size
      FROM ${priceSearch} ${ps} JOIN ${batches} ${b} ON ${b.id} = ${ps.batchId} WHERE ${allOf(where)}
      GROUP BY ${ps.batchId}, ${ps.category}, ${ps.cycleStart}, ${ps.cycleEnd}`);
  }
  if (!parts.length) return [];
  const rows = await readRowsAsJson<Group>(db, unionAll(parts), GROUP_COLUMNS);
  return rows.filter((g) => g.n > 0);
}

const groupKey = (x: { batchId: string; category: string; cs: string; ce: string }) => JSON.stringify([x.batchId, x.category, x.cs, x.ce]);

/** Up to this many batches, a code range's prices are counted per batch by one sum each rather than grouped (a sort). */
const MAX_BATCH_SUMS = 8;

/**
 * The groups of a start of a code under row filters, counted over its range of search_code_prices,
 * which holds every column they test. The group filters (batch, level, category, state) pick whole
 * groups, so they are tested once per group of search_code_groups, not once per price: the range is
 * kept to the picked groups' batches, and what it counts of other groups is dropped. When no group
 * is picked (a drug code in a device batch) the range is not read (`q=SYND0000&batch=synthetic-device-1`: 643 → 2 ms).
 * When each batch holds one group under the start, its prices are counted per batch, by a sum per
 * batch when they are few: `q=SYND000&maxUnitPrice=0.6269&asOf=2027-11-10`, 166,000 of its 933,000
 * prices at a million, grouped by batch, category and cycle 215 ms, by batch 140, by two sums 105.
 */
async function codeRangeGroups(db: Db, prefix: string, codes: SQL, filters: FilterSql, groupWhere: SQL, cur: SQL): Promise<Group[]> {
  // `size`: the group's rows under the start, which a count over the range reads.
  const groups = await readRows<Group & { picked: number }>(
    db,
    foldedSql`SELECT 'p' AS kind, 0 AS termId, ${cg.batchId} AS batchId, ${b.name} AS batchName, ${b.level} AS level, ${cg.category} AS category,
      ${cg.cycleStart} AS cs, ${cg.cycleEnd} AS ce, ${cur} AS cur, 0 AS n, sum(${cg.n}) AS size, ${groupWhere} AS picked
      FROM ${searchCodeGroups} ${cg} JOIN ${batches} ${b} ON ${b.id} = ${cg.batchId} WHERE ${codeStartGroups(prefix)} AND ${cg.n} > 0
      GROUP BY ${cg.batchId}, ${cg.category}, ${cg.cycleStart}, ${cg.cycleEnd}`,
  );
  const picked = new Map(groups.filter((x) => x.picked).map((x) => [groupKey(x), x]));
  if (!picked.size) return [];
  const batchIds = [...new Set([...picked.values()].map((x) => x.batchId))];
  const everyBatch = batchIds.length === new Set(groups.map((x) => x.batchId)).size;
  const onePerBatch = new Set(groups.map(groupKey)).size === new Set(groups.map((x) => x.batchId)).size;
  const byBands =
    onePerBatch && filters.priceCells && !filters.firms.length
      ? await codeStartUnderPrice(
          db,
          prefix,
          batchIds,
          filters.priceCells,
          [...picked.values()].reduce((sum, x) => sum + x.size, 0),
        )
      : null;
  const where = allOf([
    codes,
    ...(everyBatch ? [] : [foldedSql`${cps.batchId} IN (${sql.join(batchIds.map(litText), foldedSql`, `)})`]),
    ...filters.rows,
    ...filters.firms,
  ]);
  // Each batch holds one group under the start: a batch's count is its group's.
  const perBatch = (countOf: (batchId: string) => number): Group[] =>
    [...picked.values()]
      .map(({ picked: _, ...x }) => {
        const n = countOf(x.batchId);
        return { ...x, n, size: n };
      })
      .filter((x) => x.n > 0);
  if (byBands) return perBatch((id) => byBands.get(id) ?? 0);
  if (onePerBatch && batchIds.length <= MAX_BATCH_SUMS) {
    const sums = sql.join(
      batchIds.map((id) => foldedSql`sum(${cps.batchId} = ${litText(id)})`),
      foldedSql`, `,
    );
    const [row] = await readRows<{ counts: string }>(db, foldedSql`SELECT json_array(${sums}) AS counts FROM ${searchCodePrices} ${cps} WHERE ${where}`);
    const counts = JSON.parse(row?.counts ?? "[]") as Array<number | null>;
    return perBatch((id) => counts[batchIds.indexOf(id)] ?? 0);
  }
  // The category and cycle of a batch's only group are those of any of its rows.
  const byGroup = onePerBatch ? foldedSql`${cps.batchId}` : foldedSql`${cps.batchId}, ${cps.category}, ${cps.cycleStart}, ${cps.cycleEnd}`;
  // Counted first and joined to its batches after: a join per price would cost as much as the count.
  const rows = await readRows<Group>(
    db,
    foldedSql`SELECT 'p' AS kind, 0 AS termId, ${cg.batchId} AS batchId, ${b.name} AS batchName, ${b.level} AS level, ${cg.category} AS category,
      ${cg.cycleStart} AS cs, ${cg.cycleEnd} AS ce, ${cur} AS cur, ${cg.n} AS n, ${cg.n} AS size
      FROM (SELECT ${cps.batchId}, ${cps.category}, ${cps.cycleStart}, ${cps.cycleEnd}, count(*) AS n FROM ${searchCodePrices} ${cps}
        WHERE ${where} GROUP BY ${byGroup}) ${cg}
      JOIN ${batches} ${b} ON ${b.id} = ${cg.batchId}`,
  );
  return rows.filter((x) => x.n > 0 && picked.has(groupKey(x)));
}

/**
 * The prices per batch of a start of a code at or under a maximum unit price, from
 * search_code_price_cells: the bands below the maximum's whole, and of the band it cuts the prices up
 * to the maximum (or the band whole less those above it, whichever side is narrower), read through
 * search_code_prices_price_idx in unit-price order, whatever their code. Null when the start is longer
 * than the cells keep, or when the band holds more rows of every code than the start's own range
 * (`rangeRows`), which is then cheaper to read: `q=SYND000&maxUnitPrice=0.6269`, 462,000 of 933,000
 * rows at a million prices, 100–200 ms read, a sum of 500 cells and 11,000 rows of the band here.
 */
async function codeStartUnderPrice(db: Db, prefix: string, batchIds: string[], price: PriceCellFilter, rangeRows: number): Promise<Map<string, number> | null> {
  const level = CODE_PRICE_CELL_LEVELS.find((l) => l >= charLength(prefix));
  if (level === undefined) return null;
  const [band] = await readRows<{ n: number | null }>(
    db,
    foldedSql`SELECT sum(${cpc.n}) AS n FROM ${searchCodePriceCells} ${cpc} WHERE ${cpc.level} = ${litInt(CODE_PRICE_CELL_LEVELS[0])} AND ${cpc.pband} = ${litInt(price.band)}`,
  );
  if ((band?.n ?? 0) >= rangeRows) return null;
  const end = priceBandEnd(price.band);
  // The upper side of the band is read when it is the narrower in price (the band's prices are spread over it roughly evenly).
  const less = price.band !== 0 && end - price.max < price.max - price.from;
  const batchIn = (col: unknown) => foldedSql`${col} IN (${sql.join(batchIds.map(litText), foldedSql`, `)})`;
  const cellBands = less ? foldedSql`${cpc.pband} <= ${litInt(price.band)}` : foldedSql`${cpc.pband} < ${litInt(price.band)}`;
  const cut = less
    ? foldedSql`${cps.unitPriceE4} > ${litInt(price.max)} AND ${cps.unitPriceE4} <= ${litInt(end)}`
    : foldedSql`${cps.unitPriceE4} >= ${litInt(price.from)} AND ${cps.unitPriceE4} <= ${litInt(price.max)}`;
  // Unary + on the code: the range is the band's, in the index of unit prices, not the start's in the table's key.
  const rows = await readRows<{ batchId: string; n: number }>(
    db,
    foldedSql`SELECT batch_id AS batchId, sum(n) AS n FROM (
      SELECT ${cpc.batchId} AS batch_id, ${cpc.n} AS n FROM ${searchCodePriceCells} ${cpc}
        WHERE ${cpc.level} = ${litInt(level)} AND ${startsWith(cpc.prefix, prefix)} AND ${cellBands} AND ${batchIn(cpc.batchId)}
      UNION ALL
      SELECT ${cps.batchId}, ${litInt(less ? -1 : 1)} FROM ${searchCodePrices} ${cps}
        WHERE ${cut} AND ${startsWith(foldedSql`+${cps.code}`, prefix)} AND ${batchIn(cps.batchId)})
      GROUP BY batch_id`,
  );
  return new Map(rows.map((r) => [r.batchId, r.n]));
}

/** The rows of search_code_groups that count the prices of codes starting with `prefix`: the shortest level that holds it. */
function codeStartGroups(prefix: string): SQL {
  const level = CODE_LEVELS.find((l) => l >= charLength(prefix)) ?? 0;
  return foldedSql`${cg.level} = ${litInt(level)} AND ${startsWith(cg.prefix, prefix)}`;
}

/**
 * True when the code part of a plan can be counted from search_code_groups: a start of one code
 * column, nothing to exclude (no name or firm matched as well) and nothing that only a price row can
 * tell (row filters, further words).
 */
function codeGroupsCount(plan: SearchPlan, filters: FilterSql): boolean {
  return plan.codePrefix !== null && !plan.names.length && !plan.firms.length && !filters.rows.length && !plan.words.length;
}

/**
 * How to count a name's group without reading its prices, or null when only its rows can tell: the
 * group's own count when nothing narrows it below a whole group, a sum over search_cells when only
 * row filters do and the cells can tell them, else a sum over search_pairs when every further word
 * is met by the name itself or only by variants (20mg) or only by firms (星河). `key` says which
 * names count alike, so they share one part of the query.
 */
function nameCountSql(plan: SearchPlan, filters: FilterSql, nameId: number, scan: SQL, partial: SQL, priceCells: SQL | null): { key: string; n: SQL } | null {
  const open = plan.words.filter((w) => !w.names.includes(nameId));
  if (filters.rows.length) {
    if (open.length) return null;
    if (filters.cells) return { key: "cells", n: cellsCountSql(filters.cells, scan, partial) };
    return priceCells ? { key: "price-cells", n: priceCells } : null;
  }
  if (!open.length) return { key: "group", n: foldedSql`${g.n}` };
  if (open.some((w) => w.products)) return null;
  const only = (kind: "v" | "f") => {
    const sets = open.map((w) => new Set(kind === "v" ? w.variants : w.firms));
    const ids = [...(sets[0] ?? [])].filter((id) => sets.every((set) => set.has(id)));
    if (!ids.length) return { key: "none", n: foldedSql`0` };
    return {
      key: `${kind}:${ids.join(",")}`,
      n: foldedSql`(SELECT COALESCE(SUM(${sp.n}), 0) FROM ${searchPairs} ${sp} WHERE ${sp.nameId} = ${g.termId} AND ${sp.kind} = ${litText(kind)}
      AND ${sp.otherId} IN (${litInts(ids)}) AND ${sp.batchId} = ${g.batchId} AND ${sp.category} = ${g.category}
      AND ${sp.cycleStart} = ${g.cycleStart} AND ${sp.cycleEnd} = ${g.cycleEnd})`,
    };
  };
  if (open.every((w) => !w.firms.length)) return only("v");
  if (open.every((w) => !w.variants.length)) return only("f");
  return null;
}

/**
 * A group's count under the row filters as a sum over its cells of search_cells; `scan` counts its
 * prices instead where a price's mask has every bit (its regions text was too long for the mask).
 */
function cellsCountSql(cells: CellFilter, scan: SQL, partial: SQL): SQL {
  const group = foldedSql`${c.termId} = ${g.termId} AND ${c.batchId} = ${g.batchId} AND ${c.category} = ${g.category} AND ${c.cycleStart} = ${g.cycleStart} AND ${c.cycleEnd} = ${g.cycleEnd}`;
  const band = cells.minBand === null ? [] : [foldedSql`${c.band} >= ${litInt(cells.minBand)}`];
  const whole = foldedSql`(SELECT COALESCE(SUM(${c.n}), 0) FROM ${searchCells} ${c} WHERE ${allOf([group, foldedSql`${c.bit} IN (${litInts(cells.bits)})`, ...band])})`;
  const sum = cells.partialBelow === null ? whole : foldedSql`(${whole} + ${partial})`;
  if (!cells.region) return sum;
  // A price whose mask has every bit (64), or for a city one listing a city under its province's bit: counted price by price.
  const byRow = cells.cityFlag === null ? foldedSql`${c.bit} = 64` : foldedSql`${c.bit} IN (64, ${litInt(cells.cityFlag)})`;
  return foldedSql`(CASE WHEN EXISTS (SELECT 1 FROM ${searchCells} ${c} WHERE ${group} AND ${byRow} AND ${c.n} > 0) THEN ${scan} ELSE ${sum} END)`;
}

/** Names narrowed to some forms (search-stems.ts), by id: their groups read only those forms' prices. */
export const onlyOfNames = (plan: SearchPlan): Map<number, SQL> => new Map(plan.names.flatMap((x) => (x.only ? [[x.id, x.only] as const] : [])));

/**
 * A name's (n) or firm's (f) group as one range of its rank index (price_search_name_rank_idx,
 * _firm_rank_idx), in unit-price order; a name narrowed to some forms keeps only those.
 */
export function groupRange(g: Group, onlyOf: Map<number, SQL>): SQL {
  const range = foldedSql`${g.kind === "n" ? ps.nameId : ps.firmId} = ${litInt(g.termId)} AND ${ps.batchId} = ${litText(g.batchId)}
      AND ${ps.cycleStart} = ${litText(g.cs)} AND ${ps.cycleEnd} = ${litText(g.ce)}`;
  const only = g.kind === "n" ? onlyOf.get(g.termId) : undefined;
  return only ? allOf([range, only]) : range;
}

/**
 * Prices of one tier and cycle state: they rank together, by unit price and id. `groups`: the name
 * and firm groups the key reads as ranges of their rank index, one each; `wide`: its firms were too
 * many to list by range (groups of kind F), read as one set.
 */
type Key = { tier: number; nc: number; groups: Group[]; count: number; wide: boolean };

type PageRow = { id: number; tier: number; nc: number; u: number };

/** The keys of the matched groups in rank order, with their counts and the groups whose index ranges they read. */
function rankKeys(plan: SearchPlan, groups: Group[]): Key[] {
  const tierOf = new Map(plan.names.map((x) => [x.id, x.tier]));
  const keys = new Map<string, Key>();
  const seen = new Set<string>();
  for (const g of groups) {
    const tier = g.kind === "n" ? (tierOf.get(g.termId) ?? OTHER_FIELDS_TIER) : OTHER_FIELDS_TIER;
    const nc = g.cur ? 0 : 1;
    let k = keys.get(`${tier}:${nc}`);
    if (!k) keys.set(`${tier}:${nc}`, (k = { tier, nc, groups: [], count: 0, wide: false }));
    k.count += g.n;
    if (g.kind === "F") k.wide = true;
    if (g.kind === "p" || g.kind === "F") continue;
    // Two categories of one (term, batch, cycle) share one index range.
    const id = JSON.stringify([g.kind, g.termId, g.batchId, g.cs, g.ce]);
    if (seen.has(id)) continue;
    seen.add(id);
    k.groups.push(g);
  }
  return [...keys.values()].sort((a, b) => a.tier - b.tier || a.nc - b.nc);
}

/**
 * The code part of a plan as a test on one ps row, or null when only a set of ids (a sort) can say.
 * A start of a code is tested on the product's row, unless the window steps through so many prices
 * that building the set of its products once (a few hundred ns each) costs less.
 */
function productRowCondition(plan: SearchPlan, steps: number, codePrices: number): SQL | null {
  if (!plan.products) return null;
  if (plan.codePrefix !== null && steps * 3 <= codePrices) {
    return foldedSql`EXISTS (SELECT 1 FROM ${products} ${pr} WHERE ${pr.id} = ${ps.productId}
      AND ((${startsWith(pr.nhsaCode, plan.codePrefix)}) OR (${startsWith(pr.approvalNo, plan.codePrefix)})))`;
  }
  if (plan.codePrefix !== null || plan.products.kind === "ids") return foldedSql`${ps.productId} IN (${productsSql(plan.products)})`;
  return null;
}

/** Every matched price of a key as a test on one ps row, or null when a row cannot tell. */
function keyRowCondition(plan: SearchPlan, k: Key, steps: number, codePrices: number): SQL | null {
  const parts: SQL[] = [];
  const names = plan.names.filter((x) => x.tier === k.tier);
  if (names.length) parts.push(namesCondition(names));
  if (k.tier === OTHER_FIELDS_TIER) {
    if (plan.firms.length) parts.push(allOf([foldedSql`${ps.firmId} IN (${litInts(plan.firms.map((f) => f.id))})`, ...notNamed(plan)]));
    if (plan.products) {
      const products = productRowCondition(plan, steps, codePrices);
      if (!products) return null;
      parts.push(allOf([products, ...notNamed(plan), ...notFirm(plan)]));
    }
  }
  return parts.length ? anyOf(parts) : null;
}

/**
 * `codeGroups`: for a code range, how many groups each batch holds under the start (codeStartGroupCounts).
 * `codeWindow`: the code range is read in unit-price order (search_code_prices_price_idx) from one
 * unit price to below another (null: to the end), rather than whole and sorted (scanCodeRange).
 */
type PageOpts = {
  n: number;
  after: RankKey | null;
  tuning: SearchTuning;
  codeGroups: Map<string, number> | null;
  codeWindow?: { from: number; below: number | null };
};

/** In force (nc 0) or not (nc 1) on the filters' asOf, on ps rows. */
const stateOfKey = (nc: number, filters: FilterSql): SQL => (nc ? foldedSql`NOT ${inForceSql("ps", filters.asOf)}` : inForceSql("ps", filters.asOf));

/**
 * A key's first n prices (after the cursor) by stepping through all prices in unit-price order
 * (prices_unit_price_idx, the same order as the key's own) and keeping the key's: when the key holds
 * a good share of all prices, n of them come within a few steps, however many groups they fall in.
 * The steps stop at n found or at the end of a window of `window` prices; null when the window ended
 * first (the answer is then unknown), else the rows, all of the key's that remain when fewer than n.
 */
async function scanKey(db: Db, plan: SearchPlan, filters: FilterSql, k: Key, window: number, codePrices: number, opts: PageOpts): Promise<PageRow[] | null> {
  const cond = keyRowCondition(plan, k, window, codePrices);
  if (!cond) return null;
  const { after } = opts;
  const cursor = after && k.tier === after.tier && k.nc === after.notCurrent ? { u: after.unitPriceE4, id: after.id } : null;
  /**
   * The key's first `n` prices within `steps` prices of the global order past `start`; `done` when
   * they answer the page, `end` the last price of the stretch walked (null: the order ended inside it).
   */
  const walk = async (steps: number, start: { u: number; id: number } | null, n: number) => {
    const from = start ? [foldedSql`(${p.unitPriceE4}, ${p.id}) > (${litInt(start.u)}, ${litInt(start.id)})`] : [];
    const [end] = await readRows<{ u: number; id: number }>(
      db,
      foldedSql`SELECT ${p.unitPriceE4} AS u, ${p.id} AS id FROM ${prices} ${p} WHERE ${allOf(from)} ORDER BY ${p.unitPriceE4}, ${p.id} LIMIT 1 OFFSET ${litInt(steps - 1)}`,
    );
    const bound = end ? [foldedSql`(${p.unitPriceE4}, ${p.id}) <= (${litInt(end.u)}, ${litInt(end.id)})`] : [];
    const where = [
      foldedSql`${ps.priceId} = ${p.id}`,
      ...from,
      ...bound,
      cond,
      stateOfKey(k.nc, filters),
      ...filters.groupOnRows,
      ...rowConditions(plan, filters),
    ];
    // CROSS JOIN keeps prices outermost, so the index order serves ORDER BY and the LIMIT stops the steps.
    const rows = await readRows<PageRow>(
      db,
      foldedSql`SELECT ${ps.priceId} AS id, ${litInt(k.tier)} AS tier, ${litInt(k.nc)} AS nc, ${ps.unitPriceE4} AS u FROM ${prices} ${p} CROSS JOIN ${priceSearch} ${ps}
        WHERE ${allOf(where)} ORDER BY ${p.unitPriceE4}, ${p.id} LIMIT ${litInt(n)}`,
    );
    return { rows, done: rows.length >= n || !end, end: end ?? null };
  };
  // An eighth of the window first: a key spread over the unit-price order shows some of its prices
  // there (about scanSlack × n / 8). None at all means they sit elsewhere (devices, all dear; SYNC
  // codes): the whole window would likely end short too, and the key's ranges answer at once.
  // Some but too few: the rest of the window is walked from where the eighth ended, not again from its start.
  const first = Math.ceil(window / 8);
  if (first >= opts.n * 4) {
    const head = await walk(first, cursor, opts.n);
    if (head.done) return head.rows;
    if (!head.rows.length) return null;
    const rest = await walk(window - first, head.end, opts.n - head.rows.length);
    return rest.done ? [...head.rows, ...rest.rows] : null;
  }
  const whole = await walk(window, cursor, opts.n);
  return whole.done ? whole.rows : null;
}

/**
 * A code key's first n prices read in unit-price order (search_code_prices_price_idx), stopping at
 * the n-th, instead of its range whole and sorted: SYND000035 at a million prices, 21,000 rows of
 * which 10,000 in force, 9 ms read whole, its first 51 within 6,500 rows of the unit-price order, 1.5 ms.
 * The walk begins at the cheapest band holding the start's codes (or the cursor) and ends at the band
 * where scanSlack × n of the key's prices are expected (codeBands: the start's share of each band,
 * scaled to the key's count), so a start whose prices sit among many others' (a device's code among
 * drugs) does not walk them all. Null when the walk would cost more than the range, or ended short.
 */
async function scanCodeRange(
  db: Db,
  plan: SearchPlan,
  filters: FilterSql,
  groups: Group[],
  k: Key,
  page: PageOpts,
  rangeRows: number,
  allPrices: number,
): Promise<PageRow[] | null> {
  if (plan.codePrefix === null || k.count <= 0) return null;
  const bands = await codeBands(db, plan.codePrefix);
  const mine = bands.reduce((sum, b) => sum + b.mine, 0);
  const cheapest = bands.find((b) => b.mine > 0);
  if (!cheapest) return null;
  // The key's prices per row the cells count under the start: its state and filters, a longer start.
  const share = Math.min(1, k.count / mine);
  const after = page.after && k.tier === page.after.tier && k.nc === page.after.notCurrent ? page.after.unitPriceE4 : null;
  const from = after ?? priceBandStart(cheapest.band);
  const want = page.tuning.scanSlack * page.n;
  let steps: number | null = null;
  let walked = 0;
  let got = 0;
  let below: number | null = null;
  for (const b of bands) {
    if (priceBandEnd(b.band) < from) continue;
    const here = b.mine * share;
    if (steps === null && got + here >= page.n) steps = walked + (b.all * (page.n - got)) / here;
    walked += b.all;
    got += here;
    if (got >= want) {
      below = priceBandEnd(b.band) + 1;
      break;
    }
  }
  if ((steps ?? walked) > rangeRows * RANGE_ROW_IN_WALKED_ROWS) return null;
  const arms = keyArms(plan, filters, groups, k, { ...page, codeWindow: { from, below } }, allPrices);
  const rows = await readRows<PageRow>(db, foldedSql`SELECT id, tier, nc, u FROM (${unionAll(arms)}) ORDER BY tier, nc, u, id LIMIT ${litInt(page.n)}`);
  return rows.length >= page.n || below === null ? rows : null;
}

/** A key's first n prices as arms of a union: one limited read per group range (or one sort). */
function keyArms(plan: SearchPlan, filters: FilterSql, groups: Group[], k: Key, opts: PageOpts, allPrices: number | undefined): SQL[] {
  const { n, after } = opts;
  const category = filters.filter.category !== undefined ? [foldedSql`${ps.category} = ${litText(filters.filter.category)}`] : [];
  const where = [...category, ...rowConditions(plan, filters)];
  if (after && k.tier === after.tier && k.nc === after.notCurrent) {
    where.push(foldedSql`(${ps.unitPriceE4}, ${ps.priceId}) > (${litInt(after.unitPriceE4)}, ${litInt(after.id)})`);
  }
  // Read from price_search, or from search_code_prices under the same alias (its columns keep price_search's names).
  const arm = (keys: SQL[], table: typeof priceSearch | typeof searchCodePrices = priceSearch, indexed: SQL = foldedSql``) =>
    foldedSql`SELECT * FROM (SELECT ${ps.priceId} AS id, ${litInt(k.tier)} AS tier, ${litInt(k.nc)} AS nc, ${ps.unitPriceE4} AS u
      FROM ${table} ${ps}${indexed} WHERE ${allOf([...keys, ...where])} ORDER BY ${ps.unitPriceE4}, ${ps.priceId} LIMIT ${litInt(n)})`;
  const current = stateOfKey(k.nc, filters);
  const arms: SQL[] = [];
  // Many ranges are read as one set, unless the key is so small a share of all prices that reading n
  // from each of its ranges takes fewer steps than finding n of them in one walk of the set
  // (asOf=2018-06-02: 410 prices in 119 groups of a million, 596 ms as one set).
  const fewPerStep = allPrices !== undefined && k.groups.length <= opts.tuning.maxGroupArms && k.groups.length * Math.max(1, k.count) < allPrices;
  if (k.wide || (k.groups.length > opts.tuning.maxRangesPerKey && !fewPerStep && !rangesCheaper(k, n, k.count, opts.tuning))) {
    const key =
      k.tier === OTHER_FIELDS_TIER
        ? allOf([foldedSql`${ps.firmId} IN (${litInts(plan.firms.map((f) => f.id))})`, ...notNamed(plan)])
        : namesCondition(plan.names.filter((x) => x.tier === k.tier));
    arms.push(arm([allOf([key, current, ...filters.groupOnRows])]));
  } else if (k.groups.length >= opts.tuning.groupsArmFrom) {
    // The same reads, each group's first n, as one arm per kind of group (group-arms.ts).
    const onlyOf = onlyOfNames(plan);
    for (const kind of ["n", "f"] as const) {
      const own = k.groups.filter((g) => g.kind === kind);
      if (!own.length) continue;
      const rows = groupsArm({
        kind,
        groups: own,
        where: allOf([...(kind === "f" ? notNamed(plan) : []), ...where]),
        only: onlyOf,
        first: { n, desc: false, merge: mergeCheaper(own.length, firstRows(own, n), n, opts.tuning) },
      });
      arms.push(foldedSql`SELECT id, ${litInt(k.tier)} AS tier, ${litInt(k.nc)} AS nc, u FROM (${rows})`);
    }
  } else {
    const onlyOf = onlyOfNames(plan);
    for (const g of k.groups) arms.push(arm([g.kind === "n" ? groupRange(g, onlyOf) : allOf([groupRange(g, onlyOf), ...notNamed(plan)])]));
  }
  if (k.tier === OTHER_FIELDS_TIER && plan.products && groups.some((g) => g.kind === "p" && (g.cur ? 0 : 1) === k.nc)) {
    const range = codeRange(plan);
    const own = groups.filter((g) => g.kind === "p" && (g.cur ? 0 : 1) === k.nc);
    const w = opts.codeWindow;
    const inPriceOrder = w
      ? {
          bounds: [foldedSql`${cps.unitPriceE4} >= ${litInt(w.from)}`, ...(w.below === null ? [] : [foldedSql`${cps.unitPriceE4} < ${litInt(w.below)}`])],
          indexed: CODE_PRICE_ORDER,
        }
      : { bounds: [], indexed: foldedSql`` };
    arms.push(
      range
        ? arm(
            [range, ...inPriceOrder.bounds, ...(batchesOfGroups(own, opts.codeGroups) ?? [current, ...filters.groupOnRows])],
            searchCodePrices,
            inPriceOrder.indexed,
          )
        : arm([allOf([foldedSql`${ps.productId} IN (${productsSql(plan.products)})`, current, ...notNamed(plan), ...notFirm(plan), ...filters.groupOnRows])]),
    );
  }
  return arms;
}

/** search_code_prices in unit-price order, whatever the code. */
const CODE_PRICE_ORDER = foldedSql` INDEXED BY search_code_prices_price_idx`;

/**
 * Per band of unit price (price-bands.ts), the rows of search_code_prices of every code (`all`) and
 * of the codes under a start (`mine`; of its first characters when it is longer than the cells keep),
 * from search_code_price_cells.
 */
async function codeBands(db: Db, prefix: string): Promise<Array<{ band: number; all: number; mine: number }>> {
  const levels = CODE_PRICE_CELL_LEVELS;
  const level = levels.find((l) => l >= charLength(prefix)) ?? Math.max(...levels);
  const under = foldedSql`${cpc.level} = ${litInt(level)} AND ${startsWith(cpc.prefix, [...prefix].slice(0, level).join(""))}`;
  const every = foldedSql`${cpc.level} = ${litInt(levels[0])}`;
  // Two ranges of the primary key as one UNION ALL: an OR of them is read as a set of rows first (three times slower).
  return readRows(
    db,
    foldedSql`SELECT band, sum(a) AS "all", sum(m) AS mine FROM (
        SELECT ${cpc.pband} AS band, ${cpc.n} AS a, 0 AS m FROM ${searchCodePriceCells} ${cpc} WHERE ${every}
        UNION ALL SELECT ${cpc.pband}, 0, ${cpc.n} FROM ${searchCodePriceCells} ${cpc} WHERE ${under})
      GROUP BY band ORDER BY band`,
  );
}

/** A row of a code range read whole and sorted costs about this many rows walked in unit-price order (9 ms for 21,000 against 1.5 ms for 6,500). */
const RANGE_ROW_IN_WALKED_ROWS = 2;

/**
 * The prices matched by a start of one code column as one range of search_code_prices (alias ps),
 * or null when the plan matched more than that start (a name or firm as well, further words). Only
 * one column holds the start (SearchPlan.codePrefix), so no price is in the range twice; the range's
 * rows hold every column the filters test.
 */
export function codeRange(plan: SearchPlan): SQL | null {
  if (plan.codePrefix === null || plan.names.length || plan.firms.length || plan.words.length) return null;
  return startsWith(cps.code, plan.codePrefix);
}

/** How many rows the code range of a plan holds, whatever their state: what reading it reads. */
export async function codeRangeRows(db: Db, plan: SearchPlan): Promise<number> {
  const [row] = await readRows<{ n: number | null }>(
    db,
    foldedSql`SELECT sum(${cg.n}) AS n FROM ${searchCodeGroups} ${cg} WHERE ${codeStartGroups(plan.codePrefix ?? "")}`,
  );
  return row?.n ?? 0;
}

/** How many groups (batch, category, cycle) each batch holds under a start of a code, counting only groups with prices. */
export async function codeStartGroupCounts(db: Db, prefix: string): Promise<Map<string, number>> {
  const rows = await readRows<{ batchId: string; groups: number }>(
    db,
    foldedSql`SELECT ${cg.batchId} AS batchId, count(DISTINCT json_array(${cg.category}, ${cg.cycleStart}, ${cg.cycleEnd})) AS groups
      FROM ${searchCodeGroups} ${cg} WHERE ${codeStartGroups(prefix)} AND ${cg.n} > 0 GROUP BY ${cg.batchId}`,
  );
  return new Map(rows.map((r) => [r.batchId, r.groups]));
}

/**
 * The rows of a code range that belong to these matched groups, as a test of their batch alone, or
 * null when some batch holds other groups under the start too (the group filters are then tested on
 * each row). A batch test is a few comparisons; the cycle's state on a day is a CASE over both ends
 * of it (2 ms more per 21,000 rows of SYND000001, tested twice).
 */
export function batchesOfGroups(groups: Group[], counts: Map<string, number> | null): SQL[] | null {
  if (!counts) return null;
  const ids = [...new Set(groups.map((g) => g.batchId))];
  if (!ids.every((id) => counts.get(id) === 1)) return null;
  return [ids.length ? foldedSql`${cps.batchId} IN (${sql.join(ids.map(litText), foldedSql`, `)})` : foldedSql`0`];
}

/**
 * True when reading n prices from each of a key's ranges reads fewer rows than `steps` (the window
 * a scan would walk, or the key's whole set a sort would read): 材料有限, 60 firms' ranges of
 * 22,000 prices at a million, 1,260 rows against a 3,800-step window and then the 22,000.
 */
function rangesCheaper(k: Key, n: number, steps: number, tuning: SearchTuning): boolean {
  return !k.wide && k.groups.length > 0 && k.groups.length <= tuning.maxGroupArms && k.groups.length * (n + tuning.armCostRows) < steps;
}

const rankOrder = (a: PageRow, b: PageRow) => a.tier - b.tier || a.nc - b.nc || a.u - b.u || a.id - b.id;

/**
 * One page of price ids in rank order, plus the cursor of the next page. Keys are taken in rank
 * order until their counts certainly fill the page; a key that holds many groups and a good share of
 * all prices is read by a window of the global unit-price order, the others by their group ranges.
 */
export async function rankedPage(
  db: Db,
  plan: SearchPlan,
  filters: FilterSql,
  groups: Group[],
  opts: { limit: number; cursor?: string; tuning?: SearchTuning },
): Promise<{ ids: number[]; nextCursor: string | null }> {
  const after = opts.cursor ? decodeRankCursor(opts.cursor) : null;
  const tuning = opts.tuning ?? DEFAULT_SEARCH_TUNING;
  const codeGroups = codeRange(plan) ? await codeStartGroupCounts(db, plan.codePrefix ?? "") : null;
  const page: PageOpts = { n: opts.limit + 1, after, tuning, codeGroups };
  const rows: PageRow[] = [];
  const arms: SQL[] = [];
  let allPrices: number | undefined;
  let reached = 0;
  for (const k of rankKeys(plan, groups)) {
    if (after && (k.tier < after.tier || (k.tier === after.tier && k.nc < after.notCurrent))) continue;
    const atCursor = after && k.tier === after.tier && k.nc === after.notCurrent;
    const broad = k.wide || k.groups.length > tuning.maxRangesPerKey || (k.tier === OTHER_FIELDS_TIER && plan.codePrefix !== null);
    if (broad) {
      allPrices ??= (await readRows<{ n: number | null }>(db, foldedSql`SELECT max(${ps.priceId}) AS n FROM ${priceSearch} ${ps}`))[0]?.n ?? 0;
      const window = Math.ceil((tuning.scanSlack * page.n * allPrices) / Math.max(1, k.count)) + page.n;
      const codePrices = groups.reduce((sum, g) => sum + (g.kind === "p" ? g.n : 0), 0);
      // A code's products are one set whatever the ranges: only a scan avoids reading it whole,
      // unless they are few enough for their range of search_code_prices to be read at once.
      const byRanges = !(k.tier === OTHER_FIELDS_TIER && plan.products) && rangesCheaper(k, page.n, Math.min(window, k.count), tuning);
      const rangeRows = k.tier === OTHER_FIELDS_TIER && codeRange(plan) !== null ? await codeRangeRows(db, plan) : null;
      const byCodeRange = rangeRows !== null && rangeRows <= tuning.maxCodeRangeRows;
      const found =
        window <= tuning.maxScanWindow && !byRanges && !byCodeRange
          ? await scanKey(db, plan, filters, k, window, codePrices, page)
          : rangeRows !== null && rangeRows >= tuning.codeScanFromRows
            ? await scanCodeRange(db, plan, filters, groups, k, page, rangeRows, allPrices)
            : null;
      if (found) {
        rows.push(...found);
        // n of this key's prices fill the page: no later key can reach it. Fewer are all it has left.
        reached += found.length;
        if (reached >= page.n) break;
        continue;
      }
    }
    arms.push(...keyArms(plan, filters, groups, k, page, allPrices));
    // Later keys rank below every price of this one: once enough are certain, they cannot reach the page.
    if (!atCursor) reached += k.count;
    if (reached >= page.n) break;
  }
  if (arms.length) {
    rows.push(...(await readRows<PageRow>(db, foldedSql`SELECT id, tier, nc, u FROM (${unionAll(arms)}) ORDER BY tier, nc, u, id LIMIT ${litInt(page.n)}`)));
  }
  rows.sort(rankOrder);
  const top = rows.slice(0, opts.limit);
  const last = top[top.length - 1];
  return {
    ids: top.map((r) => r.id),
    nextCursor: rows.length > opts.limit && last ? encodeRankCursor({ tier: last.tier, notCurrent: last.nc, unitPriceE4: last.u, id: last.id }) : null,
  };
}

export type Facets = {
  batch: Array<{ id: string; name: string; count: number }>;
  category: Array<{ category: string; count: number }>;
  level: Array<{ level: string; count: number }>;
};

/** Counts of the matched set by batch, category and level, and their total. */
export function facetsOf(groups: Group[]): { total: number; facets: Facets } {
  const batch = new Map<string, { id: string; name: string; count: number }>();
  const category = new Map<string, number>();
  const level = new Map<string, number>();
  let total = 0;
  for (const g of groups) {
    total += g.n;
    const b = batch.get(g.batchId) ?? { id: g.batchId, name: g.batchName, count: 0 };
    b.count += g.n;
    batch.set(g.batchId, b);
    category.set(g.category, (category.get(g.category) ?? 0) + g.n);
    level.set(g.level, (level.get(g.level) ?? 0) + g.n);
  }
  const byCount = <T extends { count: number }>(a: T, b: T, ka: string, kb: string) => b.count - a.count || (ka < kb ? -1 : ka > kb ? 1 : 0);
  return {
    total,
    facets: {
      batch: [...batch.values()].sort((a, b) => byCount(a, b, a.id, b.id)),
      category: [...category].map(([c, count]) => ({ category: c, count })).sort((a, b) => byCount(a, b, a.category, b.category)),
      level: [...level].map(([l, count]) => ({ level: l, count })).sort((a, b) => byCount(a, b, a.level, b.level)),
    },
  };
}
