import { accessSync, constants, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createClient } from "@libsql/client";
import { embeddedFilePath } from "../db/file-path";
import { loadConfig } from "../env";
import { describeStartupError } from "./startup-errors";
import { onStopSignals, type StopSignal, signalExitCode } from "./stop-signals";
import { terminalSafe } from "./terminal-safe";

const USAGE = "usage: npm run backup -- <backup file> [--force]   (a consistent copy of the DATABASE_URL file, taken while the server runs)";

/** What a backup holds, read back from the backup itself. */
type BackupSummary = { bytes: number; batches: number; prices: number; products: number; volumes: number; imports: number };

/**
 * `npm run backup -- <file>`: a consistent copy of the embedded database, safe while the server
 * or an import runs. SQLite writes it (VACUUM INTO, one read transaction), never a copy of the
 * file: in WAL mode the main file alone lacks what was committed since the last checkpoint, and a
 * copy made by opening and closing the file in a process that holds a connection to it drops that
 * connection's locks. The copy is written beside the target, checked, then renamed into place, so
 * a failed or interrupted backup leaves no half-written file under the name asked for.
 */
async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { force: { type: "boolean", default: false } } });
  if (positionals.length !== 1) fail(2, USAGE);
  const config = loadConfig(process.env);
  const source = embeddedFilePath(config.DATABASE_URL);
  if (!source)
    fail(
      2,
      "DATABASE_URL is not a database file: back up a libSQL server or Turso database with its own tools (e.g. `turso db shell <name> .dump > backup.sql`), and D1 with `wrangler d1 export <name> --remote --output backup.sql`",
    );
  if (!existsSync(source)) fail(1, `no database at ${terminalSafe(source)}: nothing to back up (check DATABASE_URL)`);
  if (!readable(source)) fail(1, `cannot read ${terminalSafe(source)}: check that this user may read it`);
  const target = resolve(positionals[0]!);
  const folder = dirname(target);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) fail(2, `the folder ${terminalSafe(folder)} does not exist: create it first, or name another`);
  if (existsSync(target) && sameFile(target, source)) fail(2, `${terminalSafe(target)} is the database itself: name another file for the backup`);
  if (existsSync(target) && !values.force) fail(2, `${terminalSafe(target)} exists: name another file, or add --force to replace it`);

  const partial = join(folder, `.${basename(target)}.partial-${process.pid}`);
  const removePartial = () => rmSync(partial, { force: true });
  const stop = (signal: StopSignal) => {
    removePartial();
    console.error(`${signal}: stopped; no backup was written`);
    process.exit(signalExitCode(signal));
  };
  // VACUUM INTO runs synchronously; a stop signal is handled after it, removing the unfinished copy.
  const removeHandlers = onStopSignals({ graceful: stop, immediate: stop });
  const started = performance.now();
  try {
    await vacuumInto(source, partial);
    const summary = await check(partial);
    renameSync(partial, target);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `${terminalSafe(target)}: backup of ${terminalSafe(source)} written in ${seconds} s (${(summary.bytes / 1024 / 1024).toFixed(1)} MB; ${summary.batches} batches, ${summary.prices} prices, ${summary.products} products, ${summary.volumes} volume rows, ${summary.imports} imports in the audit log; integrity ok)`,
    );
  } catch (err) {
    removePartial();
    fail(1, `no backup was written: ${backupError(err, source, folder)}`);
  } finally {
    removeHandlers();
  }
}

async function vacuumInto(source: string, into: string): Promise<void> {
  const client = createClient({ url: `file:${source}` });
  try {
    // A checkpoint or an import's commit holds the database briefly; wait for it as the server does.
    await client.execute("PRAGMA busy_timeout = 5000");
    await client.execute({ sql: "VACUUM INTO ?", args: [into] });
  } finally {
    client.close();
  }
}

/** Opens the copy on its own, switches it to a rollback journal (so it is one file), and reads back what it holds. */
async function check(file: string): Promise<BackupSummary> {
  const client = createClient({ url: `file:${file}` });
  try {
    await client.execute("PRAGMA journal_mode = DELETE");
    const integrity = String((await client.execute("PRAGMA integrity_check(1)")).rows[0]?.[0]);
    if (integrity !== "ok") throw new Error(`the copy failed its integrity check: ${integrity}`);
    const count = async (table: string) => Number((await client.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0);
    return {
      bytes: statSync(file).size,
      batches: await count("batches"),
      prices: await count("prices"),
      products: await count("products"),
      volumes: await count("volumes"),
      imports: await count("imports"),
    };
  } finally {
    client.close();
  }
}

/** Says what to do: the database's own faults as the server says them at start, the backup folder's by name. */
function backupError(err: unknown, source: string, folder: string): string {
  const raw = `${err instanceof Error ? err.message : String(err)} ${(err as { code?: string })?.code ?? ""}`;
  if (/SQLITE_FULL|disk is full|ENOSPC/i.test(raw)) return `the disk holding ${terminalSafe(folder)} is full: free some space or name a file on another disk`;
  if (/SQLITE_CANTOPEN|unable to open|EACCES|EROFS|readonly/i.test(raw)) return `cannot write in ${terminalSafe(folder)}: check that this user may write there`;
  return terminalSafe(describeStartupError(err, `file:${source}`));
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function sameFile(a: string, b: string): boolean {
  const [x, y] = [statSync(a), statSync(b)];
  return x.dev === y.dev && x.ino === y.ino;
}

function fail(code: number, message: string): never {
  console.error(message);
  process.exit(code);
}

main().catch((err: unknown) => fail(1, terminalSafe(err instanceof Error ? err.message : String(err))));
