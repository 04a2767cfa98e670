import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PROJECT_ROOT } from "../project-root";

/** A thread's module under src/node-http/ (e.g. "import-worker"), bundled to dist/node-http/ by scripts/build.mjs. */
export type ThreadModule = "import-worker" | "read-calls";

/** True when this code runs from the build (`npm start`: dist/node.js) and the module's bundle is beside it. */
export function threadBuilt(module: ThreadModule): boolean {
  return fileURLToPath(import.meta.url).endsWith(".js") && existsSync(builtPath(module));
}

/**
 * An ES module specifier that loads the thread's module: the bundle in dist/ (npm start), else the
 * TypeScript source through tsx's loader, registered inside the thread first (tests, `tsx src/node.ts`).
 */
export function threadModuleUrl(module: ThreadModule): { url: string; tsx?: string } {
  if (threadBuilt(module)) return { url: pathToFileURL(builtPath(module)).href };
  const tsx = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve("tsx/package.json")), "dist", "esm", "api", "index.mjs")).href;
  return { url: pathToFileURL(join(PROJECT_ROOT, "src", "node-http", `${module}.ts`)).href, tsx };
}

/** Source for `new Worker(source, { eval: true })` that imports the module as threadModuleUrl says, and returns its namespace. */
export function importThreadModule(module: ThreadModule): string {
  const { url, tsx } = threadModuleUrl(module);
  if (!tsx) return `import(${JSON.stringify(url)})`;
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
}

const builtPath = (module: ThreadModule) => join(PROJECT_ROOT, "dist", "node-http", `${module}.js`);
