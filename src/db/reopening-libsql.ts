import { openLibsql, type Db, type LibsqlHandle } from "./client";
import { tuneEmbedded } from "./migrate";

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

  constructor(
    handle: LibsqlHandle,
    private readonly url: string,
    private readonly authToken?: string,
  ) {
    this.current = handle;
  }

  get db(): Db {
    return this.current.db;
  }

  get client(): LibsqlHandle["client"] {
    return this.current.client;
  }

  /** Opens a new connection and retires the old one once its in-flight requests are done. */
  reopen(): Promise<void> {
    this.reopening ??= (async () => {
      const fresh = openLibsql(this.url, this.authToken);
      await tuneEmbedded(fresh, this.url);
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
