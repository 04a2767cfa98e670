import type { Client } from "@libsql/client";
import { type Db, libsqlClientOf } from "../db/client";

/** How long the audit row of a dry run keeps being retried while another process holds the write lock. */
const RETRY_FOR_MS = 30 * 60_000;
const RETRY_EVERY_MS = 2000;

const isBusy = (err: unknown) => /SQLITE_BUSY|SQLITE_LOCKED|database is locked/i.test(`${String(err)} ${String((err as { cause?: unknown })?.cause ?? "")}`);

type Waiting = { write: () => Promise<number>; until: number };

/** Audit rows waiting for the write lock, per database (its driver client), written oldest first. */
const queues = new WeakMap<object, { rows: Waiting[]; timer: ReturnType<typeof setTimeout> | null }>();
// as unknown as: every drizzle driver's database has `$client`, but Db (the drivers' common type) does not declare it.
const keyOf = (db: Db): object => (db as unknown as { $client?: object }).$client ?? db;

/**
 * A dry run reads and writes nothing but its audit row, so it must not depend on the write lock:
 * while another process holds it (a CLI import), the report is answered at once and the row is
 * written as soon as the lock is free. Returns the audit id, or null when the row is still pending.
 *
 * Never waits for the lock. The embedded driver waits synchronously (busy_timeout), so each
 * attempt that met the CLI's lock froze the whole event loop, every read included, for the
 * server's 250 ms; with one retry loop per dry run, a dry run every few hundred milliseconds kept
 * the server frozen for most of an import. Attempts now run with no busy wait, and while rows are
 * waiting a new one joins them without trying: one retry every 2 s writes them in order.
 */
export async function auditUnlessLocked(db: Db, write: () => Promise<number>): Promise<number | null> {
  const key = keyOf(db);
  const queue = queues.get(key);
  if (queue?.rows.length) {
    queue.rows.push({ write, until: Date.now() + RETRY_FOR_MS });
    return null;
  }
  try {
    return await withoutWaiting(db, write);
  } catch (err) {
    if (!isBusy(err)) throw err;
    enqueue(db, key, { write, until: Date.now() + RETRY_FOR_MS });
    return null;
  }
}

function enqueue(db: Db, key: object, row: Waiting) {
  let queue = queues.get(key);
  if (!queue) queues.set(key, (queue = { rows: [], timer: null }));
  queue.rows.push(row);
  if (queue.timer) return;
  const q = queue;
  const retry = async () => {
    q.timer = null;
    while (q.rows.length) {
      const next = q.rows[0]!;
      try {
        await withoutWaiting(db, next.write);
      } catch (again) {
        if (isBusy(again) && Date.now() < next.until) break;
        console.error(
          JSON.stringify({
            level: "warn",
            message: `the audit row of a dry run was not written: ${String((again as Error)?.message ?? again).split("\n")[0]}`,
          }),
        );
      }
      q.rows.shift();
      // Each row is its own commit, run synchronously by the embedded driver: a queue of a hundred
      // written in one go held the event loop for most of a second after a CLI import (measured
      // 0.77 s, reads late by 1.4 s). One row per turn of the event loop lets requests run between.
      if (q.rows.length) await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
    if (q.rows.length) q.timer = setTimeout(() => void retry(), RETRY_EVERY_MS);
    q.timer?.unref?.();
  };
  q.timer = setTimeout(() => void retry(), RETRY_EVERY_MS);
  q.timer.unref?.();
}

/**
 * Runs `write` with the embedded connection's busy timeout at 0, so another process's write lock
 * answers SQLITE_BUSY at once instead of blocking the thread; the timeout is restored after (a
 * statement of another request that runs in between fails at once too, instead of 250 ms later,
 * if it meets the same lock). Other
 * databases (D1, a libSQL server) do not block the event loop while they wait and run `write` as is.
 */
async function withoutWaiting<T>(db: Db, write: () => Promise<T>): Promise<T> {
  const client = libsqlClientOf(db);
  if (client?.protocol !== "file") return write();
  const execute = client.execute.bind(client) as Client["execute"];
  const before = Number((await execute("PRAGMA busy_timeout")).rows[0]?.timeout ?? 0);
  await execute("PRAGMA busy_timeout = 0");
  try {
    return await write();
  } finally {
    await execute(`PRAGMA busy_timeout = ${Number.isFinite(before) ? before : 0}`);
  }
}

/** The report of a dry run, saying so when its audit row is still waiting for the lock. */
export function dryRunReport<R extends { warnings: string[] }>(importId: number | null, report: R): R & { importId: number } {
  if (importId !== null) return { importId, ...report };
  return {
    importId: 0,
    ...report,
    warnings: [
      ...report.warnings,
      "another import holds the database's write lock: this dry run's audit entry will be written once it has finished (audit id 0 until then)",
    ],
  };
}
