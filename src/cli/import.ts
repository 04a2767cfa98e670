import { basename } from "node:path";
import { parseArgs } from "node:util";
import { IMPORT_KINDS, type ImportKind } from "../db/schema";
import { loadConfig } from "../env";
import { AppError } from "../errors";
import { type AtomicWrite, hasLibsqlTransactions, libsqlTransactionWrite } from "../import/writer";
import { openWorkbookTable } from "../import/xlsx/read-workbook";
import { withdrawImport } from "../services/import-withdrawal";
import { type ImportReport, runImport } from "../services/imports";
import { openMigrated } from "./database";
import { fileSource } from "./file-source";
import { createProgressReporter } from "./import-progress";
import { ImportInterrupted, interruptible } from "./interrupt";
import { onStopSignals, signalExitCode } from "./stop-signals";
import { terminalSafe } from "./terminal-safe";

const USAGE =
  "usage: npm run import -- <batches|regions|prices|volumes> <file.csv|file.xlsx> [--batch <id>] [--sheet <name|position>]\n" +
  "         [--map field=header]... [--profile <name>] [--save-profile <name>] [--strict] [--source-note <text>] [--dry-run]\n" +
  "       npm run import -- --withdraw <audit id>   (undo one import, restoring exactly what it replaced)";

/** `npm run import`: the same all-or-nothing import as the HTTP endpoint, streamed from disk. */
async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      batch: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      sheet: { type: "string" },
      map: { type: "string", multiple: true },
      profile: { type: "string" },
      "save-profile": { type: "string" },
      strict: { type: "boolean", default: false },
      "source-note": { type: "string" },
      withdraw: { type: "string" },
    },
  });
  if (values.withdraw !== undefined) return withdraw(values.withdraw);
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
      console.error(
        committed
          ? `${signal} again: stopped; the import had already been committed`
          : `${signal} again: stopped at once; the import was not committed, nothing was written`,
      );
      process.exit(signalExitCode(signal));
    },
  });
  const transaction = hasLibsqlTransactions(handle.db) ? libsqlTransactionWrite : undefined;
  const write: AtomicWrite | undefined =
    transaction &&
    Object.assign(async (...args: Parameters<AtomicWrite>) => {
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
      sheet: values.sheet,
      map: values.map,
      profile: values.profile,
      saveProfile: values["save-profile"],
      strict: values.strict,
      sourceNote: values["source-note"],
      readWorkbook: openWorkbookTable,
      actor: `cli:${process.env.USER ?? "unknown"}`,
      onProgress: (p) => progress.update(p),
      // Streams any size with bounded memory: chunks go into one write transaction as they are validated.
      write,
    });
    progress.stop();
    // Messages quote cells and headers of the file: printed through terminalSafe, never raw.
    for (const w of report.warnings) console.log(terminalSafe(`warning: ${w}`));
    for (const e of report.errors) console.log(terminalSafe(`error: row ${e.row}${e.column ? `, column ${e.column}` : ""}: ${e.message}`));
    console.log(`${terminalSafe(file)}: ${summary(report)}`);
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

/** `--withdraw <id>`: the same withdrawal as DELETE /api/v1/imports/{id}, recorded as cli:<user>. */
async function withdraw(idText: string) {
  const id = Number(idText);
  if (!/^\d+$/.test(idText) || !Number.isSafeInteger(id) || id < 1) {
    console.error(
      `--withdraw takes an import's audit id (a positive whole number, as printed "audit #12"), not ${terminalSafe(JSON.stringify(idText))}\n${USAGE}`,
    );
    process.exit(2);
  }
  const config = loadConfig(process.env);
  const handle = await openMigrated(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN, { seed: false });
  try {
    const w = await withdrawImport(handle.db, id, `cli:${process.env.USER ?? "unknown"}`);
    console.log(
      `import #${w.importId} withdrawn: ${w.rowsRemoved} rows it added removed, ${w.rowsRestored} rows it changed restored` +
        `${w.batches.length ? `; statistics recomputed for ${terminalSafe(w.batches.join(", "))}` : ""}`,
    );
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // 404 and 409 are the user's to act on: exit 1 with the message, like a rejected file.
    console.error(terminalSafe(`import #${id} not withdrawn (${err.code}): ${err.message}`));
    process.exitCode = 1;
  } finally {
    handle.close();
  }
}

function summary(r: ImportReport): string {
  const read =
    r.format === "xlsx" ? (r.sheet === null ? "workbook, no sheet read" : `sheet "${terminalSafe(r.sheet)}"`) : `encoding ${r.encoding ?? "unknown"}`;
  const skipped = r.rowsSkipped ? `, ${r.rowsSkipped} skipped` : "";
  if (r.errors.length) return `rejected, nothing written; ${r.rowsTotal} rows, ${r.rowsRejected} rejected (${read}, audit #${r.importId})`;
  if (r.dryRun) return `dry run, nothing written; ${r.rowsTotal} rows, ${r.rowsValid} valid${skipped}, 0 rejected (${read}, audit #${r.importId})`;
  const unchanged = r.rowsUnchanged === null ? "" : `, unchanged: ${r.rowsUnchanged}`;
  return `imported: ${r.rowsImported}${unchanged}; ${r.rowsTotal} rows, ${r.rowsValid} valid${skipped}, 0 rejected (${read}, audit #${r.importId})`;
}

main().catch((err: unknown) => {
  console.error(terminalSafe(err instanceof Error ? err.message : String(err)));
  process.exit(1);
});
