import { sql } from "drizzle-orm";
import type { Db } from "../../src/db/client";

/**
 * What every table an import can touch holds, base and derived (search, rollups), except the
 * audit log, the imports' journals (src/import/journal.ts), tombstones (a withdrawal's record) and counters. Search keeps a term or a
 * facet row once seen even when its last price is deleted (count 0, no price points to it), on
 * every runtime; such rows answer nothing, so only live ones are compared. FTS internals are left out: the search tests check what they answer.
 * With `stamps: false` every `updated_at` is left out, and nothing else: a withdrawal puts rows back
 * whole but stamps them anew, so a nightly sync hears of them (src/services/import-withdrawal.ts).
 */
export async function snapshotData(db: Db, { stamps = true }: { stamps?: boolean } = {}): Promise<Record<string, unknown[]>> {
  const tables = await db.all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'table'
    AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE '%fts%'
    AND name NOT LIKE 'import_journal%'
    AND name NOT IN ('d1_migrations', 'imports', 'tombstones', 'app_meta', 'import_undo', 'batch_stats', 'search_terms', 'search_grams') ORDER BY name`);
  const live: Record<string, string> = {
    search_facets: "SELECT * FROM search_facets WHERE n > 0",
    search_groups: "SELECT * FROM search_groups WHERE n > 0",
    search_pairs: "SELECT * FROM search_pairs WHERE n > 0",
    search_variants: "SELECT * FROM search_variants v WHERE EXISTS (SELECT 1 FROM price_search s WHERE s.variant_id = v.id)",
    search_code_groups: "SELECT * FROM search_code_groups WHERE n > 0",
    search_cells: "SELECT * FROM search_cells WHERE n > 0",
    search_price_cells: "SELECT * FROM search_price_cells WHERE n > 0",
    search_equivalents: "SELECT * FROM search_equivalents e WHERE EXISTS (SELECT 1 FROM price_search s WHERE s.equiv_id = e.id)",
  };
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const rows = await db.all<Record<string, unknown>>(sql.raw(live[name] ?? `SELECT * FROM "${name}"`));
    out[name] = rows.map((r) => JSON.stringify(stamps ? r : { ...r, updated_at: undefined })).sort();
  }
  out.live_search_terms = (
    await db.all<Record<string, unknown>>(sql`SELECT * FROM search_terms t WHERE EXISTS
      (SELECT 1 FROM price_search s WHERE s.name_id = t.id OR s.firm_id = t.id)`)
  )
    .map((r) => JSON.stringify(r))
    .sort();
  return out;
}
