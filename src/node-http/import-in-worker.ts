import { Worker } from "node:worker_threads";
import { AppError } from "../errors";
import type { ImportProgress } from "../import/source";
import type { ImportPreview } from "../services/import-preview";
import type { ImportReport, ImportRequest } from "../services/imports";
import { createDriverGate, type DriverGate, endThread } from "./driver-gate";
import { importThreadModule, threadBuilt } from "./thread-entry";

/** What the route hands the thread: the request's plain settings (no functions, no bytes). */
export type SpooledImportRequest = Pick<
  ImportRequest,
  "kind" | "dryRun" | "batch" | "sheet" | "map" | "profile" | "saveProfile" | "sourceNote" | "strict" | "fileName" | "actor"
> & {
  sha256?: string;
  /** A dry run that also samples what the import would add and update (the import page's preview). */
  previewSamples?: boolean;
};

export type ImportWorkerData = { url: string; authToken?: string; path: string; request: SpooledImportRequest; gate: DriverGate };

export type ImportWorkerMessage =
  | { type: "progress"; progress: ImportProgress }
  | { type: "report"; report: ImportReport; preview?: ImportPreview | null; heapLimitMb: number | null }
  | {
      type: "error";
      error: { appError?: { status: AppError["status"]; code: AppError["code"]; message: string; details?: unknown }; message?: string; name?: string };
    };

/** Runs the import of a spooled file on its own thread and answers its report (and the preview, when asked for). */
export type SpooledImporter = (
  path: string,
  request: SpooledImportRequest,
  onProgress?: (progress: ImportProgress) => void,
) => Promise<ImportReport & { heapLimitMb: number | null; preview?: ImportPreview | null }>;

/** Heap for an import's thread (IMPORT_HEAP_MB): the CLI's writer peaks near 400 MB of RSS with a 384 MB heap cap. */
export const DEFAULT_IMPORT_HEAP_MB = 192;

/**
 * The thread's young generation. An import makes short-lived objects (cells, rows, statements) at a
 * steady rate, and V8's default nursery grew to hold far more of them than the import keeps: capped
 * at 16 MB, a million-price import's thread committed 70-78 MB of heap instead of 85-93 at the same
 * speed, and at 8 MB (with smaller chunks, see ownConnectionWrite) the server peaked at 292 MB of RSS.
 */
const IMPORT_YOUNG_GENERATION_MB = 8;

/**
 * True when this code runs from the build (`npm start`: dist/node.js), where the thread's own bundle
 * is beside it. Run from the TypeScript sources (tests' in-process servers, `tsx src/node.ts`) an
 * import stays on the calling thread unless asked for (`importInThread`): a thread there would
 * compile the whole import code again through tsx for every upload.
 */
export const importThreadBuilt = (): boolean => threadBuilt("import-worker");

/** The import threads running now, each with its gate, so that a stop can end them before the process exits. */
const running = new Map<Worker, DriverGate>();
/** Threads a stop has asked to end: whatever they answer then, the import was stopped. */
const stopping = new WeakSet<Worker>();

/**
 * Ends every import thread and waits until each has gone: each is asked to stop (it starts no
 * statement more, rolls back and closes), and one still running after `withinMs` is ended as soon
 * as none of its statements is inside the driver, waiting up to `statementWaitMs` for that
 * (driver-gate.ts). The process exiting, or a thread being terminated, while a statement runs
 * aborts the process (SIGABRT, not exit code 0).
 */
export async function stopImportThreads(withinMs: number, statementWaitMs: number): Promise<void> {
  await Promise.all(
    [...running].map(([worker, gate]) => {
      stopping.add(worker);
      return endThread(worker, gate, withinMs, statementWaitMs);
    }),
  );
}

/**
 * An import over HTTP peaked at 885 MB of RSS for a million prices and kept 567 MB after its answer:
 * the server's heap grew with the import's working set (keys of every row, statements, the batch
 * statistics) and V8 did not give it back. On a thread with a bounded old generation the import
 * cannot grow the server's heap, and everything it held goes with the thread when it ends. The
 * thread opens its own connections (the write one as before, ownConnectionWrite), reads the spooled
 * file, and posts progress and its report; the route answers exactly what runImport reported. Past
 * its heap the thread is stopped by V8 and the upload answers 500 import_failed; nothing was
 * committed, since the write transaction was still open.
 */
export function spooledImporter(url: string, authToken: string | undefined, heapMb = DEFAULT_IMPORT_HEAP_MB): SpooledImporter {
  return (path, request, onProgress) =>
    new Promise((resolve, reject) => {
      const gate = createDriverGate();
      const data: ImportWorkerData = { url, authToken, path, request, gate };
      const worker = new Worker(importThreadModule("import-worker"), {
        eval: true,
        workerData: data,
        resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: IMPORT_YOUNG_GENERATION_MB },
        stdout: false,
        stderr: false,
      });
      running.set(worker, gate);
      let settled = false;
      const settle = (fn: () => void) => {
        if (!settled) {
          settled = true;
          fn();
        }
      };
      // Asked to stop, a thread fails however it can (a refused statement, an error, its end).
      const failed = (err: Error) => (stopping.has(worker) ? importFailed(new Error("the server is stopping"), heapMb) : err);
      worker.on("message", (m: ImportWorkerMessage) => {
        if (m.type === "progress") onProgress?.(m.progress);
        else if (m.type === "report")
          settle(() => resolve({ ...m.report, heapLimitMb: m.heapLimitMb, ...(m.preview === undefined ? {} : { preview: m.preview }) }));
        else {
          const e = m.error;
          settle(() =>
            reject(
              failed(
                e.appError
                  ? new AppError(e.appError.status, e.appError.code, e.appError.message, e.appError.details)
                  : Object.assign(new Error(e.message), { name: e.name ?? "Error" }),
              ),
            ),
          );
        }
      });
      worker.on("error", (err) => settle(() => reject(failed(importFailed(err, heapMb)))));
      worker.on("exit", (code) => {
        running.delete(worker);
        settle(() => reject(failed(importFailed(new Error(`the import thread stopped (exit code ${code})`), heapMb))));
      });
    });
}

function importFailed(err: Error, heapMb: number): AppError {
  const outOfMemory = (err as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY";
  return new AppError(
    500,
    "import_failed",
    outOfMemory
      ? `the import needed more than its ${heapMb} MB of memory and was stopped; nothing was written (import the file with the CLI, or raise IMPORT_HEAP_MB)`
      : `the import stopped: ${err.message}; nothing was written`,
  );
}
