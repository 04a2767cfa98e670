import type { ResponseCache } from "../context";
import type { RateLimitBinding } from "../middleware/rate-limit";
import type { WorkerLimits } from "./worker-env";

/** The Workers Cache API (`caches.default`) is one kind of response cache. */
export type EdgeCache = ResponseCache;

/** What only a Worker has; undefined on Node, so every use must have a Node path. */
export type EdgeDeps = {
  /** The database is D1: no BEGIN, so large imports are staged in chunks (src/edge/d1-import-writer.ts). */
  d1: boolean;
  limits: WorkerLimits;
  /** Cloudflare's rate-limiting bindings: per-isolate memory would be no limit at all. */
  rateLimiters?: { requests?: RateLimitBinding; adminAuth?: RateLimitBinding };
};
