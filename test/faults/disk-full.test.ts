import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { openMigrated } from "../../src/cli/database";
import { runGen } from "../../src/cli/gen";
import type { LibsqlHandle } from "../../src/db/client";
import { runImport } from "../../src/services/imports";
import { dumpDatabase } from "../support/db-dump";
import { TEST_ADMIN_TOKEN } from "../support/test-db";

/**
 * The database lives on a 12 MiB tmpfs (the seeded database and its WAL take about 7 MiB; this machine runs tests as root, as CI does), and a
 * synthetic file far larger than the space left is imported over HTTP.
 */
describe("a full disk during an import", () => {
  const work = mkdtempSync(join(tmpdir(), "vbp-full-"));
  const mount = join(work, "small-fs");
  const url = `file:${join(mount, "vbp.db")}`;
  let handle: LibsqlHandle;
  let bigFile: Uint8Array;

  beforeAll(async () => {
    mkdirSync(mount);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=12m", "tmpfs", mount]);
    await runGen({ prices: 40_000, out: work, seed: 3 });
    bigFile = readFileSync(join(work, "prices.csv"));
    handle = await openMigrated(url);
    const batches = await runImport(handle.db, { kind: "batches", bytes: readFileSync(join(work, "batches.csv")) });
    expect(batches.errors).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    handle?.close();
    // The database file may take a moment to be released after close.
    let unmounted = false;
    for (let attempt = 0; attempt < 10 && !unmounted; attempt++) {
      try {
        execFileSync("umount", [mount], { stdio: "ignore" });
        unmounted = true;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    // A lazy unmount detaches it even if this worker still maps the WAL index.
    if (!unmounted) execFileSync("umount", ["-l", mount], { stdio: "ignore" });
    rmSync(work, { recursive: true, force: true });
  });

  it("rejects the import with 507, keeps every earlier row, and keeps serving", async () => {
    const before = await dumpDatabase(url);
    const app = createApp({ deps: () => ({ db: handle.db, adminToken: TEST_ADMIN_TOKEN, importBodyLimitBytes: 100 * 1024 * 1024 }) });
    const res = await app.request("/api/v1/imports?kind=prices", {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv" },
      body: bigFile as Uint8Array<ArrayBuffer>,
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(507);
    expect(body.error.code).toBe("storage_full");
    const after = await dumpDatabase(url);
    expect(after.integrity).toBe("ok");
    expect(after.digest).toBe(before.digest);
    const health = await app.request("/health");
    expect(health.status).toBe(200);
    const list = await app.request("/api/v1/batches");
    expect(list.status).toBe(200);
  }, 180_000);
});
