import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { ImportKind } from "../db/schema";

/** A saved way of reading one publisher's files: the column mapping and the sheet. */
export type ImportProfile = { kind: ImportKind; map: string[]; sheet?: string };

const key = (name: string) => `import_profile:${name}`;

export const PROFILE_NAME = /^[\p{L}\p{N}_.-]{1,64}$/u;

/** Profiles live beside the data version in app_meta, so the CLI, the API and the page share them. */
export async function loadImportProfile(db: Db, name: string): Promise<ImportProfile | null> {
  const rows = await db.all<{ value: string }>(sql`SELECT value FROM app_meta WHERE key = ${key(name)}`);
  return rows[0] ? (JSON.parse(rows[0].value) as ImportProfile) : null;
}

export async function saveImportProfile(db: Db, name: string, profile: ImportProfile): Promise<void> {
  await db.run(sql`INSERT INTO app_meta (key, value) VALUES (${key(name)}, ${JSON.stringify(profile)})
    ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
}

export async function listImportProfiles(db: Db): Promise<Array<{ name: string } & ImportProfile>> {
  const rows = await db.all<{ key: string; value: string }>(sql`SELECT key, value FROM app_meta WHERE key LIKE 'import_profile:%' ORDER BY key`);
  return rows.map((r) => ({ name: r.key.slice("import_profile:".length), ...(JSON.parse(r.value) as ImportProfile) }));
}
