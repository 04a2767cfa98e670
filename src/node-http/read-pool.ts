import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { InStatement, InValue, ResultSet } from "@libsql/client";
import { AppError } from "../errors";
import { UPLOAD_CALLS } from "../services/read-calls";
import { type CallError, fromCallError, type ReadCallName, type ReadCalls } from "./read-calls";
import { resultSet } from "./result-set";
import { threadModuleUrl } from "./thread-entry";

/**
 * Reads on worker threads, each with its own read-only connection to the embedded database (WAL lets
 * them read while the server's one connection writes). The embedded driver runs every statement
 * synchronously on the calling thread, so without this one slow search stalls every request,
 * /health included. A statement still running after `budgetMs` answers 503 with Retry-After, and its
 * thread is replaced: SQLite cannot be interrupted from another thread through this driver, so the
 * old thread is told to stop (a flag it reads before each statement) and exits once its statement
 * ends, holding nothing the server waits for. It is never terminated: Worker.terminate() while the
 * driver is inside SQLite (e.g. waiting on a lock) aborts the whole process when the call returns
 * (a neon "PendingException" panic), which is how a CLI import's commit once took the server down.
 */
export type ReadPool = {
  execute(sql: string, args: readonly InValue[]): Promise<ResultSet>;
  /**
   * A whole service call on a thread (src/node-http/read-calls.ts), under the same budget as a
   * statement; null while no thread has loaded the calls' module (just started or replaced), when
   * the caller runs the service itself with its statements sent here one by one.
   */
  call<N extends ReadCallName>(name: N, ...args: Parameters<ReadCalls[N]>): Promise<Awaited<ReturnType<ReadCalls[N]>>> | null;
  /** Resolves once every thread has loaded the calls' module or failed to, or after `timeoutMs`: true when all can take calls. */
  callsReady(timeoutMs: number): Promise<boolean>;
  /**
   * Ends the threads: each exits after its statement. One still inside SQLite after `waitMs` is left
   * to finish; the process must not exit before it does (it would abort: see above).
   */
  close(waitMs?: number): Promise<void>;
  readonly size: number;
};

/**
 * Each read thread's young generation (two 4 MB semi-spaces and as much for large new objects), as
 * `npm start` caps the event loop's (`--max-semi-space-size=4`). V8's default lets each grow to 48 MB,
 * which an answer of at most a few hundred kilobytes never needs: capped, a scavenge has less to
 * walk and the server holds less: an import of a million prices over HTTP peaked at 267 MB instead
 * of 303. The varied bench, four runs alternated with the default, saw no cost: /health p99 at a
 * million prices 16.3–48.5 ms against 35.8–73.1, 130–133 req/s against 120–140 (docs/performance.md).
 */
export const READ_YOUNG_GENERATION_MB = 12;

