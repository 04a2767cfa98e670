import { type Db, type LibsqlHandle, openLibsql } from "./client";
import { DatabaseFileGuard } from "./file-guard";
import { tuneEmbedded } from "./migrate";

/**
 * How long the server's connection waits for another process's write lock (a CLI import). The
 * libSQL driver waits synchronously, so the whole event loop, every read included, stalls for
 * this long; the CLI keeps SQLite's 5 s, the server answers a write 503 after this instead.
 */
export const SERVER_BUSY_TIMEOUT_MS = 250;

/** How long a replaced connection stays open for the requests still using it. */
const RETIRE_AFTER_MS = 30_000;

/**
 * A long-lived libSQL connection that can be replaced. @libsql/client 0.18 leaves a statement that
 * failed with SQLITE_BUSY unfinalized, after which every COMMIT on that connection fails ("SQL
 * statements in progress", libsql-client-ts#352) until garbage collection happens to run. After a
 * busy error the server therefore moves to a fresh connection, so a moment of contention (a backup,
 * a CLI import) never leaves it unable to write.
 */
export class ReopeningLibsql {
  private current: LibsqlHandle;
  private reopening: Promise<void> | null = null;
  private readonly retired = new Set<LibsqlHandle>();
  private readonly guard: DatabaseFileGuard;

  constructor(
    handle: LibsqlHandle,
    private readonly url: string,
    private readonly authToken?: string,
  ) {
    this.current = handle;
    this.guard = new DatabaseFileGuard(url);
  }

  /** Applies the server's busy timeout to the first connection (reopened ones get it in reopen()). */
  async tune(): Promise<void> {
    await tuneEmbedded(this.current, this.url, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
  }

  get db(): Db {
    this.guard.check();
    return this.current.db;
  }

  get client(): LibsqlHandle["client"] {
    return this.current.client;
  }

  /** Opens a new connection and retires the old one once its in-flight requests are done. */
  reopen(): Promise<void> {
    this.reopening ??= (async () => {
      // Never open a new connection on a deleted file: SQLite would create an empty one.
      this.guard.check();
      const fresh = openLibsql(this.url, this.authToken);
      await tuneEmbedded(fresh, this.url, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
      const old = this.current;
      this.current = fresh;
      this.retired.add(old);
      setTimeout(() => this.retire(old), RETIRE_AFTER_MS).unref?.();
    })().finally(() => {
      this.reopening = null;
    });
    return this.reopening;
  }

  close(): void {
    for (const old of this.retired) this.retire(old);
    this.current.close();
  }

  private retire(handle: LibsqlHandle): void {
    if (!this.retired.delete(handle)) return;
    handle.close();
  }
}
