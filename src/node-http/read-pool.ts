import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { InStatement, InValue, ResultSet, Row } from "@libsql/client";
import { AppError } from "../errors";

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
  close(): Promise<void>;
  readonly size: number;
};

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
parentPort.on("message", ({ id, sql, args }) => {
  if (Atomics.load(stop, 0)) {
    // Replaced after a statement over its budget: the queued ones were answered already.
    parentPort.close();
    db.close();
    return;
  }
  try {
    const stmt = db.prepare(sql);
    stmt.safeIntegers(true);
    stmt.raw(true);
    const columns = stmt.columns().map((c) => c.name);
    const rows = stmt.all(args.map(toSql)).map((r) => r.map(toJs));
    parentPort.postMessage({ id, columns, rows });
  } catch (e) {
    parentPort.postMessage({ id, error: { message: String(e && e.message), code: e && e.code, rawCode: e && e.rawCode } });
  }
});
`;

type Pending = { resolve: (r: ResultSet) => void; reject: (e: unknown) => void; timer: NodeJS.Timeout };
type Slot = { worker: Worker; busy: number; pending: Map<number, Pending>; dead: boolean; stop: Int32Array };

/**
 * `nice`: how much lower than the event loop the threads run (Linux keeps a nice value per thread;
 * elsewhere it is left as is). Measured at a million prices with 8 distinct queries at a time and
 * /health asked beside them, alternating: /health p99 80–85 ms at 5 against 106–109 ms at 0, with
 * the same throughput (92–95 against 89–104 requests a second).
 */
export function createReadPool({ path, size, budgetMs, nice = 0 }: { path: string; size: number; budgetMs: number; nice?: number }): ReadPool {
  const driver = createRequire(import.meta.url).resolve("libsql");
  let nextId = 1;
  let closed = false;
  const spawn = (): Slot => {
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, stop: stop.buffer, nice } });
    const slot: Slot = { worker, busy: 0, pending: new Map(), dead: false, stop };
    worker.on("message", (m: { id: number; columns?: string[]; rows?: unknown[][]; error?: { message: string; code?: string } }) => {
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      slot.busy--;
      clearTimeout(p.timer);
      if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else p.resolve(resultSet(m.columns ?? [], m.rows ?? []));
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

  return {
    size,
    execute(sql, args) {
      if (closed) return Promise.reject(new Error("the read pool is closed"));
      // The least busy thread: a slow statement keeps its own thread, not the others.
      let at = 0;
      for (let i = 1; i < slots.length; i++) if (slots[i]!.busy < slots[at]!.busy) at = i;
      if (slots[at]!.dead) slots[at] = spawn();
      const slot = slots[at]!;
      const id = nextId++;
      return new Promise<ResultSet>((resolve, reject) => {
        const timer = setTimeout(() => {
          slot.pending.delete(id);
          reject(
            new AppError(
              503,
              "query_timeout",
              `the query took longer than ${budgetMs} ms; narrow it (a longer q, a batch or a region) or retry shortly`,
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
        }, budgetMs);
        slot.pending.set(id, { resolve, reject, timer });
        slot.busy++;
        slot.worker.postMessage({ id, sql, args });
      });
    },
    async close() {
      closed = true;
      // Threads exit after their statement; one still inside SQLite is left to finish (it is unref'd).
      await Promise.all(
        slots.map((s) => {
          if (s.dead) return undefined;
          const exited = new Promise((resolve) => s.worker.once("exit", resolve));
          retire(s);
          return Promise.race([exited, sleep(1000)]);
        }),
      );
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Rows as @libsql/client builds them: values by index, and by column name as own properties. */
function resultSet(columns: string[], raw: unknown[][]): ResultSet {
  const rows = raw.map((values) => {
    const row = {} as Record<string | number, unknown>;
    Object.defineProperty(row, "length", { value: values.length });
    values.forEach((value, i) => {
      Object.defineProperty(row, i, { value });
      const name = columns[i]!;
      if (!Object.hasOwn(row, name)) Object.defineProperty(row, name, { value, enumerable: true, configurable: true, writable: true });
    });
    // as unknown as: Row is @libsql/client's array-like row type, built here by hand with the same properties.
    return row as unknown as Row;
  });
  return {
    columns,
    columnTypes: columns.map(() => ""),
    rows,
    rowsAffected: 0,
    lastInsertRowid: undefined,
    toJSON: () => ({ columns, rows: raw }),
  };
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
