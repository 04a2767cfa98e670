import type { Db } from "./db/client";
import type { EdgeDeps } from "./edge/edge-deps";

/** What a request needs from its runtime, built per request by the entry (Node or Workers). */
export type AppDeps = {
  db: Db;
  adminToken?: string;
  importBodyLimitBytes: number;
  /** Requests per minute per client address on public endpoints; undefined or 0 turns it off. */
  rateLimitPerMinute?: number;
  /** Called after the database answered busy, so a runtime can replace a connection that may be stuck. */
  onDatabaseBusy?: () => void;
  /** Set only on Cloudflare Workers (src/worker.ts): edge cache, D1 flag and request limits. */
  edge?: EdgeDeps;
};

export type AppEnv = {
  Bindings: Record<string, unknown>;
  Variables: { deps: AppDeps; requestId: string };
};
