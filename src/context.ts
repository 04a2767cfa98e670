import type { Db } from "./db/client";

/** What a request needs from its runtime, built per request by the entry (Node or Workers). */
export type AppDeps = {
  db: Db;
  adminToken?: string;
  importBodyLimitBytes: number;
};

export type AppEnv = {
  Bindings: Record<string, unknown>;
  Variables: { deps: AppDeps; requestId: string };
};
