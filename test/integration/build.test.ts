import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT, runNpm } from "../support/service";

/** A copy of what a clone holds (node_modules linked, as after `npm ci`), without dist/. */
function cloneProject(): string {
  const clone = mkdtempSync(join(tmpdir(), "vbp-clone-"));
  for (const entry of ["src", "scripts", "drizzle", "seeds", "package.json", "package-lock.json", "tsconfig.json"]) {
    cpSync(join(PROJECT, entry), join(clone, entry), { recursive: true });
  }
  symlinkSync(join(PROJECT, "node_modules"), join(clone, "node_modules"), "dir");
  return clone;
}

function buildIfStale(clone: string) {
  const started = performance.now();
  const run = spawnSync(process.execPath, ["scripts/build.mjs", "--if-stale"], { cwd: clone, encoding: "utf8" });
  return { status: run.status, stderr: run.stderr, ms: performance.now() - started };
}

describe("npm run build: the Node server and the import CLI compiled into dist/", () => {
  let clone: string;
  const elsewhere = mkdtempSync(join(tmpdir(), "vbp-cwd-"));

  beforeAll(() => {
    clone = cloneProject();
  });

  afterAll(() => {
    rmSync(clone, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it("builds on a fresh clone, skips an up-to-date build, and rebuilds after a source changes", () => {
    const first = buildIfStale(clone);
    expect(first.status).toBe(0);
    expect(first.stderr).toContain("dist/ is missing or older than the sources: building it first");
    expect(existsSync(join(clone, "dist/node.js"))).toBe(true);
    expect(existsSync(join(clone, "dist/cli/import.js"))).toBe(true);
    expect(existsSync(join(clone, "dist/cli/backup.js"))).toBe(true);
    const builtAt = statSync(join(clone, "dist/node.js")).mtimeMs;

    const again = buildIfStale(clone);
    expect(again).toMatchObject({ status: 0, stderr: "" });
    expect(statSync(join(clone, "dist/node.js")).mtimeMs).toBe(builtAt);

    appendFileSync(join(clone, "src/app.ts"), "\n// edited after the build\n");
    const edited = buildIfStale(clone);
    expect(edited.status).toBe(0);
    expect(edited.stderr).toContain("building it first");
    expect(statSync(join(clone, "dist/node.js")).mtimeMs).toBeGreaterThan(builtAt);
  });

  it("serves from the build with plain node, started from another folder: migrations, seeds and pages found", async () => {
    buildIfStale(clone);
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [join(clone, "dist/node.js")], {
      cwd: elsewhere,
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATABASE_URL: `file:${join(elsewhere, "vbp.db")}`, LOG_REQUESTS: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let output = "";
      child.stdout!.on("data", (d) => (output += d));
      child.stderr!.on("data", (d) => (output += d));
      const deadline = Date.now() + 30_000;
      while (!/serving on http:\/\/127\.0\.0\.1:(\d+)/.test(output) && Date.now() < deadline && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 50));
      const port = Number(/serving on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
      expect(output).toContain("loaded the seed data from seeds/");
      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: "ok" });
      const prices = (await (await fetch(`${base}/api/v1/prices?q=${encodeURIComponent("阿托伐他汀")}&limit=50`)).json()) as {
        data: Array<{ discountPct: number; product: { genericName: string }; batch: { id: string } }>;
      };
      // The article's calcium tablets, and the real 4+7 results the seeds carry from the committed workbook.
      expect(prices.data.filter((p) => p.product.genericName === "阿托伐他汀钙片").map((p) => p.discountPct)).toContain(97.7);
      expect(prices.data.some((p) => p.batch.id === "national-drug-1-expansion")).toBe(true);
      const page = await fetch(`${base}/?q=${encodeURIComponent("阿托伐他汀")}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("阿托伐他汀钙片"); // hono/jsx pages compiled into the bundle
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("runs the CLIs from the build (a dry run of the seed prices reports every row valid; a backup of that database)", () => {
    buildIfStale(clone);
    const out = execFileSync(process.execPath, [join(clone, "dist/cli/import.js"), "prices", join(clone, "seeds/prices.csv"), "--dry-run"], {
      cwd: elsewhere,
      env: { ...process.env, DATABASE_URL: `file:${join(elsewhere, "cli.db")}` },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(out).toMatch(/prices\.csv: dry run, nothing written; 3 rows, 3 valid, 0 rejected/);
    const backup = execFileSync(process.execPath, [join(clone, "dist/cli/backup.js"), join(elsewhere, "cli-backup.db")], {
      cwd: elsewhere,
      env: { ...process.env, DATABASE_URL: `file:${join(elsewhere, "cli.db")}` },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(backup).toMatch(/cli-backup\.db: backup of .*cli\.db written in [\d.]+ s \([\d.]+ MB; \d+ batches, 538 prices, .*integrity ok\)/);
  });
});

describe("production install", () => {
  it("`npm ls --omit=dev` lists no tsx: the service runs without a TypeScript runtime", () => {
    // From the lockfile, i.e. what `npm ci --omit=dev` installs, whatever this node_modules holds.
    // npm's exit status is left aside: it reports unmet optional dependencies of other packages.
    const ls = (scope: string) => spawnSync("npm", ["ls", "--package-lock-only", scope, "--all", "--parseable"], { cwd: PROJECT, encoding: "utf8" }).stdout;
    const production = ls("--omit=dev");
    expect(production).toContain("node_modules/hono");
    expect(production).not.toMatch(/node_modules\/tsx$/m);
    expect(ls("--include=dev")).toMatch(/node_modules\/tsx$/m); // still there for development (tests, bench, gen)
  });

  it("`npm start` on the project answers /health from the build", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vbp-npm-start-"));
    const service = await runNpm(["start"], { PORT: "0", DATABASE_URL: `file:${join(dir, "vbp.db")}`, LOG_REQUESTS: "false" });
    try {
      expect(service.output()).toContain("exec node --max-semi-space-size=4 dist/node.js");
      expect((await fetch(`http://127.0.0.1:${service.port}/health`)).status).toBe(200);
    } finally {
      process.kill(service.child.pid!, "SIGTERM");
      await service.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
