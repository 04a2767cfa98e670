import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parseGenArgs, runGen } from "../../../src/cli/gen.js";
import { BATCH_COLUMNS, PRICE_COLUMNS, syntheticBatches, syntheticPrices } from "../../../src/synthetic/index.js";
import { readCsv, repoPath } from "./helpers.js";

const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), "vbp-gen-"));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("parseGenArgs", () => {
  it("has the documented defaults", () => {
    expect(parseGenArgs([])).toEqual({ prices: 1000, out: "data/synthetic", seed: 1 });
  });

  it("reads --prices, --out and --seed in either spelling", () => {
    expect(parseGenArgs(["--prices", "1000000", "--out", "/tmp/x", "--seed", "42"])).toEqual({ prices: 1_000_000, out: "/tmp/x", seed: 42 });
    expect(parseGenArgs(["--prices=5", "--seed=0"])).toEqual({ prices: 5, out: "data/synthetic", seed: 0 });
  });

  it("rejects what it cannot honour", () => {
    expect(() => parseGenArgs(["--prices", "-3"])).toThrow(/--prices/);
    expect(() => parseGenArgs(["--prices", "1e6"])).toThrow(/--prices/);
    expect(() => parseGenArgs(["--seed", "4294967296"])).toThrow(/--seed/);
    expect(() => parseGenArgs(["--rows", "5"])).toThrow();
    expect(() => parseGenArgs(["extra"])).toThrow();
  });
});

describe("runGen", () => {
  it("writes batches.csv and prices.csv that read back as exactly the generated rows", async () => {
    const out = join(await tempDir(), "nested", "dir");
    expect(await runGen({ prices: 2500, out, seed: 9 })).toEqual({ batches: syntheticBatches().length, prices: 2500 });
    expect((await readdir(out)).sort()).toEqual(["batches.csv", "prices.csv"]);
    const b = readCsv(join(out, "batches.csv"));
    expect(b.fields).toEqual([...BATCH_COLUMNS]);
    expect(b.rows).toEqual(syntheticBatches());
    const p = readCsv(join(out, "prices.csv"));
    expect(p.raw.charCodeAt(0)).not.toBe(0xfeff);
    expect(p.fields).toEqual([...PRICE_COLUMNS]);
    expect(p.rows).toEqual([...syntheticPrices({ count: 2500, seed: 9 })]);
  });
});

describe("gen CLI", () => {
  it("runs under tsx, writes the files and says the data is synthetic", async () => {
    const out = await tempDir();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", repoPath("src/cli/gen.ts"), "--prices", "300", "--out", out, "--seed", "2"],
      { cwd: repoPath(".") },
    );
    expect(stdout).toMatch(/wrote \d+ batches .* and 300 prices/);
    expect(stdout).toContain("SYNTHETIC");
    expect(readCsv(join(out, "prices.csv")).rows).toEqual([...syntheticPrices({ count: 300, seed: 2 })]);
  }, 30_000);

  it("exits 2 with usage on a bad argument and writes nothing", async () => {
    const out = join(await tempDir(), "never");
    const run = promisify(execFile)(process.execPath, ["--import", "tsx", repoPath("src/cli/gen.ts"), "--prices", "many", "--out", out], {
      cwd: repoPath("."),
    });
    await expect(run).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("usage:") });
    await expect(readdir(out)).rejects.toThrow();
  }, 30_000);
});
