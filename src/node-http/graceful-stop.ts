import { onStopSignals, type StopSignal, signalExitCode } from "../cli/stop-signals";
import type { RunningServer } from "./serve";

/**
 * When, within a grace period, requests still running are cancelled: a second before its end (a
 * fifth of it when shorter), which leaves time to close the database, let complete answers leave
 * and exit inside it.
 */
export function cancelAfterMs(graceMs: number): number {
  return graceMs - Math.min(1000, graceMs / 5);
}

/**
 * How long a stop waits, past its grace if need be, for a statement still inside the embedded driver
 * on another thread (a read cancelled at the deadline, an import being validated) to return: the
 * process exiting under one aborts it (SIGABRT, not exit code 0).
 */
export const STATEMENT_WAIT_MS = 10_000;

type Options = {
  server: RunningServer;
  /** Closes the database at once, then resolves when the read threads have gone (up to the time given). */
  closeDatabase: (statementWaitMs: number) => void | Promise<void>;
  /** Ends the threads of requests cancelled at the deadline (imports), on their own within `withinMs`, before the process exits. */
  stopThreads?: (withinMs: number, statementWaitMs: number) => Promise<void>;
  graceMs: number;
  log?: (line: string) => void;
  exit?: (code: number) => void;
  /** How a second signal ends the process: by the signal itself. */
  die?: (signal: StopSignal) => void;
};

/**
 * Ends the process by the signal's default action, as a shell reports it (130, 143): every thread
 * ends with it at once. process.exit() would first tear the threads down, and one inside the
 * embedded driver then aborts the process (exit 134, the driver's panic printed).
 */
function dieBySignal(signal: StopSignal): void {
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
}

/**
 * SIGTERM or SIGINT stops the server gracefully: no new connections, requests in flight finish
 * (until cancelAfterMs), idle connections close, then the database is closed and the process exits
 * 0. Requests still running at that point lose their connection and, in the same tick, the database
 * is closed, so none of them can write afterwards: an HTTP import writes in one atomic batch at its
 * end, which then either happened before or never happens. A second signal stops at once.
 */
export function stopGracefullyOnSignals({
  server,
  closeDatabase,
  stopThreads,
  graceMs,
  log = console.log,
  exit = process.exit,
  die = dieBySignal,
}: Options): () => void {
  let finished = false;
  let closing: Promise<void> | undefined;
  const failed = (err: unknown) => log(`closing the database failed: ${String(err)}`);
  // The database closes within this call (no write can follow it); what is awaited is the threads' going.
  const closeOnce = (): Promise<void> => {
    if (!closing) {
      try {
        closing = Promise.resolve(closeDatabase(STATEMENT_WAIT_MS)).catch(failed);
      } catch (err) {
        failed(err);
        closing = Promise.resolve();
      }
    }
    return closing;
  };
  /** Exits once the read threads have gone. */
  const finish = async (code: number, line: () => string) => {
    if (finished) return;
    finished = true;
    await closeOnce();
    log(line());
    exit(code);
  };
  return onStopSignals({
    graceful(signal) {
      const started = performance.now();
      const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
      const cancelAt = cancelAfterMs(graceMs);
      log(`${signal}: stopping; no new connections, ${server.requestsInFlight()} request(s) in flight have up to ${(cancelAt / 1000).toFixed(1)} s to finish`);
      const drained = server.drain();
      let cancelling = false;
      const deadline = setTimeout(() => {
        cancelling = true;
        const cancelled = server.cancelRunning();
        // Answers already complete (e.g. an import that committed while this timer waited behind
        // its write) get a moment to reach their clients, within the rest of the grace period.
        const flushMs = Math.min(250, (graceMs - cancelAt) / 2);
        void closeOnce();
        void Promise.race([drained, new Promise((r) => setTimeout(r, flushMs))]).then(async () => {
          server.destroy();
          // Threads still running (an import cancelled while it was read) end before the process does.
          await stopThreads?.(Math.max(50, graceMs - cancelAt - flushMs), STATEMENT_WAIT_MS);
          await finish(
            0,
            () =>
              `stopped after ${seconds()} s: cancelled ${cancelled} request(s) still running; database closed (an import cancelled before its final write wrote nothing; GET /api/v1/imports lists what was written)`,
          );
        });
      }, cancelAt);
      void drained.then(() => {
        if (cancelling) return;
        clearTimeout(deadline);
        void finish(0, () => `stopped after ${seconds()} s: every request finished; database closed`);
      });
    },
    // Also while a graceful stop waits for a statement to return.
    immediate(signal) {
      finished = true;
      server.destroy();
      void closeOnce();
      log(
        `${signal} again: stopped at once (status ${signalExitCode(signal)}), requests still running were dropped (an import among them that had not committed wrote nothing)`,
      );
      die(signal);
    },
  });
}
