import { type LibsqlHandle, openLibsql } from "../db/client";
import { ensureFileDirectory, migrateLibsql, tuneEmbedded } from "../db/migrate";
import { importFiles, isEmpty } from "../services/seed";
import { seedFiles } from "./files";
import { describeStartupError } from "./startup-errors";

export class DatabaseStartupError extends Error {}

/** Opens the configured database, applies migrations and seeds it when it has no batches yet. */
export async function openMigrated(url: string, authToken?: string, { seed = true } = {}): Promise<LibsqlHandle & { seeded: boolean }> {
  let handle: LibsqlHandle | undefined;
  try {
    ensureFileDirectory(url);
    handle = openLibsql(url, authToken);
    await tuneEmbedded(handle, url);
    await migrateLibsql(handle.db);
    let seeded = false;
    if (seed && (await isEmpty(handle.db))) {
      await importFiles(handle.db, seedFiles(), "seed");
      seeded = true;
    }
    return { ...handle, seeded };
  } catch (err) {
    handle?.close();
    throw new DatabaseStartupError(describeStartupError(err, url), { cause: err });
  }
}
