import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMigrated } from "../../src/cli/database";
import { runGen } from "../../src/cli/gen";
import { runImport } from "../../src/services/imports";
import { dumpDatabase } from "../support/db-dump";

const ROWS = 15_000;

// Output is discarded (not piped) so a chatty import can never block on a full pipe.
function importProcess(url: string, file: string) {
  return spawn(process.execPath, ["--import", "tsx", "src/cli/import.ts", "prices", file], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: "ignore",
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

const SEEDED_PRICES = 3 + 535;

describe("SIGKILL at random points of a large import", () => {
  const dir = mkdtempSync(join(tmpdir(), "vbp-kill-"));
  const dbFile = join(dir, "vbp.db");
  const url = `file:${dbFile}`;
  const file = join(dir, "prices.csv");
  let fullRunMs = 0;

  beforeAll(async () => {
    await runGen({ prices: ROWS, out: dir, seed: 7 });
    const handle = await openMigrated(url);
    const report = await runImport(handle.db, { kind: "batches", bytes: readFileSync(join(dir, "batches.csv")) });
    expect(report.errors).toEqual([]);
    await handle.client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    // Time one whole import on a copy so the kills can be spread over its length. The copy is
    // SQLite's own: libSQL keeps a closed connection's file open until garbage collection, and
    // opening and closing the file with node:fs in this process would drop that connection's POSIX
    // locks. An import process would then take itself for the last connection, delete the WAL and
    // its index on exit, and this process would read the database through a stale index
    // ("database disk image is malformed", CI on 49b61eb), although the file itself was intact.
    await handle.client.execute({ sql: "VACUUM INTO ?", args: [join(dir, "timing.db")] });
    handle.close();
    const started = Date.now();
    const timing = importProcess(`file:${join(dir, "timing.db")}`, file);
    expect(await exited(timing)).toBe(0);
    fullRunMs = Date.now() - started;
  }, 180_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("leaves an intact database with exactly the data from before, and the import then succeeds", async () => {
    const before = await dumpDatabase(url);
    expect(before.integrity).toBe("ok");
    // A kill after COMMIT but before the process exits legitimately leaves the whole file imported;
    // anything between the two states would be a half-written import.
    let reference = before;
    const fractions = [0.12, 0.25, 0.4, 0.55, 0.7].map((f) => f + (Math.random() - 0.5) * 0.08);
    let killedBeforeCommit = 0;
    for (const f of fractions) {
      const child = importProcess(url, file);
      await new Promise((r) => setTimeout(r, Math.round(fullRunMs * f)));
      if (child.exitCode !== null) continue;
      child.kill("SIGKILL");
      await exited(child);
      const after = await dumpDatabase(url);
      const when = `kill at ${Math.round(f * 100)} % of the import`;
      expect(after.integrity, when).toBe("ok");
      if (after.counts.prices === reference.counts.prices) {
        expect(after.digest, when).toBe(reference.digest);
        if (reference === before) killedBeforeCommit++;
      } else {
        expect(after.counts.prices, `${when}: neither the old data nor the whole file`).toBe(before.counts.prices! + ROWS);
        reference = after;
      }
    }
    expect(killedBeforeCommit).toBeGreaterThanOrEqual(2);

    // Restart after the faults: the same import runs to the end and every row is there.
    const child = importProcess(url, file);
    expect(await exited(child)).toBe(0);
    const done = await dumpDatabase(url);
    expect(done.integrity).toBe("ok");
    // The seeded prices (three from articles, 535 real national results) were there before the import.
    expect(done.counts.prices).toBe(ROWS + SEEDED_PRICES);
  }, 300_000);
});
