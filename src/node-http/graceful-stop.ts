import { onStopSignals, signalExitCode } from "../cli/stop-signals";
import type { RunningServer } from "./serve";

/**
 * When, within a grace period, requests still running are cancelled: a second before its end (a
 * fifth of it when shorter), which leaves time to roll back, close the database and exit inside it.
 */
export function cancelAfterMs(graceMs: number): number {
  return graceMs - Math.min(1000, graceMs / 5);
}

type Options = {
  server: RunningServer;
  closeDatabase: () => void;
  graceMs: number;
  log?: (line: string) => void;
  exit?: (code: number) => void;
};

/**
 * SIGTERM or SIGINT stops the server gracefully: no new connections, requests in flight finish
 * (until cancelAfterMs), idle connections close, then the database is closed and the process
 * exits 0. Requests still running at that point are cancelled in the same tick as the database is
 * closed and the process exits, so no handler runs in between: an HTTP import writes in one atomic
 * batch at its end, which then either happened before or never happens. A second signal stops at once.
 */
export function stopGracefullyOnSignals({ server, closeDatabase, graceMs, log = console.log, exit = process.exit }: Options): () => void {
  let finished = false;
  const finish = (code: number, line: string) => {
    if (finished) return;
    finished = true;
    closeDatabase();
    log(line);
    exit(code);
  };
  return onStopSignals({
    graceful(signal) {
      const started = performance.now();
      const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
      log(`${signal}: stopping; no new connections, ${server.requestsInFlight()} request(s) in flight have up to ${(cancelAfterMs(graceMs) / 1000).toFixed(1)} s to finish`);
      const deadline = setTimeout(() => {
        const cancelled = server.requestsInFlight();
        server.destroy();
        finish(0, `stopped after ${seconds()} s: cancelled ${cancelled} request(s) still running (an import among them wrote nothing: imports commit all or nothing); database closed`);
      }, cancelAfterMs(graceMs));
      void server.drain().then(() => {
        clearTimeout(deadline);
        finish(0, `stopped after ${seconds()} s: every request finished; database closed`);
      });
    },
    immediate(signal) {
      server.destroy();
      finish(signalExitCode(signal), `${signal} again: stopped at once, requests still running were dropped (an import among them wrote nothing)`);
    },
  });
}
