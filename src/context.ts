import type { Db } from "./db/client";
import type { EdgeDeps } from "./edge/edge-deps";

/**
 * Where GET answers are kept between requests, under a key that carries the data version: the
 * Workers Cache API at the edge, a bounded in-memory cache on Node.
 */
export type ResponseCache = {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
};

/** What a request needs from its runtime, built per request by the entry (Node or Workers). */
export type AppDeps = {
  db: Db;
  adminToken?: string;
  importBodyLimitBytes: number;
  /** Requests per minute per client address on public endpoints; undefined or 0 turns it off. */
  rateLimitPerMinute?: number;
  /** Cache of public GET answers keyed by data version; none means every answer is computed. */
  responseCache?: ResponseCache;
  /** Called after the database answered busy, so a runtime can replace a connection that may be stuck. */
  onDatabaseBusy?: () => void;
  /** Set only on Cloudflare Workers (src/worker.ts): edge cache, D1 flag and request limits. */
  edge?: EdgeDeps;
};

export type AppEnv = {
  Bindings: Record<string, unknown>;
  Variables: { deps: AppDeps; requestId: string };
};
