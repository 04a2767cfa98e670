import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openMigrated } from "../../src/cli/database";

/**
 * A server or import that opens the file while another process briefly holds it (an import's last
 * connection checkpointing as it closes, a backup) waits for it as it waits for any write, instead
 * of refusing to start with "locked by another process". CI once failed on exactly this: a test
 * opened the file as the import thread's connection closed.
 */
const dir = mkdtempSync(join(tmpdir(), "vbp-open-locked-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Another process that takes the file's exclusive lock, says so, and lets go after holdMs. */
function holdLock(path: string, holdMs: number): Promise<{ released: Promise<number | null> }> {
  // In exclusive locking mode a connection keeps the lock its first write took until it closes.
  const script = `
    import { createClient } from "@libsql/client";
    const c = createClient({ url: ${JSON.stringify(`file:${path}`)} });
    await c.execute("PRAGMA locking_mode = EXCLUSIVE");
    await c.execute("CREATE TABLE IF NOT EXISTS held (x)");
    console.log("locked");
    setTimeout(() => c.close(), ${holdMs});
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
  const released = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => d.toString().includes("locked") && resolve({ released }));
    child.on("exit", (code) => reject(new Error(`the lock holder exited (${code}) before taking the lock`)));
  });
}

describe("opening a database another process holds for a moment", () => {
  it("waits for the lock and then opens, migrates and seeds it", async () => {
    const path = join(dir, "held.db");
    const { released } = await holdLock(path, 700);
    const started = performance.now();
    const handle = await openMigrated(`file:${path}`);
    const waited = performance.now() - started;
    expect(await released).toBe(0);
    expect(handle.seeded).toBe(true);
    const batches = await handle.client.execute("SELECT count(*) AS n FROM batches");
    expect(Number(batches.rows[0]?.n)).toBeGreaterThan(0);
    handle.close();
    expect(waited).toBeGreaterThan(300);
  }, 30_000);
});
