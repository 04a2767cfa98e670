import { onStopSignals, signalExitCode } from "../cli/stop-signals";
import type { RunningServer } from "./serve";

/**
 * When, within a grace period, requests still running are cancelled: a second before its end (a
 * fifth of it when shorter), which leaves time to close the database, let complete answers leave
 * and exit inside it.
 */
export function cancelAfterMs(graceMs: number): number {
  return graceMs - Math.min(1000, graceMs / 5);
}

type Options = {
  server: RunningServer;
  closeDatabase: () => void;
  /** Ends the threads of requests cancelled at the deadline (imports), within the time given, before the process exits. */
  stopThreads?: (withinMs: number) => Promise<void>;
  graceMs: number;
  log?: (line: string) => void;
  exit?: (code: number) => void;
};

/**
 * SIGTERM or SIGINT stops the server gracefully: no new connections, requests in flight finish
 * (until cancelAfterMs), idle connections close, then the database is closed and the process exits
 * 0. Requests still running at that point lose their connection and, in the same tick, the database
 * is closed, so none of them can write afterwards: an HTTP import writes in one atomic batch at its
 * end, which then either happened before or never happens. A second signal stops at once.
 */
export function stopGracefullyOnSignals({ server, closeDatabase, stopThreads, graceMs, log = console.log, exit = process.exit }: Options): () => void {
  let finished = false;
  let databaseClosed = false;
  const closeOnce = () => {
    if (databaseClosed) return;
    databaseClosed = true;
    closeDatabase();
  };
  const finish = (code: number, line: string) => {
    if (finished) return;
    finished = true;
    closeOnce();
    log(line);
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
        closeOnce();
        void Promise.race([drained, new Promise((r) => setTimeout(r, flushMs))]).then(async () => {
          server.destroy();
          // Threads still running (an import cancelled while it was read) end before the process does.
          await stopThreads?.(Math.max(50, graceMs - cancelAt - flushMs));
          finish(
            0,
            `stopped after ${seconds()} s: cancelled ${cancelled} request(s) still running; database closed (an import cancelled before its final write wrote nothing; GET /api/v1/imports lists what was written)`,
          );
        });
      }, cancelAt);
      void drained.then(() => {
        if (cancelling) return;
        clearTimeout(deadline);
        finish(0, `stopped after ${seconds()} s: every request finished; database closed`);
      });
    },
    immediate(signal) {
      server.destroy();
      finish(
        signalExitCode(signal),
        `${signal} again: stopped at once, requests still running were dropped (an import among them that had not committed wrote nothing)`,
      );
    },
  });
}
