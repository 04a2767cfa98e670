type Window = { start: number; count: number };

/**
 * Fixed windows of hits per key, at most `maxKeys` of them. A Map keeps insertion order, and a key
 * is re-inserted whenever its window starts again, so the first key is always the one whose window
 * is oldest: that one is forgotten when the map is full. A flood of new addresses thus pushes out
 * the stalest clients one at a time and never resets an active client's count.
 */
export class WindowCounter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys: number,
    /** Only remembered, so a caller can tell when its configured limit changed. */
    readonly limit?: number,
  ) {}

  get size(): number {
    return this.windows.size;
  }

  /** Counts one hit of `key`. */
  hit(key: string, now = Date.now()): { count: number; resetSeconds: number } {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (w) this.windows.delete(key);
      else if (this.windows.size >= this.maxKeys) this.evictOldest(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return { count: w.count, resetSeconds: this.resetSeconds(w, now) };
  }

  /** The current window of `key` without counting, or null when it has none. */
  peek(key: string, now = Date.now()): { count: number; resetSeconds: number } | null {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) return null;
    return { count: w.count, resetSeconds: this.resetSeconds(w, now) };
  }

  private resetSeconds(w: Window, now: number): number {
    return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
  }

  /** Drops the oldest window, and every other expired one met on the way (at most a few per call). */
  private evictOldest(now: number): void {
    let dropped = 0;
    for (const [key, w] of this.windows) {
      if (dropped > 0 && now - w.start < this.windowMs) break;
      this.windows.delete(key);
      if (++dropped >= 64) break;
    }
  }
}