// Plain CommonJS run with `eval`, so the same file works from the TypeScript sources and the build.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
// Linux sets a nice value per thread: a read yields the CPU to the event loop, so /health and the
// dispatch of other requests are not queued behind a long search on a two-core machine.
if (workerData.nice) { try { require("node:os").setPriority(workerData.nice); } catch {} }
const db = new Database(workerData.path, { readonly: true });
db.exec("PRAGMA busy_timeout = 5000");
const stop = new Int32Array(workerData.stop);
const toSql = (v) => (typeof v === "boolean" ? (v ? 1 : 0) : v instanceof Uint8Array ? Buffer.from(v) : v instanceof Date ? v.valueOf() : v);
const toJs = (v) => {
  if (typeof v !== "bigint") return v instanceof Uint8Array ? v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) : v;
  if (v < -9007199254740991n || v > 9007199254740991n) throw new RangeError("Received integer which cannot be safely represented as a JavaScript number");
  return Number(v);
};
const run = (sql, args) => {
  if (Atomics.load(stop, 0)) throw new Error("read thread retired");
  const stmt = db.prepare(sql);
  stmt.safeIntegers(true);
  stmt.raw(true);
  const columns = stmt.columns().map((c) => c.name);
  return { columns, rows: stmt.all(args.map(toSql)).map((r) => r.map(toJs)) };
};
// Whole service calls (src/node-http/read-calls.ts), once their module has loaded.
let calls = null;
let callModule = null;
if (workerData.calls) {
  const { url, tsx } = workerData.calls;
  (tsx ? import(tsx).then((m) => { m.register(); return import(url); }) : import(url)).then(
    (m) => { callModule = m; calls = m.readCalls(run); parentPort.postMessage({ id: 0, ready: true }); },
    (e) => parentPort.postMessage({ id: 0, ready: false, error: { message: String(e && e.stack || e) } }),
  );
}
// An encoded body (JsonBytes, or the parts of JsonParts) is handed over, not copied, when it owns its whole buffer.
const owns = (r) => r instanceof Uint8Array && r.byteOffset === 0 && r.byteLength === r.buffer.byteLength;
const moved = (r) => (owns(r) ? [r.buffer] : Array.isArray(r) && r.length > 0 && r.every(owns) && new Set(r.map((p) => p.buffer)).size === r.length ? r.map((p) => p.buffer) : undefined);
parentPort.on("message", ({ id, sql, args, call }) => {
  if (Atomics.load(stop, 0)) {
    // Replaced after a statement over its budget: the queued ones were answered already.
    parentPort.close();
    db.close();
    return;
  }
  if (call) {
    const fail = (e) => parentPort.postMessage({ id, error: callModule.toCallError(e) });
    try {
      calls[call](...args).then((result) => { try { parentPort.postMessage({ id, result }, moved(result)); } catch (e) { fail(e); } }, fail);
    } catch (e) { fail(e); }
    return;
  }
  try {
    const { columns, rows } = run(sql, args);
    parentPort.postMessage({ id, columns, rows });
  } catch (e) {
    // A statement's error in the calls' shape (CallError in read-calls.ts), without an AppError.
    parentPort.postMessage({ id, error: { message: String(e && e.message), code: typeof (e && e.code) === "string" ? e.code : undefined } });
  }
});
`;

type Pending = { resolve: (r: unknown) => void; reject: (e: unknown) => void; timer: NodeJS.Timeout; decode: (m: Answer) => unknown; upload: boolean };
type Slot = {
  worker: Worker;
  busy: number;
  /** Of those, calls of UPLOAD_CALLS (seconds each for a long purchase list). */
  uploads: number;
  pending: Map<number, Pending>;
  dead: boolean;
  ready: boolean;
  loaded: Promise<void>;
  markLoaded: () => void;
  stop: Int32Array;
};
type Answer = { id: number; columns?: string[]; rows?: unknown[][]; result?: unknown; error?: CallError; ready?: boolean };

/**
 * `nice`: how much lower than the event loop the threads run (Linux keeps a nice value per thread;
 * elsewhere it is left as is). Measured at a million prices with 8 distinct queries at a time and
 * /health asked beside them, alternating: /health p99 80–85 ms at 5 against 106–109 ms at 0, with
 * the same throughput (92–95 against 89–104 requests a second).
 * `calls`: load the service calls' module in each thread (false: statements only, as tests of the pool want).
 * `uploadBudgetMs`: the budget of a call of UPLOAD_CALLS (a price check), whose work grows with the
 * upload rather than the database; with two threads or more these go to all but the first, so a
 * search never waits behind a long purchase list.
 */
export function createReadPool({
  path,
  size,
  budgetMs,
  nice = 0,
  calls = false,
  uploadBudgetMs = 120_000,
}: {
  path: string;
  size: number;
  budgetMs: number;
  nice?: number;
  calls?: boolean;
  uploadBudgetMs?: number;
}): ReadPool {
  const driver = createRequire(import.meta.url).resolve("libsql");
  const callsModule = calls ? callsModuleUrl() : null;
  let nextId = 1;
  let closed = false;
  let loadFailureLogged = false;
  const spawn = (): Slot => {
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, path, stop: stop.buffer, nice, calls: callsModule },
      resourceLimits: { maxYoungGenerationSizeMb: READ_YOUNG_GENERATION_MB },
    });
    let markLoaded = () => {};
    const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
    const slot: Slot = { worker, busy: 0, uploads: 0, pending: new Map(), dead: false, ready: false, loaded, markLoaded, stop };
    if (!callsModule) markLoaded();
    worker.on("message", (m: Answer) => {
      if (m.id === 0) {
        slot.ready = m.ready === true;
        slot.markLoaded();
        if (m.error && !loadFailureLogged) {
          loadFailureLogged = true;
          console.error(JSON.stringify({ level: "error", message: `read threads run statements only: ${m.error.message}` }));
        }
        return;
      }
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      slot.busy--;
      if (p.upload) slot.uploads--;
      clearTimeout(p.timer);
      if (m.error) p.reject(fromCallError(m.error));
      else p.resolve(p.decode(m));
    });
    worker.on("error", (err) => failAll(slot, err));
    worker.on("exit", () => failAll(slot, new Error("read thread stopped")));
    worker.unref();
    return slot;
  };
  const failAll = (slot: Slot, err: unknown) => {
    for (const p of slot.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    slot.pending.clear();
    slot.busy = 0;
    slot.uploads = 0;
    slot.ready = false;
    slot.markLoaded();
    // Replaced when next needed, not now: a thread that cannot open the database would otherwise
    // be respawned in a loop.
    slot.dead = true;
  };
  const slots: Slot[] = Array.from({ length: size }, spawn);
  /** Tells a thread to exit before its next statement (never terminate(): see above). */
  const retire = (slot: Slot) => {
    Atomics.store(slot.stop, 0, 1);
    slot.worker.postMessage({ id: 0, sql: "", args: [] });
  };
  /**
   * The least busy thread (a slow statement keeps its own thread, not the others), among those that
   * can take calls if asked. An upload's call goes to any thread but the first where there are
   * several; anything else avoids threads matching a purchase list while one is free of them.
   */
  const pick = (needsCalls: boolean, upload = false): number | null => {
    let at: number | null = null;
    const load = (s: Slot) => s.busy + (!upload && s.uploads ? 1_000_000 : 0);
    for (let i = upload && slots.length > 1 ? 1 : 0; i < slots.length; i++) {
      const s = slots[i]!;
      if (needsCalls && (s.dead || !s.ready)) continue;
      if (at === null || load(s) < load(slots[at]!)) at = i;
    }
    return at;
  };
  const send = <T>(
    at: number,
    message: { sql: string; args: InValue[] } | { call: string; args: unknown[] },
    decode: (m: Answer) => T,
    upload = false,
  ): Promise<T> => {
    if (slots[at]!.dead) slots[at] = spawn();
    const slot = slots[at]!;
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          slot.pending.delete(id);
          reject(
            new AppError(
              503,
              "query_timeout",
              upload
                ? `checking the list took longer than ${uploadBudgetMs / 1000} s; check it in parts (a month or a department at a time)`
                : `the query took longer than ${budgetMs} ms; narrow it (a longer q, a batch or a region) or retry shortly`,
              undefined,
              { "Retry-After": "2" },
            ),
          );
          // Its thread is stuck in SQLite: replace it, and let it exit when the statement ends.
          const index = slots.indexOf(slot);
          if (index >= 0) slots[index] = spawn();
          for (const p of slot.pending.values())
            p.reject(new AppError(503, "query_timeout", "a query before this one ran out of time; retry shortly", undefined, { "Retry-After": "2" }));
          slot.pending.clear();
          retire(slot);
        },
        upload ? uploadBudgetMs : budgetMs,
      );
      slot.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, timer, decode, upload });
      slot.busy++;
      if (upload) slot.uploads++;
      slot.worker.postMessage({ id, ...message });
    });
  };

  return {
    size,
    execute(sql, args) {
      if (closed) return Promise.reject(new Error("the read pool is closed"));
      return send(pick(false)!, { sql, args: [...args] }, (m) => resultSet(m.columns ?? [], m.rows ?? []));
    },
    call(name, ...args) {
      if (closed) return Promise.reject(new Error("the read pool is closed"));
      const upload = UPLOAD_CALLS.has(name);
      const at = pick(true, upload);
      if (at === null) return null;
      // as: the thread answers what ReadCalls[name] resolves to (structured-cloned).
      return send(at, { call: name, args }, (m) => m.result as Awaited<ReturnType<ReadCalls[typeof name]>>, upload);
    },
    async callsReady(timeoutMs) {
      if (!callsModule) return false;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.all(slots.map((s) => s.loaded)), late]);
      clearTimeout(timer);
      return slots.every((s) => s.ready);
    },
    async close(waitMs = 1000) {
      closed = true;
      // Threads exit after their statement; one still inside SQLite after waitMs is left to finish,
      // unref'd again. Until then the thread and the timer keep the process alive: with both unref'd, a
      // process with nothing else to do exited before close() resolved.
      await Promise.all(
        slots.map(async (s) => {
          if (s.dead) return;
          const exited = new Promise((resolve) => s.worker.once("exit", resolve));
          s.worker.ref();
          retire(s);
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
          clearTimeout(timer);
          s.worker.unref();
        }),
      );
    },
  };
}

/** Where the threads load the calls from; null (statements only, said once) when neither the build nor tsx has them. */
function callsModuleUrl(): { url: string; tsx?: string } | null {
  try {
    return threadModuleUrl("read-calls");
  } catch (err) {
    console.error(JSON.stringify({ level: "warn", message: `read threads run statements only: ${String(err)}` }));
    return null;
  }
}

/**
 * True for a statement that only reads: it may go to the pool. Anything else stays on the writer.
 * `replace(` is SQL's string function, not REPLACE INTO: a search by strength (20mg) uses it, and
 * counting it as a write ran that search on the server's connection, blocking the event loop.
 * (A write sent here by mistake would fail, not write: the pool's connections are read-only.)
 */
export function isPlainRead(sql: string): boolean {
  return /^\s*(?:SELECT|WITH)\b/i.test(sql) && !/\b(?:INSERT|UPDATE|DELETE|PRAGMA)\b|\bREPLACE\b(?!\s*\()/i.test(sql);
}

/** The statement of an execute call as SQL text and positional arguments, or null when it has named ones. */
export function statementParts(stmt: InStatement): { sql: string; args: InValue[] } | null {
  if (typeof stmt === "string") return { sql: stmt, args: [] };
  if (stmt.args === undefined || Array.isArray(stmt.args)) return { sql: stmt.sql, args: [...((stmt.args as InValue[] | undefined) ?? [])] };
  return null;
}
