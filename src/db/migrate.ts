import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { PROJECT_ROOT } from "../project-root";
import type { Db, LibsqlHandle } from "./client";
import { embeddedFilePath } from "./file-path";

export const MIGRATIONS_FOLDER = join(PROJECT_ROOT, "drizzle");

/** Creates the folder of an embedded database file so a fresh clone starts without a manual step. */
export function ensureFileDirectory(url: string): void {
  const path = embeddedFilePath(url);
  if (path) mkdirSync(dirname(path), { recursive: true });
}

/** Settings that make an embedded file safe for concurrent readers and one writer. */
export async function tuneEmbedded(handle: LibsqlHandle, url: string, { busyTimeoutMs = 5000 } = {}): Promise<void> {
  if (!url.startsWith("file:")) return;
  // The wait first: reading the schema to switch the journal is refused at once, not waited for,
  // while another process holds the file (an import's last connection checkpointing as it closes).
  await handle.client.execute(`PRAGMA busy_timeout = ${Math.max(0, Math.round(busyTimeoutMs))}`);
  await handle.client.execute("PRAGMA journal_mode = WAL");
  await handle.client.execute("PRAGMA foreign_keys = ON");
}

/** Applies the committed migrations in drizzle/ (the same files wrangler applies to D1). */
export async function migrateLibsql(db: Db): Promise<void> {
  // as unknown as: the libSQL migrator takes its own database type; Db is the drivers' common one, a libSQL database here.
  await migrate(db as unknown as LibSQLDatabase<Record<string, never>>, { migrationsFolder: MIGRATIONS_FOLDER });
}
