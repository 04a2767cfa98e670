import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/node.ts"], {
    env: { ...process.env, PORT: String(20000 + Math.floor(Math.random() * 9000)), LOG_REQUESTS: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

describe("start-up with a broken database file", () => {
  const dir = mkdtempSync(join(tmpdir(), "vbp-start-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a file that is not a database with a message saying what to do", async () => {
    const file = join(dir, "junk.db");
    writeFileSync(file, "this is a spreadsheet, not a database\n".repeat(200));
    const { code, output } = await start({ DATABASE_URL: `file:${file}` });
    expect(code).toBe(1);
    expect(output).toContain("is not a readable SQLite database");
    expect(output).toContain("Restore it from a backup");
    expect(output).not.toMatch(/\n\s+at /);
  });

  it("names a database location it cannot create", async () => {
    const target = join(dir, "not-a-folder");
    writeFileSync(target, "a file where a folder should be");
    const { code, output } = await start({ DATABASE_URL: `file:${join(target, "vbp.db")}` });
    expect(code).toBe(1);
    expect(output).toContain("cannot open the database");
    expect(output).toContain("DATABASE_URL");
  });
});
