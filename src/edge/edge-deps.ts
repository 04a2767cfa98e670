import type { WorkerLimits } from "./worker-env";

/** The slice of the Workers Cache API the response cache uses (`caches.default`). */
export type EdgeCache = {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
};

/** What only a Worker has; undefined on Node, so every use must have a Node path. */
export type EdgeDeps = {
  /** Shared cache of the data centre; answers are stored under a key that carries the data version. */
  cache?: EdgeCache;
  /** The database is D1: no BEGIN, so large imports are staged in chunks (src/edge/d1-import-writer.ts). */
  d1: boolean;
  limits: WorkerLimits;
};
