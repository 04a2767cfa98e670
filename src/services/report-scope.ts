import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { batches } from "../db/schema";
import { notFound } from "../errors";
import { loadRegionTree } from "./region-tree";

/**
 * The batch and region a savings or progress question is about, checked once: an unknown batch or
 * region is a 404, and a region stands for itself and every region below it.
 */
export async function resolveReportScope(db: Db, q: { batch?: string; region?: string }) {
  if (q.batch) {
    const found = await db.select({ id: batches.id }).from(batches).where(eq(batches.id, q.batch));
    if (!found.length) throw notFound("batch", q.batch);
  }
  const tree = await loadRegionTree(db);
  const region = q.region === undefined ? null : tree.find(q.region);
  if (q.region !== undefined && !region) throw notFound("region", q.region);
  return { tree, region, subtree: region ? tree.subtree(region.code) : null };
}
