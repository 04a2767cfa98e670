import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "../../src");
/** How far above a cast its reason may stand: one statement, however it is wrapped. */
const REACH = 12;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe("`as unknown as` in src", () => {
  it("always comes with a comment saying why (`// as unknown as: …` on its line or just above)", () => {
    const unexplained: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const lines = readFileSync(file, "utf8").split("\n");
      lines.forEach((line, i) => {
        if (!line.includes("as unknown as")) return;
        const isComment = (l: string) => /^\s*(\/\/|\*|\/\*)/.test(l) || /\/\/.*as unknown as/.test(l);
        if (isComment(line)) return;
        const reason = lines.slice(Math.max(0, i - REACH), i).some((l) => isComment(l) && l.includes("as unknown as"));
        if (!reason) unexplained.push(`${relative(SRC, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(unexplained).toEqual([]);
  });
});
