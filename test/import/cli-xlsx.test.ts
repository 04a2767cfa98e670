import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const WORKBOOK = join(ROOT, "seeds/source/national-vbp-results-batches-1-4.xlsx");
const dir = mkdtempSync(join(tmpdir(), "vbp-cli-xlsx-"));

function cli(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/import.ts", "prices", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    // A database without the real seeds: the counts are the workbook's alone.
    env: { ...process.env, DATABASE_URL: `file:${join(dir, "cli.db")}` },
    timeout: 120_000,
  });
}

describe("npm run import with an .xlsx workbook", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the sheet asked for by name, then answers unchanged on the same file", () => {
    const first = cli(WORKBOOK, "--sheet", "第四轮集采", "--batch", "national-drug-4");
    expect(first.status, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain('warning: read sheet "第四轮集采" (header in row 1)');
    expect(first.stdout).toMatch(/225 rows, 225 valid, 0 rejected \(sheet "第四轮集采", audit #\d+\)/);
    const again = cli(WORKBOOK, "--sheet", "第四轮集采", "--batch", "national-drug-4");
    expect(again.stdout).toMatch(/imported: 0, unchanged: 225; 225 rows, 225 valid, 0 rejected \(sheet "第四轮集采", audit #\d+\)/);
    const byPosition = cli(WORKBOOK, "--sheet", "6", "--batch", "national-drug-4", "--dry-run");
    expect(byPosition.stdout).toMatch(/dry run, nothing written; 225 rows, 225 valid, 0 rejected \(sheet "第四轮集采"/);
  }, 240_000);

  it("prints cell text without letting escape sequences reach the terminal", () => {
    const file = join(dir, "hostile.csv");
    writeFileSync(file, "药品通用名,中选价格,供应省份\n甲片,1,\u001b[2J\u001b]0;owned\u0007火星\n");
    const run = cli(file, "--batch", "national-drug-4", "--dry-run");
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain("\u001b");
    expect(run.stdout).toContain(String.raw`region "\x1b[2J\x1b]0" is unknown`);
    expect(run.stdout).toContain(String.raw`region "owned\x07火星" is unknown`);
  }, 120_000);

  it("says a workbook cut short is cut short, names no sheet and writes nothing", () => {
    const file = join(dir, "cut.xlsx");
    writeFileSync(file, readFileSync(WORKBOOK).subarray(0, 4_000));
    const run = cli(file, "--batch", "national-drug-4");
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("row 0: the workbook is cut short: the file ends before its last part; upload or copy the whole file again");
    expect(run.stdout).toMatch(/rejected, nothing written; 0 rows, 1 rejected \(workbook, no sheet read, audit #\d+\)/);
  }, 120_000);

  it("refuses a legacy .xls with a message saying how to convert it", () => {
    const file = join(dir, "old.xls");
    writeFileSync(file, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    const run = cli(file, "--batch", "national-drug-4");
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/legacy Excel 97-2003 workbook \(\.xls\).*libreoffice --headless --convert-to xlsx/);
  }, 120_000);
});
