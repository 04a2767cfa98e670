import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMigrated } from "../../src/cli/database";
import { runGen } from "../../src/cli/gen";
import { runImport } from "../../src/services/imports";
import { dumpDatabase } from "../support/db-dump";
import { isRunning, processTree, runNpm, sleep } from "../support/service";

const ROWS = 100_000;

async function auditCount(url: string): Promise<number> {
  const client = createClient({ url });
  try {
    return Number((await client.execute("SELECT count(*) FROM imports")).rows[0]![0]);
  } finally {
    client.close();
  }
}

describe("npm run import: Ctrl-C rolls the import back and says nothing was written", () => {
  const dir = mkdtempSync(join(tmpdir(), "vbp-cli-int-"));
  const url = `file:${join(dir, "vbp.db")}`;
  const file = join(dir, "prices.csv");
  let group: number | undefined;

  beforeAll(async () => {
    await runGen({ prices: ROWS, out: dir, seed: 5 });
    const handle = await openMigrated(url);
    const report = await runImport(handle.db, { kind: "batches", bytes: readFileSync(join(dir, "batches.csv")) });
    expect(report.errors).toEqual([]);
    handle.close();
  }, 120_000);

  afterAll(() => {
    try {
      if (group) process.kill(-group, "SIGKILL"); // only if a failure left the import running
    } catch {
      // the group has ended
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("stops a 100,000-price import past its first staged rows, rolls it back and exits 130", async () => {
    const before = await dumpDatabase(url);
    const auditsBefore = await auditCount(url);
    // Wait until the import has written at least one staged set of rows inside its transaction.
    const run = await runNpm(
      ["run", "import", "--", "prices", file],
      { DATABASE_URL: url },
      { waitFor: /prices\.csv: ([2-9]\d|1\d\d),\d{3} rows/, timeoutMs: 90_000 },
    );
    group = run.child.pid;
    const tree = processTree(run.child.pid!);
    const signalled = performance.now();
    process.kill(-run.child.pid!, "SIGINT"); // Ctrl-C: the terminal signals the whole foreground group

    const { code } = await run.exited;
    const stoppedAfterMs = performance.now() - signalled;
    for (let i = 0; i < 50 && tree.some(isRunning); i++) await sleep(100);
    expect(tree.filter(isRunning)).toEqual([]);
    expect(stoppedAfterMs).toBeLessThan(30_000); // bounded by one staged apply of 20,000 rows
    expect(code).toBe(130);
    expect(run.output()).toContain("SIGINT: stopping the import and rolling it back");
    expect(run.output()).toContain("interrupted (SIGINT) and rolled back; nothing was written");
    expect(run.output()).not.toContain("stopped at once"); // npm's forwarded copy of the same Ctrl-C is not a second one

    const after = await dumpDatabase(url);
    expect(after.integrity).toBe("ok");
    expect(after.counts).toEqual(before.counts);
    expect(after.digest).toBe(before.digest);
    expect(await auditCount(url)).toBe(auditsBefore + 1); // the audit log keeps the attempt
    const client = createClient({ url });
    try {
      const audit = (await client.execute("SELECT status, rows_imported, errors FROM imports ORDER BY id DESC LIMIT 1")).rows[0]!;
      expect(audit.status).toBe("failed");
      expect(audit.rows_imported).toBe(0);
      expect(String(audit.errors)).toContain("interrupted by SIGINT; rolled back, no rows written");
    } finally {
      client.close();
    }
  }, 150_000);
});
