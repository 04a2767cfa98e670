import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../../src/app";
import { openMigrated } from "../../../src/cli/database";
import { loadDemo } from "../../../src/cli/demo";
import type { Db } from "../../../src/db/client";
import { writeXlsx } from "../../../src/export/xlsx-writer";
import { openWorkbookTable } from "../../../src/import/xlsx/read-workbook";
import { type RunningServer, serveFetch } from "../../../src/node-http/serve";
import { nodeVendorAssets } from "../../../src/node-http/vendor-assets";
import { importFiles } from "../../../src/services/seed";
import { seedVolumesCsv } from "./volumes";

export const E2E_ADMIN_TOKEN = "e2e-admin-token-0123456789abcdef";

export type E2eServer = { url: string; db: Db; close: () => Promise<void> };

/**
 * The real Node server (serveFetch + createApp) on 127.0.0.1 and a random port in 20000–29999,
 * over a temp-file database with the seed data and a small synthetic demo set, so lists, charts
 * and paging have something to show beside the real seed prices, and a year of purchased volumes
 * of the seed prices for the savings page.
 */
export async function startE2eServer({ demoPrices = 300 } = {}): Promise<E2eServer> {
  const dir = mkdtempSync(join(tmpdir(), "vbp-e2e-"));
  const handle = await openMigrated(`file:${join(dir, "e2e.db")}`);
  if (demoPrices > 0) await loadDemo(handle.db, demoPrices);
  await importFiles(handle.db, [{ kind: "volumes", name: "e2e/volumes.csv", bytes: new TextEncoder().encode(seedVolumesCsv()) }], "e2e");
  const deps = {
    db: handle.db,
    vendorAssets: nodeVendorAssets(),
    spreadsheets: writeXlsx,
    readWorkbook: openWorkbookTable,
    adminToken: E2E_ADMIN_TOKEN,
    importBodyLimitBytes: 5 * 1024 * 1024,
    rateLimitPerMinute: 0,
  };
  const app = createApp({ deps: () => deps });
  let server: RunningServer | undefined;
  for (let attempt = 0; !server; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    try {
      server = await serveFetch(app.fetch, port, "127.0.0.1");
    } catch (err) {
      if (attempt >= 20 || (err as { code?: string }).code !== "EADDRINUSE") throw err;
    }
  }
  const running = server;
  return {
    url: `http://127.0.0.1:${running.port}`,
    db: handle.db,
    close: async () => {
      await running.close();
      handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
