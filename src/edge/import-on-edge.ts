import type { AppDeps } from "../context";
import type { AtomicWrite } from "../import/writer";
import { D1_CHUNK_SIZE, D1_SINGLE_BATCH_MAX, d1StagedWrite } from "./d1-staged-write";

/** How an HTTP import writes on this runtime: the runtime's own (Node), D1's staged writer on Workers with D1, else the default. */
export function importWriteFor(deps: AppDeps): AtomicWrite | undefined {
  if (deps.importWrite) return deps.importWrite;
  return deps.edge?.d1 ? d1StagedWrite() : undefined;
}

export type EdgeImportLimits = {
  runtime: "cloudflare-workers";
  database: "d1" | "libsql";
  maxBodyBytes: number;
  memoryBytes: number;
  cpuMs: number;
  /** D1 only: statements written in one atomic batch; larger files are written in journaled chunks. */
  singleBatchStatements: number | null;
  chunkStatements: number | null;
  advice: string;
};

/** The limits of one Worker request, stated in every import answer on Workers; null elsewhere. */
export function importLimitsFor(deps: AppDeps): EdgeImportLimits | null {
  const edge = deps.edge;
  if (!edge) return null;
  const mb = (n: number) => Math.round(n / 1048576);
  return {
    runtime: "cloudflare-workers",
    database: edge.d1 ? "d1" : "libsql",
    maxBodyBytes: edge.limits.maxBodyBytes,
    memoryBytes: edge.limits.memoryBytes,
    cpuMs: edge.limits.cpuMs,
    singleBatchStatements: edge.d1 ? D1_SINGLE_BATCH_MAX : null,
    chunkStatements: edge.d1 ? D1_CHUNK_SIZE : null,
    advice:
      `one import request may carry at most ${mb(edge.limits.maxBodyBytes)} MB and use ${edge.limits.cpuMs / 1000} s of CPU and ${mb(edge.limits.memoryBytes)} MB of memory; ` +
      "split larger files (by batch or province), or import them with `npm run import` against the same Turso/libSQL database",
  };
}
