import { statSync } from "node:fs";
import { AppError } from "../errors";
import { embeddedFilePath } from "./file-path";

/**
 * Watches the embedded database file a server opened. SQLite creates a missing file on open, and
 * the libSQL client opens connections again on its own (after a transaction, after a busy
 * error), so a file deleted or replaced under a running server would silently become a fresh,
 * empty database. Every use of the connection checks first that the file is still the one opened
 * (same device and inode); if not, the server answers 503 and touches nothing until restarted.
 */
export class DatabaseFileGuard {
  private readonly path: string | null;
  private readonly identity: string | null;
  private reported = false;

  constructor(url: string) {
    this.path = embeddedFilePath(url);
    this.identity = this.path ? identityOf(this.path) : null;
  }

  /** Throws a 503 when the file is gone or is another file than the one opened. */
  check(): void {
    if (!this.path || this.identity === null) return;
    const now = identityOf(this.path);
    if (now === this.identity) return;
    if (!this.reported) {
      this.reported = true;
      console.error(
        JSON.stringify({
          level: "error",
          message: `the database file ${now === null ? "was deleted" : "was replaced"} while the server ran; answering 503 until it is restored and the service restarted`,
        }),
      );
    }
    throw new AppError(
      503,
      "database_unavailable",
      "the database file was removed or replaced while the server was running; an administrator must restore it and restart the service",
    );
  }
}

function identityOf(path: string): string | null {
  const s = statSync(path, { throwIfNoEntry: false });
  return s ? `${s.dev}:${s.ino}` : null;
}
