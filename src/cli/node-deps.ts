import { createHash } from "node:crypto";
import { drizzle } from "drizzle-orm/libsql";
import type { AppDeps } from "../context";
import type { Db, LibsqlHandle } from "../db/client";
import { openLibsql } from "../db/client";
import { ReopeningLibsql } from "../db/reopening-libsql";
import * as schema from "../db/schema";
import { writeXlsx } from "../export/xlsx-writer";
import { openWorkbookTable } from "../import/xlsx/read-workbook";
import { diskSpooler } from "../node-http/disk-spool";
import { readMultipartForm } from "../node-http/form-reader";
import { ownConnectionWrite } from "../node-http/import-connection";
import { importThreadBuilt, spooledImporter } from "../node-http/import-in-worker";
import { MemoryResponseCache } from "../node-http/memory-response-cache";
import { pooledClient } from "../node-http/pooled-client";
import type { ReadPool } from "../node-http/read-pool";
import { nodeVendorAssets } from "../node-http/vendor-assets";
import { readCallsOver } from "../services/read-calls";

export type NodeDepsOptions = Omit<AppDeps, "db" | "onDatabaseBusy" | "responseCache" | "spoolUpload" | "importWrite"> & {
  /** Where uploads are spooled while they are imported (UPLOAD_SPOOL_DIR); the system's temp folder by default. */
  uploadSpoolDir?: string;
  /** Memory for cached GET answers; 0 or undefined keeps no cache. */
  responseCacheBytes?: number;
  /** Threads that run plain reads off the event loop (READ_THREADS); none: every statement on the server's connection. */
  readPool?: ReadPool;
  /** Heap of the thread that imports a spooled upload, in MB (src/node-http/import-in-worker.ts). */
  importHeapMb?: number;
  /** Import spooled uploads on a thread of their own; by default when running from the build (npm start). */
  importInThread?: boolean;
};

/**
 * The dependencies the Node server hands every request: one long-lived libSQL connection that is
 * replaced after a busy error (see ReopeningLibsql), plus the settings.
 */
export function nodeDeps(handle: LibsqlHandle, url: string, authToken: string | undefined, options: NodeDepsOptions) {
  const connection = new ReopeningLibsql(handle, url, authToken);
  // Runs before the first request is served: libSQL's embedded calls do their work synchronously.
  void connection
    .tune()
    .catch((err: unknown) => console.error(JSON.stringify({ level: "error", message: `could not tune the database connection: ${String(err)}` })));
  const { responseCacheBytes, readPool, uploadSpoolDir, importHeapMb, importInThread = importThreadBuilt(), ...settings } = options;
  // With a read pool, one drizzle instance over a client that sends reads to the pool and the rest
  // to whichever connection is current (it may be replaced after a busy error).
  // as unknown as: drizzle's libSQL database type declares its own batch() signature, narrower than Db's common one.
  const pooled = readPool
    ? (drizzle(
        pooledClient(() => connection.client, readPool),
        { schema },
      ) as unknown as Db)
    : null;
  const local = pooled ? readCallsOver(pooled, { readWorkbook: openWorkbookTable, spreadsheets: writeXlsx }) : null;
  const deps: AppDeps = {
    ...settings,
    // A search, product answer or price check goes to a read thread whole once one has loaded the calls' module; until then its statements do, one by one.
    readCalls:
      readPool && local
        ? {
            priceListJson: (query) => readPool.call("priceListJson", query) ?? local.priceListJson(query),
            searchGroups: (query) => readPool.call("searchGroups", query) ?? local.searchGroups(query),
            getProduct: (id, query) => readPool.call("getProduct", id, query) ?? local.getProduct(id, query),
            productJson: (id, query) => readPool.call("productJson", id, query) ?? local.productJson(id, query),
            priceCheckJson: (list, query) => readPool.call("priceCheckJson", list, query) ?? local.priceCheckJson(list, query),
            priceCheckXlsx: (list, query) => readPool.call("priceCheckXlsx", list, query) ?? local.priceCheckXlsx(list, query),
            priceCheck: (list, query, lines) => readPool.call("priceCheck", list, query, lines) ?? local.priceCheck(list, query, lines),
            priceCheckReport: (list, query, format) => readPool.call("priceCheckReport", list, query, format) ?? local.priceCheckReport(list, query, format),
          }
        : undefined,
    sha256: (body) => createHash("sha256").update(body).digest(),
    responseCache: responseCacheBytes ? new MemoryResponseCache(responseCacheBytes) : undefined,
    vendorAssets: nodeVendorAssets(),
    readWorkbook: openWorkbookTable,
    spoolUpload: diskSpooler(uploadSpoolDir),
    readMultipart: readMultipartForm,
    // connection.db checks first that the database file is still the one opened: never open a new
    // connection on a deleted file, which SQLite would create empty.
    importWrite: ownConnectionWrite(() => {
      void connection.db;
      return openLibsql(url, authToken);
    }, url),
    importSpooled: importInThread ? spooledImporter(url, authToken, importHeapMb) : undefined,
    get db() {
      // connection.db first: it checks that the database file is still the one opened (file-guard.ts).
      const own = connection.db;
      return pooled ?? own;
    },
    get ownDb() {
      return connection.db;
    },
    onDatabaseBusy: () => {
      void connection
        .reopen()
        .catch((err: unknown) => console.error(JSON.stringify({ level: "error", message: `could not reopen the database: ${String(err)}` })));
    },
    spreadsheets: writeXlsx,
  };
  return {
    deps,
    connection,
    /** Closes the connection and the read threads, waiting up to `statementWaitMs` for a thread still inside a statement. */
    close: async (statementWaitMs?: number) => {
      connection.close();
      await readPool?.close(statementWaitMs);
    },
  };
}
