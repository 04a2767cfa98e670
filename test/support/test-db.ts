import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/app";
import { openMigrated } from "../../src/cli/database";
import { type NodeDepsOptions, nodeDeps } from "../../src/cli/node-deps";
import type { Db, LibsqlHandle } from "../../src/db/client";
import type { LogLine } from "../../src/middleware/request-context";
import { createReadPool } from "../../src/node-http/read-pool";

export type TestWorld = {
  db: Db;
  app: ReturnType<typeof createApp>;
  url: string;
  dir: string;
  close: () => void;
};

export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";

/**
 * A fresh temp-file database migrated by the real migrations (`:memory:` libSQL loses data after a
 * transaction), optionally seeded from seeds/, with the app wired to it.
 */
export async function createTestWorld({
  seed = true,
  /** null: no token configured, so HTTP imports are disabled. */
  adminToken = TEST_ADMIN_TOKEN as string | null,
  rateLimitPerMinute = 0,
  responseCacheBytes = 0,
  /** Threads that run reads off the event loop, as READ_THREADS does on the Node server. */
  readThreads = 0,
  /** The threads also run searches and product answers whole (src/node-http/read-calls.ts), as the server's do. */
  readCalls = false,
  /** Any other setting of the Node server (upload slots, auth budget, named tokens, TRUST_PROXY…). */
  settings = {} as Partial<NodeDepsOptions>,
  /** Receives the server's one log line per request. */
  log = undefined as ((line: LogLine) => void) | undefined,
} = {}): Promise<TestWorld> {
  const dir = mkdtempSync(join(tmpdir(), "vbp-test-"));
  const url = `file:${join(dir, "test.db")}`;
  const handle = await openMigrated(url, undefined, { seed });
  // The same dependencies the Node server builds, so tests see its connection handling too.
  const readPool = readThreads ? createReadPool({ path: join(dir, "test.db"), size: readThreads, budgetMs: 10_000, calls: readCalls }) : undefined;
  if (readPool && readCalls && !(await readPool.callsReady(60_000))) throw new Error("the read threads could not load the calls' module");
  const node = nodeDeps(handle, url, undefined, {
    readPool,
    adminToken: adminToken ?? undefined,
    importBodyLimitBytes: 5 * 1024 * 1024,
    rateLimitPerMinute,
    responseCacheBytes,
    ...settings,
  });
  const app = createApp({ deps: () => node.deps, log });
  return {
    get db() {
      return node.deps.db;
    },
    app,
    url,
    dir,
    close: () => {
      node.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A migrated database file holding the seeds, in a directory of its own, for tests that open their
 * own connections to it (read threads); `remove` closes `handle` and deletes the directory.
 */
export async function createTestFile(prefix: string): Promise<{ path: string; handle: LibsqlHandle; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, "db.sqlite");
  const handle = await openMigrated(`file:${path}`);
  return {
    path,
    handle,
    remove: () => {
      handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A raw request whose answer is parsed as JSON, returning status and body. Only for what the typed
 * client (test/support/client.ts) cannot send: uploads with their own body and content type (text/csv,
 * .xlsx, JSON, none), as in the import tests. Call the API through the typed client everywhere else.
 */
export async function getJson<T = any>(app: TestWorld["app"], path: string, init?: RequestInit): Promise<{ status: number; body: T; res: Response }> {
  const res = await app.request(path, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, res };
}
