import cliProgress from "cli-progress";
import type { ImportProgress } from "../import/source";

export type ProgressReporter = { update(p: ImportProgress): void; stop(): void };

/** The figures a person watching an import wants: rows, rows per second, share read, time left. */
export function progressFigures(p: ImportProgress, elapsedMs: number) {
  const seconds = Math.max(elapsedMs / 1000, 0.001);
  const fraction = p.totalBytes ? Math.min(1, p.bytesRead / p.totalBytes) : null;
  const etaSeconds = fraction && fraction > 0 && !p.done ? Math.round((seconds * (1 - fraction)) / fraction) : p.done ? 0 : null;
  return { rows: p.rows, rowsPerSecond: Math.round(p.rows / seconds), percent: fraction === null ? null : Math.floor(fraction * 100), etaSeconds };
}

/** One plain line, for logs and pipes where a redrawn bar would be noise. */
export function progressLine(label: string, p: ImportProgress, elapsedMs: number): string {
  const f = progressFigures(p, elapsedMs);
  const share = f.percent === null ? "" : `, ${f.percent}% read`;
  const eta = f.etaSeconds === null ? "" : p.done ? ", done" : `, ETA ${f.etaSeconds} s`;
  return `${label}: ${f.rows.toLocaleString("en-US")} rows, ${f.rowsPerSecond.toLocaleString("en-US")} rows/s${share}${eta}`;
}

/**
 * A progress bar on a terminal (cli-progress), plain lines every few seconds otherwise, both on
 * stderr so the final report on stdout stays clean for scripts.
 */
export function createProgressReporter(
  label: string,
  { stream = process.stderr, isTTY = Boolean(process.stderr.isTTY), intervalMs = 5000, now = () => Date.now() } = {},
): ProgressReporter {
  const started = now();
  if (isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}`, stream, hideCursor: true, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    let begun = false;
    return {
      update(p) {
        const f = progressFigures(p, now() - started);
        const payload = { rows: f.rows.toLocaleString("en-US"), rate: f.rowsPerSecond.toLocaleString("en-US") };
        if (!begun) {
          bar.start(p.totalBytes ?? 1, 0, payload);
          begun = true;
        }
        bar.update(p.done ? (p.totalBytes ?? 1) : p.bytesRead, payload);
      },
      stop: () => bar.stop(),
    };
  }
  let last = -Infinity;
  return {
    update(p) {
      const t = now();
      if (!p.done && t - last < intervalMs) return;
      last = t;
      stream.write(`${progressLine(label, p, t - started)}\n`);
    },
    stop() {},
  };
}
