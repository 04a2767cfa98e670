import { constants } from "node:os";

export type StopSignal = "SIGTERM" | "SIGINT";
const STOP_SIGNALS: StopSignal[] = ["SIGTERM", "SIGINT"];

/**
 * A repeat of the stop signal within this long is the same request delivered twice, not a second
 * one: Ctrl-C in a terminal reaches the server both directly and through `npm start`, which
 * forwards it, and systemd signals every process of the service, npm included.
 */
export const SIGNAL_ECHO_MS = 500;

/**
 * SIGTERM or SIGINT starts a graceful stop; another one (after SIGNAL_ECHO_MS) stops at once.
 * Returns a function that removes the handlers.
 */
export function onStopSignals(stop: { graceful: (signal: StopSignal) => void; immediate: (signal: StopSignal) => void }, echoMs = SIGNAL_ECHO_MS): () => void {
  let firstAt: number | null = null;
  const listener = (signal: StopSignal) => {
    const now = performance.now();
    if (firstAt === null) {
      firstAt = now;
      stop.graceful(signal);
    } else if (now - firstAt >= echoMs) {
      stop.immediate(signal);
    }
  };
  for (const signal of STOP_SIGNALS) process.on(signal, listener);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, listener);
  };
}

/** The exit status a shell reports for a process ended by `signal` (130 for SIGINT, 143 for SIGTERM). */
export function signalExitCode(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}
