import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const bin = (name: string) => join(root, "node_modules/.bin", name);
/** No telemetry, no update check: the linters run offline, as in CI. */
const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" };

type RedoclyProblem = { ruleId: string; severity: string; message: string; location: { pointer: string }[] };
type SpectralProblem = { code: string; severity: number; message: string; path: string[] };

/**
 * The two linters integrators run, each once, on the document the app serves, with the
 * committed rulesets (redocly.yaml, .spectral.yaml: every rule switched off there says why).
 */
describe("the OpenAPI document under the integrators' linters", () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    const app = createApp({ deps: () => ({}) as never });
    dir = mkdtempSync(join(tmpdir(), "vbp-openapi-"));
    file = join(dir, "openapi.json");
    writeFileSync(file, await (await app.request("/openapi.json")).text());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("passes Redocly's recommended ruleset with no error and no warning", { timeout: 60_000 }, async () => {
    const { stdout } = await run(bin("redocly"), ["lint", file, "--config", join(root, "redocly.yaml"), "--format=json"], { env, cwd: dir }).catch(
      (err: { stdout: string; stderr: string }) => ({ stdout: err.stdout || err.stderr }),
    );
    const report = JSON.parse(stdout.slice(stdout.indexOf("{"))) as { totals: { errors: number; warnings: number }; problems: RedoclyProblem[] };
    const found = report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(found).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it("passes Spectral's spectral:oas ruleset with no error and no warning", { timeout: 60_000 }, async () => {
    const { stdout } = await run(bin("spectral"), ["lint", file, "--ruleset", join(root, ".spectral.yaml"), "--format", "json", "--quiet"], {
      env,
      cwd: dir,
    }).catch((err: { stdout: string; stderr: string }) => ({ stdout: err.stdout || err.stderr }));
    const problems = JSON.parse(stdout.trim() || "[]") as SpectralProblem[];
    const found = problems
      .filter((p) => p.severity <= 1)
      .map((p) => `${p.severity === 0 ? "error" : "warning"} ${p.code} at ${p.path.join(".")}: ${p.message}`);
    expect(found).toEqual([]);
  });
});
