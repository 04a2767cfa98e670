import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { progressLine } from "../../src/cli/import-progress";

const ROOT = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "vbp-cli-import-"));
const HEADER = "batch,genericName,dosageForm,spec,packageQty,manufacturer,chosenPrice,referencePrice,referenceKind,supplyRegions\n";

function cli(file: string, ...flags: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/import.ts", "prices", file, ...flags], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: `file:${join(dir, "cli.db")}` },
    timeout: 60_000,
  });
}

describe("npm run import (streams the file, reports progress)", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("imports a file, printing plain progress lines when not on a terminal", () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `national-drug-3,命令行药${i},片剂,10mg,7,命令行公司${i},1.5,3,ceiling,\n`);
    const file = join(dir, "good.csv");
    writeFileSync(file, HEADER + rows.join(""));
    const run = cli(file);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/good\.csv: imported: 2000, unchanged: 0; 2000 rows, 2000 valid, 0 rejected \(encoding utf-8, audit #\d+\)/);
    expect(run.stderr).toMatch(/good\.csv: 2,000 rows, [\d,]+ rows\/s, 100% read, done/);
    expect(run.stderr).not.toMatch(/\x1b\[/);
  });

  it("rejects a file with one bad row, naming it, and exits 1", () => {
    const file = join(dir, "bad.csv");
    writeFileSync(file, `${HEADER}national-drug-3,好药片,片剂,10mg,7,甲公司,1.5,3,ceiling,\nnational-drug-3,坏药片,片剂,10mg,7,乙公司,abc,3,ceiling,\n`);
    const run = cli(file, "--dry-run");
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('error: row 3, column chosenPrice: "abc" is not an amount of money');
    expect(run.stdout).toContain("rejected, nothing written");
  });

  it("prints terminal escapes and bidi overrides from a file's cells as visible text, never raw", () => {
    const outputs = new Map<string, string>();
    for (const name of ["48-terminal-escapes-bad-price.csv", "49-bidi-override-bad-price.csv"]) {
      const run = cli(join(ROOT, "test/import/corpus", name), "--dry-run");
      expect(run.status).toBe(1);
      expect(run.stdout + run.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
      expect(run.stdout).toContain("rejected, nothing written");
      outputs.set(name, run.stdout);
    }
    expect(outputs.get("48-terminal-escapes-bad-price.csv")).toContain('"\\x1b]0;owned\\x07" is not an amount of money');
  }, 120_000); // two CLI processes started through tsx: 10–20 s each on two loaded cores

  it("imports a file whose 150,000 trailing blank lines once overflowed the stack", () => {
    const run = cli(join(ROOT, "test/import/corpus/41-150k-trailing-blank-lines.csv"), "--dry-run");
    expect(run.stderr).not.toContain("Maximum call stack");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("dry run, nothing written; 1 rows, 1 valid, 0 rejected");
  });

  it("says rows, rows per second, share read and time left", () => {
    expect(progressLine("p.csv", { rows: 250_000, bytesRead: 50, totalBytes: 200, done: false }, 10_000)).toBe(
      "p.csv: 250,000 rows, 25,000 rows/s, 25% read, ETA 30 s",
    );
  });
});
