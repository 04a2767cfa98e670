import { parentPort, resourceLimits, workerData } from "node:worker_threads";
import { fileSource } from "../cli/file-source";
import { openLibsql } from "../db/client";
import { tuneEmbedded } from "../db/migrate";
import { SERVER_BUSY_TIMEOUT_MS } from "../db/reopening-libsql";
import { AppError } from "../errors";
import { openWorkbookTable } from "../import/xlsx/read-workbook";
import { runImport } from "../services/imports";
import { ownConnectionWrite } from "./import-connection";
import type { ImportWorkerData, ImportWorkerMessage } from "./import-in-worker";

/**
 * The import of one spooled upload, on a thread of its own (src/node-http/import-in-worker.ts): its
 * own connections, the file read from disk, the report and progress posted back. Its heap is
 * bounded by the thread's resourceLimits and handed back to the system when the thread ends.
 */
const data = workerData as ImportWorkerData;
const post = (message: ImportWorkerMessage) => parentPort!.postMessage(message);

async function main() {
  const handle = openLibsql(data.url, data.authToken);
  try {
    await tuneEmbedded(handle, data.url, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
    const report = await runImport(handle.db, {
      ...data.request,
      source: fileSource(data.path),
      write: ownConnectionWrite(() => openLibsql(data.url, data.authToken), data.url),
      readWorkbook: openWorkbookTable,
      onProgress: (progress) => post({ type: "progress", progress }),
    });
    post({ type: "report", report, heapLimitMb: resourceLimits.maxOldGenerationSizeMb ?? null });
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
