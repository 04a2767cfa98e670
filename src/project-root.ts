import { existsSync } from "node:fs";
import { dirname, join, parse } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project folder (the one with package.json), found by walking up from this module: the same
 * answer from the TypeScript sources (src/…) and from the bundles in dist/, so drizzle/ and seeds/
 * are read from the project wherever the code runs from. Node only.
 */
export function findProjectRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dir === parse(dir).root) throw new Error(`no package.json above ${from}: cannot find the project's drizzle/ and seeds/ folders`);
  }
}

export const PROJECT_ROOT = findProjectRoot();
