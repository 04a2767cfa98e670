import type { Db } from "./db/client";
import type { EdgeDeps } from "./edge/edge-deps";
import type { WorkbookOpener } from "./import/open-file";
import type { ByteSource } from "./import/source";
import type { UploadSpooler } from "./import/spool";
import type { AtomicWrite } from "./import/writer";
import type { AdminToken } from "./middleware/admin-tokens";
import type { AdminAuthBudget } from "./middleware/rate-limit";
import type { FormFields } from "./middleware/upload-body";
import type { SpooledImporter } from "./node-http/import-in-worker";
import type { ReadCalls } from "./services/read-calls";
import type { SpreadsheetWriter } from "./services/spreadsheet";

/**
 * Where GET answers are kept between requests, under a key that carries the data version: the
 * Workers Cache API at the edge, a bounded in-memory cache on Node.
 */
export type ResponseCache = {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
};

/** Static builds of browser libraries a runtime can serve (Node reads them from node_modules). */
export type VendorAssets = { version: string; read(name: string): Promise<Uint8Array | null> };

/** What a request needs from its runtime, built per request by the entry (Node or Workers). */
export type AppDeps = {
  db: Db;
  /** The server's own connection when `db` sends reads to other threads: /health asks it, so it never waits behind a slow search. */
  ownDb?: Db;
  adminToken?: string;
  /** Named admin tokens (ADMIN_TOKENS); each import records the name of the token it came with. */
  adminTokens?: AdminToken[];
  importBodyLimitBytes: number;
  /** Largest purchase list a price check takes (public, so smaller than imports); defaults to importBodyLimitBytes. */
  priceCheckBodyLimitBytes?: number;
  /** Request bodies read and processed at once per server (UPLOADS_AT_ONCE); 0 or undefined: no limit. */
  uploadsAtOnce?: number;
  /** Requests per minute per client address on public endpoints; undefined or 0 turns it off. */
  rateLimitPerMinute?: number;
  /** Failed admin token attempts per minute per client before it is refused (429); 0 or undefined: no budget. */
  adminAuthFailuresPerMinute?: number;
  /** The header a trusted reverse proxy sets to the client's address (TRUST_PROXY); unset: the socket's address. */
  trustProxy?: string;
  /** Writes .xlsx answers (exceljs on Node); none on Workers, where those answer 501. */
  spreadsheets?: SpreadsheetWriter;
  /** Cache of public GET answers keyed by data version; none means every answer is computed. */
  responseCache?: ResponseCache;
  /** Called after the database answered busy, so a runtime can replace a connection that may be stuck. */
  onDatabaseBusy?: () => void;
  /** The API reference viewer's script for /docs, served from this server; absent on Workers. */
  vendorAssets?: VendorAssets;
  /** Reads .xlsx uploads (Node); absent on Cloudflare Workers, where a workbook upload answers 415. */
  readWorkbook?: WorkbookOpener;
  /**
   * Reads a multipart form as it arrives, a slice at a time with other requests let in between
   * (Node: busboy); absent: Hono's parseBody, which parses the whole body in one piece.
   */
  readMultipart?: (request: Request) => Promise<FormFields>;
  /** Spools an import's body to a temporary file as it arrives (Node); absent: the body is read into memory. */
  spoolUpload?: UploadSpooler;
  /** Searches and product answers run whole on a read thread, rows and answer built there (Node with READ_THREADS); absent: in this thread over `db`. */
  readCalls?: ReadCalls;
  /**
   * SHA-256 of an answer's body, for its ETag (Node: node:crypto, synchronous); absent: Web Crypto,
   * whose asynchronous digest cost the event loop about 3 % of its time under a distinct-query load.
   */
  sha256?: (body: Uint8Array) => Uint8Array;
  /** Imports a spooled upload on a thread of its own with a bounded heap (Node); absent: in this thread. */
  importSpooled?: SpooledImporter;
  /** How an HTTP import writes (Node: one transaction on a connection of its own); absent: the runtime's default. */
  importWrite?: AtomicWrite;
  /** Largest form the pages take (the import page reads it into memory); defaults to importBodyLimitBytes. */
  pageUploadLimitBytes?: number;
  /** Set only on Cloudflare Workers (src/worker.ts): edge cache, D1 flag and request limits. */
  edge?: EdgeDeps;
};

export type AppEnv = {
  Bindings: Record<string, unknown>;
  Variables: {
    deps: AppDeps;
    requestId: string;
    adminAuthBudget?: AdminAuthBudget;
    adminName?: string;
    /** An import's body, spooled to a temporary file before the handler runs (Node). */
    upload?: { source: ByteSource; sha256: string; fileName: string | null; path?: string };
    /** A form already read as it arrived, before the route's validators (readFormFirst). */
    form?: FormFields;
  };
};
