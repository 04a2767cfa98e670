import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));

/** Tracked files of the folders a user's clone runs, builds and tests from. */
function trackedFiles(): string[] {
  const out = execFileSync(
    "git",
    [
      "ls-files",
      "-z",
      "--",
      "src",
      "test",
      "bench",
      "scripts",
      "seeds",
      ".ci",
      "package.json",
      "vitest.config.ts",
      "vitest.workers.config.ts",
      "wrangler.toml",
      "tsconfig.json",
    ],
    { cwd: root },
  );
  return out.toString("utf8").split("\0").filter(Boolean);
}

// A user's clone has no design folder beside it: nothing may reach outside the repository for data.
const OUTSIDE = /\.\.\/(?:\.\.\/)*shared\b|\bshared\/(?:data|design|reference|hooks)\//;

describe("the project stands alone", () => {
  it("no tracked file under src, test, bench, scripts or seeds refers to ../shared", () => {
    const self = "test/unit/project/stands-alone.test.ts";
    const offenders = trackedFiles()
      .filter((f) => f !== self)
      .filter((f) => {
        const text = readFileSync(`${root}${f}`);
        return !text.includes(0) && OUTSIDE.test(text.toString("utf8"));
      });
    expect(offenders).toEqual([]);
  });

  it("the check itself catches a reference to ../shared", () => {
    expect(OUTSIDE.test('readFileSync("../shared/data/published-batches.csv")')).toBe(true);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of a template literal is what the pattern must catch.
    expect(OUTSIDE.test("new URL(`../../../../shared/${rel}`, import.meta.url)")).toBe(true);
    expect(OUTSIDE.test("const sharedRows = rows.filter(isShared)")).toBe(false);
  });
});
