import type { ByteSource } from "../import/source";
import type { StopSignal } from "./stop-signals";

/** Thrown into a running CLI import by Ctrl-C (SIGINT) or SIGTERM: its transaction rolls back. */
export class ImportInterrupted extends Error {
  constructor(readonly signal: StopSignal) {
    super(`interrupted by ${signal}; rolled back, no rows written`);
    this.name = "ImportInterrupted";
  }
}

/**
 * The same source, failing at its next chunk once `signal` aborts. The import reads the file as it
 * writes, so the failure lands inside its write transaction, which rolls back like for an invalid row.
 */
export function interruptible<S extends ByteSource>(source: S, signal: AbortSignal): S {
  return {
    ...source,
    async *open() {
      signal.throwIfAborted();
      for await (const chunk of source.open()) {
        signal.throwIfAborted();
        yield chunk;
      }
    },
  };
}
