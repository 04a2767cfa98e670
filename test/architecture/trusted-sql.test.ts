import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const HELPER = "src/db/trusted-sql.ts";

/** `sql.raw`, also spelled `sql["raw"]` or with spaces, as drizzle's unescaped-text escape hatch. */
const RAW = /\bsql\s*(?:\.\s*raw\b|\[\s*["'`]raw["'`]\s*\])/;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: false })
    .map(String)
    .filter((f) => /\.(?:ts|tsx|mts|cts|js|mjs)$/.test(f))
    .map((f) =>
      relative(root, join(root, dir, f))
        .split("\\")
        .join("/"),
    );
}

describe("SQL text enters statements unescaped in one place", () => {
  it("no file under src/ calls sql.raw except src/db/trusted-sql.ts", () => {
    const offenders = sourceFiles("src")
      .filter((f) => f !== HELPER)
      .flatMap((f) =>
        readFileSync(join(root, f), "utf8")
          .split("\n")
          .flatMap((line, i) => (RAW.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });

  it("the scan recognises the call it forbids (the helper's own)", () => {
    expect(sourceFiles("src")).toContain(HELPER);
    expect(RAW.test(readFileSync(join(root, HELPER), "utf8"))).toBe(true);
    expect(RAW.test('sql["raw"]("x")')).toBe(true);
    expect(RAW.test("trustedSql(text)")).toBe(false);
  });
});
