import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { expect, it } from "vitest";

const BUDGET_BYTES = 1024 * 1024;

it("builds the Worker with wrangler and keeps the gzipped bundle within 1 MiB", () => {
  const out = mkdtempSync(join(tmpdir(), "vbp-worker-bundle-"));
  try {
    // Offline and quiet: no login, no telemetry; --dry-run never uploads.
    const env = {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      CLOUDFLARE_API_TOKEN: "",
      CLOUDFLARE_ACCOUNT_ID: "",
      NO_COLOR: "1",
    };
    execFileSync(process.execPath, [wranglerBin(), "deploy", "--dry-run", "--outdir", out], { env, stdio: "pipe", timeout: 120_000 });
    const js = readdirSync(out).filter((f) => f.endsWith(".js"));
    expect(js.length).toBeGreaterThan(0);
    const raw = js.reduce((n, f) => n + readFileSync(join(out, f)).length, 0);
    const gzipped = js.reduce((n, f) => n + gzipSync(readFileSync(join(out, f)), { level: 9 }).length, 0);
    console.log(`worker bundle: ${(raw / 1024).toFixed(1)} KiB raw, ${(gzipped / 1024).toFixed(1)} KiB gzipped (budget ${BUDGET_BYTES / 1024} KiB)`);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
    // Runtime-agnostic app: nothing from Node's standard library may reach the Worker bundle.
    const bundle = js.map((f) => readFileSync(join(out, f), "utf8")).join("\n");
    expect(bundle).not.toMatch(/from\s*["']node:|require\(["']node:/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 120_000);

function wranglerBin(): string {
  return join(process.cwd(), "node_modules", "wrangler", "bin", "wrangler.js");
}
