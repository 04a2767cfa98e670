import type { LibsqlHandle } from "../db/client";
import { tuneEmbedded } from "../db/migrate";
import { SERVER_BUSY_TIMEOUT_MS } from "../db/reopening-libsql";
import { refreshStatistics } from "../db/statistics";
import { type AtomicWrite, transactionWrite } from "../import/writer";

/**
 * The CLI's writer for imports over HTTP: one write transaction, fed chunk by chunk and staging
 * rows in TEMP tables (spilled to disk), on a connection opened for this import and closed after
 * it. Memory stays flat whatever the file's size, unlike one batch of every statement. The
 * connection is its own, so a busy or failed transaction never leaves the server's connection
 * unable to commit (see ReopeningLibsql), and readers on the server's connection keep seeing the
 * data as it was until COMMIT.
 */
export function ownConnectionWrite(open: () => LibsqlHandle, url: string): AtomicWrite {
  // Smaller than the CLI's chunks and slices: the server's RSS, not the import's speed, is what an
  // upload is held to. A million prices peaked at 292 MB instead of 300, 7 % slower (541 s, 504 before).
  const transaction = transactionWrite({ chunkRows: 2000, stagedRows: 10_000 });
  const write: AtomicWrite = async (_db, chunks, beforeCommit) => {
    const handle = open();
    try {
      // The event loop waits while the driver waits for a lock: as briefly as the server's own connection.
      await tuneEmbedded(handle, url, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
      // This libSQL build keeps TEMP tables in memory unless told otherwise (see the CLI).
      if (url.startsWith("file:")) await handle.client.execute("PRAGMA temp_store = FILE");
      await transaction(handle.db, chunks, beforeCommit);
      // PRAGMA optimize knows what changed only on the connection that wrote: run it here, after COMMIT.
      await refreshStatistics(handle.db);
    } finally {
      handle.close();
    }
  };
  return Object.assign(write, { bulkStatements: transaction.bulkStatements, chunkRows: transaction.chunkRows, stagedRows: transaction.stagedRows });
}
