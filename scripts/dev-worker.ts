/**
 * `npm run dev:worker`: the Worker in workerd on 127.0.0.1 with a local D1 that is migrated by
 * wrangler from drizzle/ and seeded from seeds/ through the Worker's own import endpoint (the same
 * import code every upload uses). Port: PORT (default 8788, next to the Node server's 8787).
 * Nothing reaches the network: local D1 only, no login, no telemetry.
 *
 *   npm run dev:worker                 serve until Ctrl-C
 *   npm run dev:worker -- --seed-only  migrate, seed, stop (used by scripts/worker-parity.ts)
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT, seedFiles } from "../src/cli/files";

const port = Number(process.env.PORT ?? 8788);
const persistTo = process.env.WORKER_PERSIST_DIR; // a separate local D1 (parity checks use a temp dir)
const seedOnly = process.argv.includes("--seed-only");
const wrangler = join(PROJECT_ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const quietEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_API_TOKEN: "", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" };
const persistArgs = persistTo ? ["--persist-to", persistTo] : [];

function adminToken(): string {
  const file = join(PROJECT_ROOT, ".dev.vars");
  const existing = existsSync(file) ? /^ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?/m.exec(readFileSync(file, "utf8"))?.[1] : undefined;
  if (existing) return existing;
  const token = randomBytes(24).toString("hex");
  writeFileSync(file, `${existsSync(file) ? readFileSync(file, "utf8") : ""}ADMIN_TOKEN="${token}"\n`);
  console.log("dev:worker: wrote a local ADMIN_TOKEN to .dev.vars (git-ignored)");
  return token;
}

async function waitForHealth(base: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`wrangler dev did not answer ${base}/health within 60 s`);
}

async function seedIfEmpty(base: string, token: string): Promise<void> {
  const batches = (await (await fetch(`${base}/api/v1/batches?limit=1`)).json()) as { meta?: { total?: number }; data?: unknown[] };
  if ((batches.meta?.total ?? batches.data?.length ?? 0) > 0) {
    console.log("dev:worker: local D1 already has data; not seeding");
    return;
  }
  for (const f of seedFiles()) {
    const res = await fetch(`${base}/api/v1/imports?kind=${f.kind}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "text/csv", "x-file-name": f.name },
      body: f.bytes,
    });
    const report = (await res.json()) as { rowsImported?: number; errors?: unknown[] };
    if (res.status !== 200) throw new Error(`seeding ${f.name} failed (${res.status}): ${JSON.stringify(report).slice(0, 500)}`);
    console.log(`dev:worker: seeded ${f.name}: ${report.rowsImported} rows`);
  }
}

async function main() {
  const token = adminToken();
  const migrate = spawnSync(process.execPath, [wrangler, "d1", "migrations", "apply", "DB", "--local", ...persistArgs], { env: quietEnv, stdio: "inherit" });
  if (migrate.status !== 0) throw new Error("wrangler d1 migrations apply --local failed");
  const child = spawn(process.execPath, [wrangler, "dev", "--ip", "127.0.0.1", "--port", String(port), "--var", `ADMIN_TOKEN:${token}`, ...persistArgs], {
    env: quietEnv,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const stop = () => child.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(base, child);
    await seedIfEmpty(base, token);
  } catch (err) {
    stop();
    throw err;
  }
  if (seedOnly) {
    stop();
    return;
  }
  console.log(`dev:worker: serving ${base} from workerd with a local D1 (try ${base}/api/v1/prices?q=他汀)`);
  await new Promise((resolve) => child.on("exit", resolve));
}

main().catch((err: unknown) => {
  console.error(`dev:worker: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
