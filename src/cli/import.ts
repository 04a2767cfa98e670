import { basename } from "node:path";
import { parseArgs } from "node:util";
import { IMPORT_KINDS, type ImportKind } from "../db/schema";
import { loadConfig } from "../env";
import { hasLibsqlTransactions, libsqlTransactionWrite, type AtomicWrite } from "../import/writer";
import { runImport } from "../services/imports";
import { openMigrated } from "./database";
import { fileSource } from "./file-source";
import { createProgressReporter } from "./import-progress";
import { ImportInterrupted, interruptible } from "./interrupt";
import { onStopSignals, signalExitCode } from "./stop-signals";
import { terminalSafe } from "./terminal-safe";

const USAGE = "usage: npm run import -- <batches|regions|prices|volumes> <file.csv> [--batch <id>] [--dry-run]";

/** `npm run import`: the same all-or-nothing import as the HTTP endpoint, streamed from disk. */
async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { batch: { type: "string" }, "dry-run": { type: "boolean", default: false } },
  });
  const [kind, file] = positionals;
  if (!kind || !file || !(IMPORT_KINDS as readonly string[]).includes(kind)) {
    console.error(USAGE);
    process.exit(2);
  }
  let source: ReturnType<typeof fileSource>;
  try {
    source = fileSource(file);
  } catch {
    console.error(`${terminalSafe(file)}: cannot read this file (does it exist?)\n${USAGE}`);
    process.exit(2);
  }
  const config = loadConfig(process.env);
  const handle = await openMigrated(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  // This libSQL build keeps temporary tables and sort runs in memory by default (TEMP_STORE=2);
  // a million-row import stages its rows in TEMP tables, so they go to disk to bound memory.
  if (config.DATABASE_URL.startsWith("file:")) await handle.client.execute("PRAGMA temp_store = FILE");
  const progress = createProgressReporter(terminalSafe(basename(file)));
  // Ctrl-C (or SIGTERM) stops the import at its next chunk: the transaction rolls back and the
  // process says so. A second one exits at once; SQLite discards the uncommitted transaction.
  const interrupt = new AbortController();
  let committed = false;
  const removeSignalHandlers = onStopSignals({
    graceful(signal) {
      progress.stop();
      console.error(`${signal}: stopping the import and rolling it back…`);
      interrupt.abort(new ImportInterrupted(signal));
    },
    immediate(signal) {
      console.error(committed ? `${signal} again: stopped; the import had already been committed` : `${signal} again: stopped at once; the import was not committed, nothing was written`);
      process.exit(signalExitCode(signal));
    },
  });
  const transaction = hasLibsqlTransactions(handle.db) ? libsqlTransactionWrite : undefined;
  const write: AtomicWrite | undefined = transaction && Object.assign(async (...args: Parameters<AtomicWrite>) => {
    await transaction(...args);
    committed = true;
  }, transaction);
  try {
    const report = await runImport(handle.db, {
      kind: kind as ImportKind,
      source: interruptible(source, interrupt.signal),
      sha256: source.sha256,
      fileName: basename(file),
      batch: values.batch,
      dryRun: values["dry-run"],
      actor: `cli:${process.env.USER ?? "unknown"}`,
      onProgress: (p) => progress.update(p),
      // Streams any size with bounded memory: chunks go into one write transaction as they are validated.
      write,
    });
    progress.stop();
    // Messages quote cells and headers of the file: printed through terminalSafe, never raw.
    for (const w of report.warnings) console.log(terminalSafe(`warning: ${w}`));
    for (const e of report.errors) console.log(terminalSafe(`error: row ${e.row}${e.column ? `, column ${e.column}` : ""}: ${e.message}`));
    const verb = report.errors.length ? "rejected, nothing written" : report.dryRun ? "dry run, nothing written" : "imported";
    console.log(`${terminalSafe(file)}: ${verb}; ${report.rowsTotal} rows, ${report.rowsImported} valid, ${report.rowsRejected} rejected (encoding ${report.encoding ?? "unknown"}, audit #${report.importId})`);
    process.exitCode = report.errors.length ? 1 : 0;
  } catch (err) {
    if (!(err instanceof ImportInterrupted)) throw err;
    console.log(`${terminalSafe(file)}: interrupted (${err.signal}) and rolled back; nothing was written (the audit log records the attempt)`);
    process.exitCode = signalExitCode(err.signal);
  } finally {
    removeSignalHandlers();
    progress.stop();
    handle.close();
  }
}

main().catch((err: unknown) => {
  console.error(terminalSafe(err instanceof Error ? err.message : String(err)));
  process.exit(1);
});
