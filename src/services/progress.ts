import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { agreedVolumes, batches, type ProductRow, priceRegions, prices, products, purchasesByPriceRegion, regions } from "../db/schema";
import { bareColumns, renderedAlias } from "../db/trusted-sql";
import { behindSchedule, completionPct, cycleSchedule, expectedByNow, remainingVolume, roundFraction } from "../domain";
import { badRequest } from "../errors";
import { decodeCursor, encodeCursor } from "./cursor";
import { resolveReportScope } from "./report-scope";

export type ProgressQuery = { batch?: string; region?: string; asOf?: string; limit: number; cursor?: string };

/** One chosen price's progress in a region: its product's fields as the schema types them, and the sums read beside them. */
type ProgressRow = Pick<ProductRow, "genericName" | "spec" | "manufacturer" | "smallestUnit"> & {
  id: number;
  batchId: string;
  batchName: string;
  productId: number;
  agreedVolume: number | null;
  regional: string;
  boughtIn: string;
  cycleStart: string | null;
  cycleEnd: string | null;
  purchased: string;
};

const p = renderedAlias(prices, "p");
const pr = renderedAlias(products, "pr");
const b = renderedAlias(batches, "b");
const a = renderedAlias(agreedVolumes, "a");
const u = renderedAlias(purchasesByPriceRegion, "u");
const agreedCols = bareColumns(agreedVolumes);
const suppliedCols = bareColumns(priceRegions);
const boughtCols = bareColumns(purchasesByPriceRegion);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** 2022-02-30 matches the pattern but is no day; a round trip through Date tells. */
function isRealDay(iso: string): boolean {
  const t = Date.parse(`${iso}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === iso;
}

/**
 * Agreed volume (约定采购量) against units bought so far, per chosen price, with the completion rate
 * (完成率) and whether buying is behind a straight line from cycle start to end. Purchases come from
 * the per-price rollup the volume triggers maintain.
 */
export async function getProgress(db: Db, q: ProgressQuery) {
  const asOf = q.asOf ?? new Date().toISOString().slice(0, 10);
  if (!DATE.test(asOf) || !isRealDay(asOf)) throw badRequest("invalid_date", `asOf must be a date like 2022-06-30, not "${asOf}"`);
  const { region, subtree } = await resolveReportScope(db, q);
  const inSubtree = subtree
    ? sql`(${sql.join(
        subtree.map((c) => sql`${c}`),
        sql`, `,
      )})`
    : null;

  const where: SQL[] = [sql`(${p.agreedVolume} IS NOT NULL OR ${p.id} IN (SELECT ${agreedCols.priceId} FROM ${agreedVolumes}))`];
  if (q.batch) where.push(sql`${p.batchId} = ${q.batch}`);
  if (inSubtree) {
    // A price is followed in a region it supplies or where it was bought.
    where.push(sql`(${p.id} IN (SELECT ${suppliedCols.priceId} FROM ${priceRegions} WHERE ${suppliedCols.regionCode} IN ${inSubtree})
      OR ${p.id} IN (SELECT ${boughtCols.priceId} FROM ${purchasesByPriceRegion} WHERE ${boughtCols.regionCode} IN ${inSubtree} AND ${boughtCols.volumeRows} > 0))`);
  }
  // SQL text: the conditions are shared with the page read below, a join over alias p with subqueries.
  const [count] = await readRows<{ n: number }>(db, sql`SELECT count(*) AS n FROM ${prices} ${p} WHERE ${sql.join(where, sql` AND `)}`);
  if (q.cursor) where.push(sql`${p.id} > ${decodeCursor(q.cursor).id}`);
  const purchasedIn = inSubtree ? sql`AND ${u.regionCode} IN ${inSubtree}` : sql``;
  const rows = await readRows<ProgressRow>(
    db,
    sql`
    SELECT ${p.id} AS id, ${b.id} AS batchId, ${b.name} AS batchName, ${pr.id} AS productId, ${pr.genericName} AS genericName, ${pr.spec} AS spec,
      ${pr.manufacturer} AS manufacturer, ${pr.smallestUnit} AS smallestUnit, ${p.agreedVolume} AS agreedVolume,
      (SELECT json_group_array(json_array(${a.regionCode}, ${a.institution}, ${a.units}, ${a.purchased})) FROM ${agreedVolumes} ${a} WHERE ${a.priceId} = ${p.id}) AS regional,
      (SELECT json_group_array(json_array(${u.regionCode}, CAST(${u.units} AS TEXT))) FROM ${purchasesByPriceRegion} ${u}
        WHERE ${u.priceId} = ${p.id} AND ${u.volumeRows} > 0) AS boughtIn,
      COALESCE(${p.cycleStart}, ${b.cycleStart}) AS cycleStart, COALESCE(${p.cycleEnd}, ${b.cycleEnd}) AS cycleEnd,
      (SELECT CAST(COALESCE(SUM(${u.units}), 0) AS TEXT) FROM ${purchasesByPriceRegion} ${u} WHERE ${u.priceId} = ${p.id} ${purchasedIn}) AS purchased
    FROM ${prices} ${p} JOIN ${products} ${pr} ON ${pr.id} = ${p.productId} JOIN ${batches} ${b} ON ${b.id} = ${p.batchId}
    WHERE ${sql.join(where, sql` AND `)} ORDER BY ${p.id} LIMIT ${q.limit + 1}`,
  );
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];

  const tree = await regionTree(db);
  const data = page.map((r) => {
    const regional = regionalProgress(r, tree, subtree ? new Set(subtree) : null);
    // National: the sum of the regions' own agreed volumes when the price has them, else its own.
    const agreed = regional.length
      ? regional.filter((x) => x.institution === null).reduce((sum, x) => sum + BigInt(x.agreedVolume), 0n) ||
        regional.reduce((sum, x) => sum + BigInt(x.agreedVolume), 0n)
      : BigInt(r.agreedVolume ?? 0);
    const purchased = BigInt(r.purchased);
    const schedule = cycleSchedule(r.cycleStart, r.cycleEnd, asOf);
    return {
      priceId: r.id,
      batch: { id: r.batchId, name: r.batchName },
      product: { id: r.productId, genericName: r.genericName, spec: r.spec, manufacturer: r.manufacturer, smallestUnit: r.smallestUnit },
      agreedVolume: Number(agreed),
      purchased: Number(purchased),
      completionPct: completionPct(purchased, agreed),
      remaining: Number(remainingVolume(purchased, agreed)),
      cycleStart: r.cycleStart,
      cycleEnd: r.cycleEnd,
      daysLeft: schedule?.daysLeft ?? null,
      expectedByNow: schedule ? roundFraction(expectedByNow(agreed, schedule), 2) : null,
      behindSchedule: schedule ? behindSchedule(purchased, agreed, schedule) : null,
      agreedVolumeFrom: regional.length ? ("regions" as const) : ("price" as const),
      regions: regional,
    };
  });
  return {
    data,
    meta: {
      total: count?.n ?? 0,
      nextCursor: rows.length > q.limit && last ? encodeCursor({ v: null, id: last.id }) : null,
      asOf,
      region: region ? { code: region.code, name: region.name, includesChildren: true } : null,
      notes: [
        "agreed volume and purchases are in smallest units; with a region filter, purchases count only that region (and its children) while the agreed volume is the price's whole agreed volume",
        "behindSchedule: fewer units bought than agreed × (days of the cycle before asOf) / (days in the cycle)",
      ],
    },
  };
}

type RegionTree = { parent: Map<string, string | null>; name: Map<string, string> };

async function regionTree(db: Db): Promise<RegionTree> {
  const rows = await db.select({ code: regions.code, name: regions.name, parentCode: regions.parentCode }).from(regions);
  return { parent: new Map(rows.map((r) => [r.code, r.parentCode])), name: new Map(rows.map((r) => [r.code, r.name])) };
}

/** True when `code` is `ancestor` or lies under it in the region tree. */
function within(tree: RegionTree, code: string, ancestor: string): boolean {
  let at: string | null | undefined = code;
  for (let hops = 0; at && hops < 8; hops++) {
    if (at === ancestor) return true;
    at = tree.parent.get(at);
  }
  return false;
}

/**
 * 完成率 per region (and institution) of one price, each against its own agreed volume: a region's
 * purchases are the volume rows bought in it or under it; an institution's are what its report
 * states (null when it states none). Limited to `scope` (a region filter's subtree) when given.
 */
function regionalProgress(r: ProgressRow, tree: RegionTree, scope: Set<string> | null) {
  const agreed = JSON.parse(r.regional) as Array<[string, string, number, number | null]>;
  const bought = JSON.parse(r.boughtIn) as Array<[string, string]>;
  return agreed
    .filter(([code]) => !scope || scope.has(code))
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([code, institution, units, stated]) => {
      const purchased = institution
        ? stated === null
          ? null
          : BigInt(stated)
        : bought.filter(([c]) => within(tree, c, code)).reduce((sum, [, n]) => sum + BigInt(n), 0n);
      return {
        region: { code, name: tree.name.get(code) ?? code },
        institution: institution || null,
        agreedVolume: units,
        purchased: purchased === null ? null : Number(purchased),
        completionPct: purchased === null ? null : completionPct(purchased, BigInt(units)),
      };
    });
}
