/**
 * `npm run parity:worker`: proves the Worker (workerd + local D1, via `npm run dev:worker`) and the
 * Node server (embedded libSQL file) give the same answers for the same data. Both start empty on
 * throwaway storage, both are seeded from seeds/ through the import code, on random ports in
 * 20000-29999 on 127.0.0.1, and both are stopped at the end.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { PROJECT_ROOT } from "../src/cli/files";

const PATHS = [
  "/api/v1/prices?q=他汀",
  "/api/v1/prices?q=冠脉支架",
  // Counted from search_cells (a province bit and a whole band of reduction) on both.
  "/api/v1/prices?q=他汀&region=山西省&minDiscount=90",
  "/api/v1/prices?sort=-discount&limit=50",
  // A fragment of many firms' names: more matched groups than D1 takes terms in one compound SELECT.
  "/api/v1/prices?q=药业&limit=5",
  "/api/v1/prices?q=药业&sort=-unitPrice&limit=5",
  "/api/v1/batches",
  "/api/v1/products/1",
];

const randomPort = () => 20000 + Math.floor(Math.random() * 10000);
const tsx = join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs");

function start(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [tsx, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
}

async function ready(base: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/api/v1/batches?limit=1`);
      if (res.ok && ((await res.json()) as { meta: { total: number } }).meta.total > 0) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not come up with data within 90 s`);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "vbp-parity-"));
  const nodePort = randomPort();
  let workerPort = randomPort();
  while (workerPort === nodePort) workerPort = randomPort();
  const node = start(["src/node.ts"], {
    PORT: String(nodePort),
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${join(dir, "node.db")}`,
    LOG_REQUESTS: "false",
    ADMIN_TOKEN: "",
  });
  const worker = start(["scripts/dev-worker.ts"], { PORT: String(workerPort), WORKER_PERSIST_DIR: join(dir, "d1") });
  // The Worker serves before it has imported every seed file (through its own import endpoint), and
  // says when it has: compared before that, its answers held only the files imported so far.
  const seeded = new Promise<void>((resolve, reject) => {
    let out = "";
    worker.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("dev:worker: serving")) resolve();
    });
    worker.once("exit", (code) => reject(new Error(`wrangler dev exited with code ${code} before it was seeded`)));
  });
  node.stdout?.resume();
  let failures = 0;
  try {
    const nodeBase = `http://127.0.0.1:${nodePort}`;
    const workerBase = `http://127.0.0.1:${workerPort}`;
    await Promise.all([ready(nodeBase, node, "node server"), ready(workerBase, worker, "wrangler dev"), seeded]);
    for (const path of PATHS) {
      const url = (base: string) => `${base}${path.replace(/[^\x20-\x7e]+/g, encodeURIComponent)}`;
      const [a, b] = await Promise.all([fetch(url(nodeBase)), fetch(url(workerBase))]);
      const [ja, jb] = await Promise.all([a.json(), b.json()]);
      const same = a.status === b.status && isDeepStrictEqual(ja, jb) && a.headers.get("etag") === b.headers.get("etag");
      const count = (ja as { data?: unknown[] }).data?.length;
      console.log(
        `${same ? "same" : "DIFFERENT"}  ${path}  (status ${a.status}/${b.status}, ${Array.isArray((ja as { data?: unknown }).data) ? `${count} items` : "one item"}, etag ${a.headers.get("etag")})`,
      );
      if (!same) {
        failures++;
        console.log(`  node:   ${JSON.stringify(ja).slice(0, 400)}\n  worker: ${JSON.stringify(jb).slice(0, 400)}`);
      }
    }
  } finally {
    node.kill("SIGTERM");
    worker.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
    rmSync(dir, { recursive: true, force: true });
  }
  if (failures) {
    console.error(`${failures} of ${PATHS.length} answers differ between Node and the Worker`);
    process.exit(1);
  }
  console.log(`all ${PATHS.length} answers are identical (bodies and ETags) on Node/libSQL and workerd/D1`);
}

main().catch((err: unknown) => {
  console.error(`parity:worker: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
