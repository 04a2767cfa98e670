import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMigrated } from "../../src/cli/database";
import type { LibsqlHandle } from "../../src/db/client";
import { runImport } from "../../src/services/imports";

const ROOT = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "vbp-backup-"));
const live = join(dir, "live.db");

function backup(url: string, ...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/backup.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: url },
    timeout: 60_000,
  });
}

async function batchNames(file: string): Promise<string[]> {
  const client = createClient({ url: `file:${file}` });
  try {
    return (await client.execute("SELECT id FROM batches ORDER BY id")).rows.map((r) => String(r.id));
  } finally {
    client.close();
  }
}

describe("npm run backup (a consistent copy of a database in use)", () => {
  // The server's connection stays open throughout, as a running server's would.
  let server: LibsqlHandle;

  beforeAll(async () => {
    server = await openMigrated(`file:${live}`);
    await server.client.execute("PRAGMA wal_autocheckpoint = 0");
    const report = await runImport(server.db, {
      kind: "batches",
      fileName: "b.csv",
      bytes: new TextEncoder().encode(
        "id,name,level,category,announced,cycleStart,cycleEnd,source\nbackup-b1,备份测试批次,national,drug,2025-01,2025-04-01,2028-03-31,fixture\n",
      ),
    });
    expect(report.errors).toEqual([]);
  }, 60_000);

  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("holds what was committed and is still only in the WAL, and nothing of a write still open", async () => {
    // The imported batch is in the write-ahead log, not yet in the main file a plain copy would take.
    expect(statSync(`${live}-wal`).size).toBeGreaterThan(0);
    const open = await server.client.transaction("write");
    try {
      await open.execute("INSERT INTO batches (id, name, level, category) VALUES ('backup-uncommitted', '未提交批次', 'national', 'drug')");
      const run = backup(`file:${live}`, join(dir, "copy.db"));
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(
        /copy\.db: backup of .*live\.db written in [\d.]+ s \([\d.]+ MB; \d+ batches, 538 prices, \d+ products, 0 volume rows, \d+ imports in the audit log; integrity ok\)/,
      );
    } finally {
      await open.rollback();
    }
    const names = await batchNames(join(dir, "copy.db"));
    expect(names).toContain("backup-b1");
    expect(names).toContain("national-drug-1");
    expect(names).not.toContain("backup-uncommitted");
    // One file: the copy needs no WAL beside it to be whole, and nothing unfinished is left in the folder.
    expect(readdirSync(dir).filter((f) => f.startsWith("copy.db") || f.includes("partial"))).toEqual(["copy.db"]);
  });

  it("refuses to overwrite a file unless told to, and never writes over the database itself", () => {
    const target = join(dir, "existing.db");
    writeFileSync(target, "keep me");
    const refused = backup(`file:${live}`, target);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("existing.db exists: name another file, or add --force to replace it");
    expect(readFileSync(target, "utf8")).toBe("keep me");

    const forced = backup(`file:${live}`, target, "--force");
    expect(forced.status).toBe(0);
    expect(readFileSync(target).subarray(0, 15).toString()).toBe("SQLite format 3");

    const itself = backup(`file:${live}`, live, "--force");
    expect(itself.status).toBe(2);
    expect(itself.stderr).toContain("live.db is the database itself: name another file for the backup");
  });

  it("says what is wrong with the source or the target, and writes nothing", () => {
    const noFolder = backup(`file:${live}`, join(dir, "missing", "b.db"));
    expect(noFolder.status).toBe(2);
    expect(noFolder.stderr).toMatch(/the folder .*missing does not exist/);

    const absent = join(dir, "absent.db");
    const noDatabase = backup(`file:${absent}`, join(dir, "b.db"));
    expect(noDatabase.status).toBe(1);
    expect(noDatabase.stderr).toContain("nothing to back up (check DATABASE_URL)");
    // A backup never creates the database it was asked to copy.
    expect(existsSync(absent)).toBe(false);

    const remote = backup("libsql://example.turso.io", join(dir, "b.db"));
    expect(remote.status).toBe(2);
    expect(remote.stderr).toContain("turso db shell");
    expect(remote.stderr).toContain("wrangler d1 export");

    const notADatabase = join(dir, "notes.db");
    writeFileSync(notADatabase, "this is not a database, only some notes ".repeat(200));
    const garbage = backup(`file:${notADatabase}`, join(dir, "b.db"));
    expect(garbage.status).toBe(1);
    expect(garbage.stderr).toContain("no backup was written");
    expect(garbage.stderr).toContain("is not a readable SQLite database");

    const usage = backup(`file:${live}`);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("usage: npm run backup -- <backup file> [--force]");
    expect(readdirSync(dir).filter((f) => f.startsWith("b.db") || f.includes("partial"))).toEqual([]);
  });
});
