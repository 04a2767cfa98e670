import { parentPort, resourceLimits, workerData } from "node:worker_threads";
import { fileSource } from "../cli/file-source";
import { openLibsql } from "../db/client";
import { tuneEmbedded } from "../db/migrate";
import { SERVER_BUSY_TIMEOUT_MS } from "../db/reopening-libsql";
import { AppError } from "../errors";
import type { ImportProgress } from "../import/source";
import { openWorkbookTable } from "../import/xlsx/read-workbook";
import { previewImport } from "../services/import-preview";
import { runImport } from "../services/imports";
import { gatedClient } from "./driver-gate";
import { ownConnectionWrite } from "./import-connection";
import type { ImportWorkerData, ImportWorkerMessage } from "./import-in-worker";

/**
 * The import of one spooled upload, on a thread of its own (src/node-http/import-in-worker.ts): its
 * own connections, the file read from disk, the report and progress posted back. Its heap is
 * bounded by the thread's resourceLimits and handed back to the system when the thread ends.
 */
const data = workerData as ImportWorkerData;
const post = (message: ImportWorkerMessage) => parentPort!.postMessage(message);
// Every connection of this thread passes the gate the server ends it by (driver-gate.ts).
const open = () => openLibsql(data.url, data.authToken, (client) => gatedClient(client, data.gate));

async function main() {
  const handle = open();
  try {
    await tuneEmbedded(handle, data.url, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
    const heapLimitMb = resourceLimits.maxOldGenerationSizeMb ?? null;
    const { previewSamples, ...settings } = data.request;
    const request = {
      ...settings,
      source: fileSource(data.path),
      readWorkbook: openWorkbookTable,
      onProgress: (progress: ImportProgress) => post({ type: "progress", progress }),
    };
    if (previewSamples) {
      // The preview runs the file's statements inside a savepoint it rolls back, on this thread's connection.
      const { report, preview } = await previewImport(handle.db, { ...request, dryRun: true });
      post({ type: "report", report, preview, heapLimitMb });
      return;
    }
    const report = await runImport(handle.db, { ...request, write: ownConnectionWrite(open, data.url) });
    post({ type: "report", report, heapLimitMb });
  } finally {
    handle.close();
  }
}

main().catch((err: unknown) => {
  const e =
    err instanceof AppError
      ? { appError: { status: err.status, code: err.code, message: err.message, details: err.details } }
      : { message: err instanceof Error ? err.message : String(err), name: err instanceof Error ? err.name : "Error" };
  post({ type: "error", error: e });
});
