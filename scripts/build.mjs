/**
 * `npm run build`: bundles the Node server and the import and backup CLIs into dist/ with esbuild, so a service
 * runs plain `node` on JavaScript instead of compiling TypeScript at every start. Packages stay in
 * node_modules (imported at run time); drizzle/ and seeds/ are read at run time from the project
 * folder, which the code finds by walking up to package.json (src/project-root.ts).
 *
 * `--if-stale` builds only when dist/ is missing or was built from other sources: what `npm start`,
 * `npm run demo`, `npm run import` and `npm run backup` run first, so a fresh clone needs no separate build step.
 * Plain JavaScript on purpose: it must run before anything is compiled.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "dist");
/** dist/<name>.js ← source */
const ENTRIES = {
  node: "src/node.ts",
  "cli/import": "src/cli/import.ts",
  "cli/backup": "src/cli/backup.ts",
  "node-http/import-worker": "src/node-http/import-worker.ts",
  "node-http/read-calls": "src/node-http/read-calls.ts",
};
/** Everything the bundles are made from; any change (or a file added or removed) makes dist/ stale. */
const INPUTS = ["src", "package.json", "tsconfig.json", "scripts/build.mjs"];
const STAMP = join(OUT, ".inputs");

/** A hash of every input's path, size and modification time: a few milliseconds for the whole tree. */
export function inputsFingerprint() {
  const hash = createHash("sha256");
  const visit = (path) => {
    const st = statSync(path);
    if (st.isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
      return;
    }
    hash.update(`${relative(ROOT, path)}\0${st.size}\0${st.mtimeMs}\n`);
  };
  for (const input of INPUTS) visit(join(ROOT, input));
  return hash.digest("hex");
}

export function isStale(fingerprint = inputsFingerprint()) {
  try {
    if (readFileSync(STAMP, "utf8") !== fingerprint) return true;
    return Object.keys(ENTRIES).some((name) => !statSync(join(OUT, `${name}.js`)).isFile());
  } catch {
    return true;
  }
}

export async function build() {
  const fingerprint = inputsFingerprint();
  const started = Date.now();
  // esbuild is a development dependency: a production install (`npm ci --omit=dev`) runs a dist/
  // built beforehand and never reaches this import.
  const esbuild = await import("esbuild").catch((err) => {
    if (err?.code !== "ERR_MODULE_NOT_FOUND") throw err;
    throw new Error(
      "esbuild is not installed (a development dependency): run `npm ci` and `npm run build`, or start the existing build with `node dist/node.js`",
    );
  });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: OUT,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: join(ROOT, "tsconfig.json"), // JSX: react-jsx with hono/jsx as the import source
    sourcemap: "linked",
    legalComments: "none",
    logLevel: "warning",
    write: false,
  });
  // Each file is written beside its place and renamed over it, so a server starting while another
  // process builds (tests run in parallel) never loads half a file.
  for (const file of result.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  const temporary = `${STAMP}.${process.pid}.tmp`;
  writeFileSync(temporary, fingerprint);
  renameSync(temporary, STAMP);
  return { files: result.outputFiles.length, ms: Date.now() - started };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes("--if-stale");
  try {
    if (!ifStale || isStale()) {
      if (ifStale) console.error("dist/ is missing or older than the sources: building it first");
      const { files, ms } = await build();
      console.error(`built dist/ (${files} files) in ${ms} ms`);
    }
  } catch (err) {
    console.error(`could not build dist/: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
