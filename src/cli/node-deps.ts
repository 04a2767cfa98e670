import { writeXlsx } from "../export/xlsx-writer";
import type { AppDeps } from "../context";
import type { LibsqlHandle } from "../db/client";
import { ReopeningLibsql } from "../db/reopening-libsql";
import { MemoryResponseCache } from "../node-http/memory-response-cache";

export type NodeDepsOptions = Omit<AppDeps, "db" | "onDatabaseBusy" | "responseCache"> & {
  /** Memory for cached GET answers; 0 or undefined keeps no cache. */
  responseCacheBytes?: number;
};

/**
 * The dependencies the Node server hands every request: one long-lived libSQL connection that is
 * replaced after a busy error (see ReopeningLibsql), plus the settings.
 */
export function nodeDeps(handle: LibsqlHandle, url: string, authToken: string | undefined, options: NodeDepsOptions) {
  const connection = new ReopeningLibsql(handle, url, authToken);
  const { responseCacheBytes, ...settings } = options;
  const deps: AppDeps = {
    ...settings,
    responseCache: responseCacheBytes ? new MemoryResponseCache(responseCacheBytes) : undefined,
    get db() {
      return connection.db;
    },
    onDatabaseBusy: () => {
      void connection.reopen().catch((err: unknown) => console.error(JSON.stringify({ level: "error", message: `could not reopen the database: ${String(err)}` })));
    },
    spreadsheets: writeXlsx,
  };
  return { deps, connection, close: () => connection.close() };
}
