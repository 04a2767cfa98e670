import { eq, like, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { appMeta, type ImportKind } from "../db/schema";
import { bareColumns } from "../db/trusted-sql";

/** A saved way of reading one publisher's files: the column mapping and the sheet. */
export type ImportProfile = { kind: ImportKind; map: string[]; sheet?: string };

const key = (name: string) => `import_profile:${name}`;

export const PROFILE_NAME = /^[\p{L}\p{N}_.-]{1,64}$/u;

/** Profiles live beside the data version in app_meta, so the CLI, the API and the page share them. */
export async function loadImportProfile(db: Db, name: string): Promise<ImportProfile | null> {
  const rows = await db
    .select({ value: appMeta.value })
    .from(appMeta)
    .where(eq(appMeta.key, key(name)));
  return rows[0] ? (JSON.parse(rows[0].value) as ImportProfile) : null;
}

export async function saveImportProfile(db: Db, name: string, profile: ImportProfile): Promise<void> {
  await db
    .insert(appMeta)
    .values({ key: key(name), value: JSON.stringify(profile) })
    .onConflictDoUpdate({ target: appMeta.key, set: { value: sql`excluded.${bareColumns(appMeta).value}` } });
}

export async function listImportProfiles(db: Db): Promise<Array<{ name: string } & ImportProfile>> {
  const rows = await db.select({ key: appMeta.key, value: appMeta.value }).from(appMeta).where(like(appMeta.key, "import_profile:%")).orderBy(appMeta.key);
  return rows.map((r) => ({ name: r.key.slice("import_profile:".length), ...(JSON.parse(r.value) as ImportProfile) }));
}
