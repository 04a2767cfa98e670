import { getTableName, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { batches, priceRegions, prices, products, SAVINGS_ROLLUPS, savingsByBatchRegionMonth } from "../db/schema";
import { renderedAlias } from "../db/trusted-sql";
import {
  basisPointsToPercent,
  EMPTY_ROLLUP_SAVINGS,
  fractionE4ToYuan,
  fundSharePctUsed,
  type ProjectedPart,
  projectedSavings,
  type RollupPart,
  type RollupSavings,
  savingsFromRollup,
} from "../domain";
import { badRequest } from "../errors";
import type { RegionTree } from "./region-tree";
import { resolveReportScope } from "./report-scope";

export const SAVINGS_GROUPS = ["batch", "region", "month", "category"] as const;
export type SavingsGroup = (typeof SAVINGS_GROUPS)[number];

export type SavingsQuery = { groupBy: SavingsGroup; batch?: string; region?: string; from?: string; to?: string };

const CATEGORY_LABELS: Record<string, string> = { drug: "药品", device: "医用耗材" };

/** Sums of one (group, divisor) as SQL returns them: text, because they may exceed 2^53. */
type PartRow = {
  g: string;
  divisor: number;
  volumeRows: string;
  units: string;
  amountPaid: string;
  spendNum: string;
  fundHi: string;
  fundLo: string;
  unsharedNum: string;
};

type ProjectedRow = { g: string; divisor: number; units: string; hi: string; lo: string };

/**
 * The rollup a question reads, as `x`: columns named through the fine rollup, which has them all;
 * the coarser rollups and the raw view volume_parts (drizzle/0003) keep the same names for the ones they have.
 */
const x = renderedAlias(savingsByBatchRegionMonth, "x");
const p = renderedAlias(prices, "p");
const pr = renderedAlias(products, "pr");
const b = renderedAlias(batches, "b");

const PART_SUMS = sql`${x.divisor} AS divisor, CAST(SUM(${x.volumeRows}) AS TEXT) AS volumeRows, CAST(SUM(${x.units}) AS TEXT) AS units,
  CAST(SUM(${x.amountPaidE4}) AS TEXT) AS amountPaid, CAST(SUM(${x.spendNum}) AS TEXT) AS spendNum,
  CAST(SUM(${x.fundHi}) AS TEXT) AS fundHi, CAST(SUM(${x.fundLo}) AS TEXT) AS fundLo, CAST(SUM(${x.unsharedNum}) AS TEXT) AS unsharedNum`;

const SAVING_PER_PACKAGE = sql`(CASE WHEN ${p.referencePriceE4} > 0 THEN ${p.referencePriceE4} - ${p.chosenPriceE4} ELSE 0 END)`;
const DIVISOR = sql`(CASE WHEN ${pr.packageQty} > 0 THEN ${pr.packageQty} ELSE 1 END)`;

function toPart(r: PartRow): RollupPart {
  return {
    divisor: BigInt(r.divisor),
    volumeRows: BigInt(r.volumeRows),
    units: BigInt(r.units),
    amountPaid: BigInt(r.amountPaid),
    spendNum: BigInt(r.spendNum),
    fundHi: BigInt(r.fundHi),
    fundLo: BigInt(r.fundLo),
    unsharedNum: BigInt(r.unsharedNum),
  };
}

function realizedView(s: RollupSavings) {
  return {
    volumeRows: Number(s.volumeRows),
    units: Number(s.units),
    amountPaid: fractionE4ToYuan({ num: s.amountPaid, den: 1n }, 2),
    spendSaved: fractionE4ToYuan(s.spendSaved, 2),
    fundSaved: fractionE4ToYuan(s.fundSaved, 2),
    fundSharePct: fundSharePctUsed(s),
    spendSavedWithoutFundShare: fractionE4ToYuan(s.spendWithoutFundShare, 2),
  };
}

function projectedView(parts: ProjectedPart[], shareBp: number | null) {
  const p = projectedSavings(parts, shareBp);
  return {
    agreedUnits: Number(p.units),
    spendSaved: fractionE4ToYuan(p.spendSaved, 2),
    fundSaved: p.fundSaved === null ? null : fractionE4ToYuan(p.fundSaved, 2),
    fundSharePct: p.fundShareBp === null ? null : basisPointsToPercent(p.fundShareBp),
  };
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The rollups by the dimensions they keep, looked up by the dimensions a question keeps. */
const ROLLUPS: Record<string, SQLiteTable> = SAVINGS_ROLLUPS;

/**
 * Realized savings (from the rollups the volume triggers maintain, never the raw volume rows) and
 * projected savings (from agreed volumes), grouped by batch, region (rolled up the region tree),
 * month or category. Every figure is computed exactly by src/domain and rounded at the edge.
 */
export async function getSavings(db: Db, q: SavingsQuery, { source = "rollup" }: { source?: "rollup" | "raw" } = {}) {
  for (const [name, value] of [
    ["from", q.from],
    ["to", q.to],
  ] as const) {
    if (value !== undefined && !MONTH.test(value)) throw badRequest("invalid_month", `${name} must be a month like 2022-03, not "${value}"`);
  }
  if (q.from && q.to && q.from > q.to) throw badRequest("invalid_range", `from (${q.from}) is after to (${q.to})`);
  const { tree, region, subtree } = await resolveReportScope(db, q);

  // Pick the smallest rollup that can answer: a dimension the question neither filters nor groups by is summed away.
  const byRegion = q.groupBy === "region";
  const keeps = {
    batch: Boolean(q.batch) || q.groupBy === "batch" || q.groupBy === "category",
    region: subtree !== null || byRegion,
    month: Boolean(q.from) || Boolean(q.to) || q.groupBy === "month",
  };
  const rollup = ROLLUPS[(Object.keys(keeps) as Array<keyof typeof keeps>).filter((d) => keeps[d]).join(",")]!;
  // `raw` answers the same question from the volume rows themselves (the view the triggers read), for the bench.
  // volume_parts is a view, declared only in drizzle/0003_savings_rollup_triggers.sql.
  const table = source === "raw" ? "volume_parts" : getTableName(rollup);
  const where: SQL[] = [sql`${x.parts} <> 0`];
  if (q.batch) where.push(sql`${x.batchId} = ${q.batch}`);
  if (q.from) where.push(sql`${x.month} >= ${q.from}`);
  if (q.to) where.push(sql`${x.month} <= ${q.to}`);
  // The regions the answer covers, each with the group it counts in, as one JSON parameter joined in
  // SQL: the database sums a province's cities itself and returns one row per group and divisor
  // (turning rows into JS objects, not reading them, is what costs), and a region with hundreds of
  // subregions stays within D1's 100 bound parameters.
  const regionGroups = subtree
    ? subtree.map((code) => [code, byRegion ? tree.groupUnder(code, region!.code) : code] as const)
    : byRegion
      ? tree.codes().map((code) => [code, tree.groupUnder(code, null)] as const)
      : null;
  const fromRaw = source === "raw";
  const joins: SQL[] = [];
  let regionCol = sql`${x.regionCode}`;
  if (regionGroups && !fromRaw) {
    joins.push(sql`JOIN json_each(${JSON.stringify(Object.fromEntries(regionGroups))}) j ON j.key = ${x.regionCode}`);
    regionCol = sql`j.value`;
  } else if (subtree) {
    // The raw baseline stays a plain GROUP BY: SQLite pushes a literal list (not a json_each) into the
    // view's index lookups; its region groups are folded below.
    where.push(
      sql`${x.regionCode} IN (${sql.join(
        subtree.map((c) => sql`${c}`),
        sql`, `,
      )})`,
    );
  }
  if (q.groupBy === "category") joins.push(sql`JOIN ${batches} ${b} ON ${b.id} = ${x.batchId}`);
  const groupCol = { batch: sql`${x.batchId}`, month: sql`${x.month}`, category: sql`${b.category}`, region: regionCol }[q.groupBy];
  const rows = await readRows<PartRow>(
    db,
    sql`SELECT ${groupCol} AS g, ${PART_SUMS} FROM ${sql.identifier(table)} ${x} ${sql.join(joins, sql` `)}
    WHERE ${sql.join(where, sql` AND `)} GROUP BY 1, 2`,
  );

  const groupOf = new Map(regionGroups ?? []);
  const groupParts = new Map<string, RollupPart[]>();
  for (const r of rows) {
    const key = fromRaw && byRegion ? (groupOf.get(r.g) ?? r.g) : r.g;
    const parts = groupParts.get(key) ?? [];
    parts.push(toPart(r));
    groupParts.set(key, parts);
  }
  const realized = new Map([...groupParts].map(([key, parts]) => [key, savingsFromRollup(parts)]));
  const totals = savingsFromRollup([...groupParts.values()].flat());

  const projected = await projectedParts(db, q, tree, region?.code ?? null, subtree);
  const regionShare = region ? tree.fundShareBp(region.code) : null;
  const groupShare = (key: string) => (byRegion ? tree.fundShareBp(key) : regionShare);

  const keys = new Set([...realized.keys(), ...projected.groups.keys()]);
  const labels = await groupLabels(db, q.groupBy, tree);
  const data = [...keys].sort().map((key) => ({
    key,
    label: labels(key),
    ...realizedView(realized.get(key) ?? EMPTY_ROLLUP_SAVINGS),
    projected: q.groupBy === "month" ? null : projectedView(projected.groups.get(key) ?? [], groupShare(key)),
  }));

  return {
    data,
    meta: {
      total: data.length,
      nextCursor: null,
      groupBy: q.groupBy,
      filters: {
        batch: q.batch ?? null,
        region: region ? { code: region.code, name: region.name, includesChildren: true } : null,
        from: q.from ?? null,
        to: q.to ?? null,
      },
      totals: { ...realizedView(totals), projected: projectedView(projected.all, regionShare) },
      answeredFrom: table,
      notes: [
        "realized savings = (reference unit price − chosen unit price) × units bought; fund saved uses the volume row's fund share, else its region's (or the nearest parent's)",
        "projected savings use agreed volumes of prices whose supply regions all lie in the group (or the region filter); they ignore from/to",
        ...(region || byRegion ? [] : ["projected fund saved needs a region's fund share: pass region= to get it"]),
      ],
    },
  };
}

async function groupLabels(db: Db, groupBy: SavingsGroup, tree: RegionTree): Promise<(key: string) => string> {
  if (groupBy === "batch") {
    const rows = await db.select({ id: batches.id, name: batches.name }).from(batches);
    const names = new Map(rows.map((r) => [r.id, r.name]));
    return (key) => names.get(key) ?? key;
  }
  if (groupBy === "region") return (key) => tree.name(key);
  if (groupBy === "category") return (key) => CATEGORY_LABELS[key] ?? key;
  return (key) => key;
}

/**
 * Agreed-volume numerators per group and divisor. A price counts in a region (or a region group)
 * only when every region it supplies lies there, since its agreed volume is not split by region.
 */
async function projectedParts(db: Db, q: SavingsQuery, tree: RegionTree, regionCode: string | null, subtree: string[] | null) {
  const where: SQL[] = [sql`${p.agreedVolume} IS NOT NULL`];
  if (q.batch) where.push(sql`${p.batchId} = ${q.batch}`);
  if (subtree) {
    const px = renderedAlias(priceRegions, "x");
    where.push(sql`${p.supplyRegions} <> ''`);
    where.push(sql`NOT EXISTS (SELECT 1 FROM ${priceRegions} ${px} WHERE ${px.priceId} = ${p.id}
      AND ${px.regionCode} NOT IN (SELECT value FROM json_each(${JSON.stringify(subtree)})))`);
  }
  const byRegion = q.groupBy === "region";
  const groupCol = byRegion ? sql`${p.supplyRegions}` : q.groupBy === "category" ? sql`${b.category}` : q.groupBy === "batch" ? sql`${p.batchId}` : sql`''`;
  const rows = await readRows<ProjectedRow>(
    db,
    sql`SELECT ${groupCol} AS g, ${DIVISOR} AS divisor,
      CAST(SUM(${p.agreedVolume}) AS TEXT) AS units,
      CAST(SUM(${SAVING_PER_PACKAGE} * (${p.agreedVolume} / 1000000)) AS TEXT) AS hi,
      CAST(SUM(${SAVING_PER_PACKAGE} * (${p.agreedVolume} % 1000000)) AS TEXT) AS lo
    FROM ${prices} ${p} JOIN ${products} ${pr} ON ${pr.id} = ${p.productId} JOIN ${batches} ${b} ON ${b.id} = ${p.batchId}
    WHERE ${sql.join(where, sql` AND `)} GROUP BY 1, 2`,
  );
  const groups = new Map<string, ProjectedPart[]>();
  const all: ProjectedPart[] = [];
  for (const r of rows) {
    const part = { divisor: BigInt(r.divisor), units: BigInt(r.units), spendHi: BigInt(r.hi), spendLo: BigInt(r.lo) };
    all.push(part);
    let key: string | null = r.g;
    if (byRegion && r.g === "")
      key = null; // nationwide: in the totals, in no region group
    else if (byRegion) {
      // Supply regions of one price: it belongs to a group only when all of them fall under it.
      const under = new Set(r.g.split(",").map((code) => tree.groupUnder(code, regionCode)));
      key = under.size === 1 ? [...under][0]! : null;
    }
    if (key !== null && q.groupBy !== "month") {
      // Appended in place: thousands of supply-region lists fold into a few dozen groups.
      const list = groups.get(key);
      if (list) list.push(part);
      else groups.set(key, [part]);
    }
  }
  return { groups, all };
}
