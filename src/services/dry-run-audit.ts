/** How long the audit row of a dry run keeps being retried while another process holds the write lock. */
const RETRY_FOR_MS = 30 * 60_000;
const RETRY_EVERY_MS = 2000;

const isBusy = (err: unknown) => /SQLITE_BUSY|SQLITE_LOCKED|database is locked/i.test(`${String(err)} ${String((err as { cause?: unknown })?.cause ?? "")}`);

/**
 * A dry run reads and writes nothing but its audit row, so it must not depend on the write lock:
 * while another process holds it (a CLI import), the report is answered at once and the row is
 * written as soon as the lock is free. Returns the audit id, or null when the row is still pending.
 */
export async function auditUnlessLocked(write: () => Promise<number>): Promise<number | null> {
  try {
    return await write();
  } catch (err) {
    if (!isBusy(err)) throw err;
    const until = Date.now() + RETRY_FOR_MS;
    const retry = () => {
      write().catch((again: unknown) => {
        if (isBusy(again) && Date.now() < until) setTimeout(retry, RETRY_EVERY_MS).unref?.();
        else console.error(JSON.stringify({ level: "warn", message: `the audit row of a dry run was not written: ${String((again as Error)?.message ?? again).split("\n")[0]}` }));
      });
    };
    setTimeout(retry, RETRY_EVERY_MS).unref?.();
    return null;
  }
}

/** The report of a dry run, saying so when its audit row is still waiting for the lock. */
export function dryRunReport<R extends { warnings: string[] }>(importId: number | null, report: R): R & { importId: number } {
  if (importId !== null) return { importId, ...report };
  return {
    importId: 0,
    ...report,
    warnings: [...report.warnings, "another import holds the database's write lock: this dry run's audit entry will be written once it has finished (audit id 0 until then)"],
  };
}
