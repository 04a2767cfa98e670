import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

export type EventLoopReport = {
  /** Event-loop delay percentiles over the watch, in ms (a 10 ms timer's lateness). */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Time this thread ran and time it waited, runnable, for a CPU (Linux), in ms; null elsewhere. */
  cpuRunMs: number | null;
  cpuWaitMs: number | null;
  /** One line for a test's log. */
  summary: string;
};

/** Run and run-queue wait of the calling thread, in ns (`/proc/thread-self/schedstat`), or null. */
function schedstat(): [number, number] | null {
  try {
    const [run, wait] = readFileSync("/proc/thread-self/schedstat", "utf8").trim().split(/\s+/).map(Number);
    return Number.isFinite(run) && Number.isFinite(wait) ? [run!, wait!] : null;
  } catch {
    return null;
  }
}

/**
 * Watches the event loop of the thread the server runs on (the test's own, for an app served in
 * process): how late its timers fire, and how long the thread waited for a CPU meanwhile, which
 * tells a loop stalled by our code (delay without waiting) from a machine too busy to run it.
 */
export function watchEventLoop(): { stop: () => EventLoopReport } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const t0 = performance.now();
  const s0 = schedstat();
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      const s1 = schedstat();
      const ms = (ns: number) => ns / 1e6;
      const cpuRunMs = s0 && s1 ? ms(s1[0] - s0[0]) : null;
      const cpuWaitMs = s0 && s1 ? ms(s1[1] - s0[1]) : null;
      const report = { p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max), cpuRunMs, cpuWaitMs };
      const wall = performance.now() - t0;
      const cpu =
        cpuWaitMs === null
          ? ""
          : `; over ${(wall / 1000).toFixed(1)} s the thread ran ${(cpuRunMs! / 1000).toFixed(1)} s and waited ${(cpuWaitMs / 1000).toFixed(1)} s for a CPU`;
      return {
        ...report,
        summary: `event-loop delay p50 ${report.p50Ms.toFixed(0)} ms, p99 ${report.p99Ms.toFixed(0)} ms, max ${report.maxMs.toFixed(0)} ms${cpu}`,
      };
    },
  };
}
