import { getTableName, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { regions } from "../db/schema";
import { bareColumns, columnNames, renderedAlias } from "../db/trusted-sql";
import { readRegionList } from "../import/region-list";
import { regionLookup } from "../import/region-names";

/** Region code → Chinese name, for turning stored codes into readable answers. */
export async function regionNameMap(db: Db): Promise<Map<string, string>> {
  const rows = await db.select({ code: regions.code, name: regions.name }).from(regions);
  return new Map(rows.map((r) => [r.code, r.name]));
}

/**
 * Every region's name by code, and the provincial-level purchasers a hospital belongs to (the
 * provinces, and the pooling regions with nothing above them: 新疆生产建设兵团 buys on its own in
 * national procurement, apart from 新疆, and its hospitals choose it as others choose their
 * province), by code; from one read of the regions, which every page with a 省份 select makes.
 */
export async function regionDirectory(db: Db): Promise<{ names: Map<string, string>; purchasers: Array<{ code: string; name: string }> }> {
  const rows = await db
    .select({ code: regions.code, name: regions.name, parentCode: regions.parentCode, level: regions.level })
    .from(regions)
    .orderBy(regions.code);
  return {
    names: new Map(rows.map((r) => [r.code, r.name])),
    purchasers: rows.filter((r) => r.level === "province" || (r.level === "pooling" && r.parentCode === null)).map(({ code, name }) => ({ code, name })),
  };
}

/** Regions through the schema: bare in a CTE's seed, as r in its recursive step; up and down are the CTEs' own columns. */
const c = bareColumns(regions);
const r = renderedAlias(regions, "r");

/** The region, its ancestors and its descendants: the codes whose supply covers it or is covered by it. */
export async function relatedRegionCodes(db: Db, code: string): Promise<string[]> {
  const rows = await readRows<{ code: string }>(
    db,
    sql`
    WITH RECURSIVE
      up(code, parent) AS (
        SELECT ${c.code}, ${c.parentCode} FROM ${regions} WHERE ${c.code} = ${code}
        UNION SELECT ${r.code}, ${r.parentCode} FROM ${regions} ${r} JOIN up ON ${r.code} = up.parent),
      down(code) AS (
        SELECT ${c.code} FROM ${regions} WHERE ${c.code} = ${code}
        UNION SELECT ${r.code} FROM ${regions} ${r} JOIN down ON ${r.parentCode} = down.code)
    SELECT code FROM up UNION SELECT code FROM down`,
  );
  return rows.map((r) => r.code);
}

/** The region and everything below it, for roll-ups. */
export async function descendantRegionCodes(db: Db, code: string): Promise<string[]> {
  const rows = await readRows<{ code: string }>(
    db,
    sql`
    WITH RECURSIVE down(code) AS (
      SELECT ${c.code} FROM ${regions} WHERE ${c.code} = ${code}
      UNION SELECT ${r.code} FROM ${regions} ${r} JOIN down ON ${r.parentCode} = down.code)
    SELECT code FROM down`,
  );
  return rows.map((r) => r.code);
}

type PlaceRow = { code: string; name: string; parentCode: string | null; level: string };

/**
 * The place reads below are SQL text through readRows, as search's other hot reads (every region
 * filter of a search runs them); table and columns named from the schema, unquoted.
 */
const REGIONS = getTableName(regions);
const R = columnNames(regions);
const PLACE_COLUMNS = `${R.code}, ${R.name}, ${R.parentCode} AS parentCode, ${R.level}`;

/**
 * A region as a user names it: its code, its name, or its name without the administrative ending
 * when that is unambiguous (浙江 for 浙江省, 内蒙古 for 内蒙古自治区), as imports accept them.
 */
export async function findPlace(db: Db, codeOrName: string): Promise<PlaceRow | null> {
  const key = codeOrName.normalize("NFKC").trim();
  if (!key) return null;
  // A six-digit GB/T 2260 code of a province (330000) or a city (330100) names the region that the
  // short code of the same digits (33, 3301) stands for, when the table keeps the short form.
  const short = /^\d{6}$/.test(key) ? key.replace(/(00)?00$/, "") : key;
  const [exact] = await readRows<PlaceRow>(
    db,
    `SELECT ${PLACE_COLUMNS} FROM ${REGIONS} WHERE ${R.code} IN (?, ?) OR ${R.name} = ? ORDER BY ${R.code} = ? DESC LIMIT 1`,
    [key, short, key, key],
  );
  if (exact) return exact;
  // A short name is the start of one region's name followed only by an administrative ending.
  const rows = await readRows<PlaceRow>(db, `SELECT ${PLACE_COLUMNS} FROM ${REGIONS} WHERE ${R.name} >= ? AND ${R.name} < ? LIMIT 50`, [
    key,
    `${key}\u{10FFFF}`,
  ]);
  const code = regionLookup(rows).get(key);
  return rows.find((r) => r.code === code) ?? null;
}

/**
 * The regions a text names when it names several, as published tables do (`新疆（含兵团）`, `江苏、浙江`):
 * read as imports read a supply-regions cell; empty unless every part of it is a known region.
 */
export async function regionsNamedIn(db: Db, text: string): Promise<Array<{ code: string; name: string }>> {
  const rows = await readRows<PlaceRow>(db, `SELECT ${PLACE_COLUMNS} FROM ${REGIONS}`);
  const { codes, unknown } = readRegionList(text, regionLookup(rows));
  if (unknown.length) return [];
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return codes.flatMap((code) => byCode.get(code) ?? []);
}

/** The province a region lies in (itself when it is one, or when nothing above it is known). */
export async function provinceOf(db: Db, place: PlaceRow): Promise<PlaceRow> {
  let at = place;
  for (let hops = 0; at.level !== "province" && at.parentCode && hops < 5; hops++) {
    const [up] = await readRows<PlaceRow>(db, `SELECT ${PLACE_COLUMNS} FROM ${REGIONS} WHERE ${R.code} = ?`, [at.parentCode]);
    if (!up) break;
    at = up;
  }
  return at;
}
