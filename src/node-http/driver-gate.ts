import type { Worker } from "node:worker_threads";
import type { Client, Transaction } from "@libsql/client";

/**
 * A thread that runs statements (an import's) may be ended only while none of them is inside the
 * embedded driver: Worker.terminate() while a statement runs aborts the whole process when the
 * driver returns (a neon "PendingException" panic; SIGABRT instead of exit code 0, seen when a stop
 * cancelled an import while it was validated). The gate is one shared Int32Array: slot 0 counts the
 * thread's calls inside the driver, or is ENDED once the server has taken it to end the thread;
 * slot 1 is set when the server asks the thread to stop, after which it starts no statement.
 */
const CALLS = 0;
const STOP = 1;
const ENDED = -1;

export type DriverGate = Int32Array;

export function createDriverGate(): DriverGate {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}

/** What a statement started after the server asked the thread to stop throws. */
export class ThreadStopping extends Error {
  constructor() {
    super("the server is stopping");
    this.name = "ThreadStopping";
  }
}

function enter(gate: DriverGate, starting: boolean): void {
  if (starting && Atomics.load(gate, STOP)) throw new ThreadStopping();
  for (;;) {
    const calls = Atomics.load(gate, CALLS);
    if (calls === ENDED) throw new ThreadStopping();
    if (Atomics.compareExchange(gate, CALLS, calls, calls + 1) === calls) return;
  }
}

const leave = (gate: DriverGate) => Atomics.sub(gate, CALLS, 1);

/** Runs `call` as one stay in the driver: counted until it returns, or until its promise settles. */
function inDriver<T>(gate: DriverGate, starting: boolean, call: () => T): T {
  enter(gate, starting);
  let result: T;
  try {
    result = call();
  } catch (err) {
    leave(gate);
    throw err;
  }
  if (result instanceof Promise) {
    // as unknown as: the same promise, its settling counted; T is that promise's type.
    return result.finally(() => leave(gate)) as unknown as T;
  }
  leave(gate);
  return result;
}

// Statements that start work; rollback and close only end it, so they still run after a stop.
const STARTS = new Set<PropertyKey>(["execute", "batch", "migrate", "transaction", "executeMultiple", "sync", "commit"]);
const ENDS = new Set<PropertyKey>(["rollback", "close"]);

function gated<T extends object>(target: T, gate: DriverGate): T {
  return new Proxy(target, {
    get(obj, key) {
      // A transaction's `closed` reads the connection's state from the driver.
      if (key === "closed") return inDriver(gate, false, () => Reflect.get(obj, key, obj));
      const value = Reflect.get(obj, key, obj);
      if (typeof value !== "function" || !(STARTS.has(key) || ENDS.has(key))) return value;
      return (...args: unknown[]) => {
        const result = inDriver(gate, STARTS.has(key), () => value.apply(obj, args));
        return key === "transaction" ? (result as Promise<Transaction>).then((tx) => gated(tx, gate)) : result;
      };
    },
  });
}

/** The thread's side: a client whose every call into the driver passes the gate. */
export function gatedClient(client: Client, gate: DriverGate): Client {
  return gated(client, gate);
}

/**
 * The server's side: asks the thread to stop, waits up to `withinMs` for it to end on its own (it
 * rolls back and closes its connections), then ends it as soon as no statement of it is inside the
 * driver, waiting up to `driverMs` more for the one running to return.
 */
export async function endThread(worker: Worker, gate: DriverGate, withinMs: number, driverMs: number): Promise<void> {
  Atomics.store(gate, STOP, 1);
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), withinMs)))]);
  clearTimeout(timer);
  if (ended) return;
  const until = performance.now() + driverMs;
  while (Atomics.compareExchange(gate, CALLS, 0, ENDED) !== 0 && performance.now() < until) {
    if (await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 5))])) return;
  }
  await worker.terminate();
}
