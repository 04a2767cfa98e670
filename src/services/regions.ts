import { readRows } from "../db/read-rows";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { regions } from "../db/schema";

/** Region code → Chinese name, for turning stored codes into readable answers. */
export async function regionNameMap(db: Db): Promise<Map<string, string>> {
  const rows = await db.select({ code: regions.code, name: regions.name }).from(regions);
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** Finds a region by its code or exact Chinese name. */
export async function findRegion(db: Db, codeOrName: string) {
  const key = codeOrName.trim();
  const rows = await readRows<{ code: string; name: string; parentCode: string | null; fundShareBp: number | null }>(db, 
    sql`SELECT code, name, parent_code AS parentCode, fund_share_bp AS fundShareBp FROM regions WHERE code = ${key} OR name = ${key} LIMIT 1`,
  );
  return rows[0] ?? null;
}

/** The region, its ancestors and its descendants: the codes whose supply covers it or is covered by it. */
export async function relatedRegionCodes(db: Db, code: string): Promise<string[]> {
  const rows = await readRows<{ code: string }>(db, sql`
    WITH RECURSIVE
      up(code, parent) AS (
        SELECT code, parent_code FROM regions WHERE code = ${code}
        UNION SELECT r.code, r.parent_code FROM regions r JOIN up ON r.code = up.parent),
      down(code) AS (
        SELECT code FROM regions WHERE code = ${code}
        UNION SELECT r.code FROM regions r JOIN down ON r.parent_code = down.code)
    SELECT code FROM up UNION SELECT code FROM down`);
  return rows.map((r) => r.code);
}

/** The region and everything below it, for roll-ups. */
export async function descendantRegionCodes(db: Db, code: string): Promise<string[]> {
  const rows = await readRows<{ code: string }>(db, sql`
    WITH RECURSIVE down(code) AS (
      SELECT code FROM regions WHERE code = ${code}
      UNION SELECT r.code FROM regions r JOIN down ON r.parent_code = down.code)
    SELECT code FROM down`);
  return rows.map((r) => r.code);
}
