import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sleep } from "../support/service";
import { createTestFile } from "../support/test-db";

/**
 * A second stop signal ends the server at once, also while a read thread is inside a statement:
 * it used to exit through process.exit(), which tears the threads down, and the driver then aborted
 * the process (exit 134, its panic printed) instead of the 143 a second SIGTERM promises.
 */
const dir = mkdtempSync(join(tmpdir(), "vbp-second-signal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a second stop signal", () => {
  it("ends the process by the signal, at once, while a read thread is inside a long statement", async () => {
    const file = await createTestFile("vbp-second-signal-db-");
    const script = join(dir, "server.mts");
    writeFileSync(
      script,
      `import { createReadPool } from ${JSON.stringify(resolve("src/node-http/read-pool.ts"))};
      import { stopGracefullyOnSignals } from ${JSON.stringify(resolve("src/node-http/graceful-stop.ts"))};
      const pool = createReadPool({ path: process.argv[2], size: 1, budgetMs: 120000 });
      await pool.execute("SELECT 1 AS one", []);
      const slow = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000000) SELECT count(*) AS n FROM c";
      pool.execute(slow, []).catch(() => {});
      // A server whose one request never finishes: the graceful stop waits for it.
      const server = { port: 0, requestsInFlight: () => 1, drain: () => new Promise(() => {}), cancelRunning: () => 1, destroy: () => {} };
      stopGracefullyOnSignals({ server, closeDatabase: (waitMs) => pool.close(waitMs), graceMs: 120000 });
      setInterval(() => {}, 1000);
      console.log("ready");`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", script, file.path], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on("exit", (code, signal) => r({ code, signal })));
    try {
      await expect.poll(() => out, { timeout: 20_000 }).toContain("ready");
      await sleep(300);
      child.kill("SIGTERM");
      await sleep(800);
      const second = performance.now();
      child.kill("SIGTERM");
      const result = await Promise.race([ended, sleep(10_000).then(() => null)]);
      expect(result, `still running 10 s after the second signal: ${out}${err}`).not.toBeNull();
      expect(performance.now() - second).toBeLessThan(5_000);
      expect(err).not.toMatch(/panicked/);
      expect(result).toEqual({ code: null, signal: "SIGTERM" });
      expect(out).toContain("SIGTERM again: stopped at once (status 143)");
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      file.remove();
    }
  }, 60_000);
});
