import { readFileSync } from "node:fs";
import { z } from "zod";
import { type AdminToken, parseAdminTokens } from "./middleware/admin-tokens";

/** Settings read from the environment once at start, with messages a person can act on. */
export const configSchema = z.object({
  // 0 asks the system for a free port (tests, several instances side by side); the start line names it.
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .default("file:./data/vbp.db")
    .refine((u) => /^(file:|libsql:|https?:|wss?:)/.test(u), {
      message: "must start with file:, libsql:, http(s): or ws(s): (e.g. file:./data/vbp.db)",
    }),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters; generate one with `openssl rand -hex 32`").optional(),
  ADMIN_TOKENS: z.string().optional(),
  ADMIN_TOKENS_FILE: z.string().optional(),
  // Imports over HTTP are spooled to disk as they arrive and written like the CLI's, so memory does
  // not grow with this; 512 MB is two million prices as CSV.
  IMPORT_BODY_LIMIT_MB: z.coerce.number().positive().default(512),
  /** The heap of the thread that imports an upload (built server; 192 when unset); past it the upload answers 500 import_failed and nothing is written. */
  IMPORT_HEAP_MB: z.coerce.number().int().min(64).max(16_384).optional(),
  /** Where uploads wait while they are imported (a folder on disk, not a tmpfs, for large files). */
  UPLOAD_SPOOL_DIR: z.string().min(1).optional(),
  /** The pages' forms, which are read into memory (the import page). */
  PAGE_UPLOAD_LIMIT_MB: z.coerce.number().positive().default(50),
  PRICE_CHECK_BODY_LIMIT_MB: z.coerce.number().positive().default(5),
  UPLOADS_AT_ONCE: z.coerce.number().int().min(0).default(2),
  TRUST_PROXY: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, "must be the name of the header your reverse proxy sets to the client's address, e.g. X-Forwarded-For or X-Real-IP")
    .optional(),
  ADMIN_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).default(5),
  HEADERS_TIMEOUT_S: z.coerce.number().positive().max(600).default(10),
  REQUEST_TIMEOUT_S: z.coerce.number().positive().max(3600).default(120),
  RESPONSE_CACHE_MB: z.coerce.number().min(0).max(4096).default(64),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  /** Threads that run reads of an embedded (file:) database off the event loop; 0 runs them on it. */
  READ_THREADS: z.coerce.number().int().min(0).max(64).default(2),
  /** How much lower the read threads run than the event loop (a Linux nice value per thread), so /health and request dispatch are not queued behind a long search. */
  READ_THREAD_NICE: z.coerce.number().int().min(0).max(19).default(5),
  /** A read still running after this long answers 503 with Retry-After (embedded database with READ_THREADS). */
  QUERY_BUDGET_MS: z.coerce.number().int().min(50).max(600_000).default(5000),
  // How long a stop (SIGTERM, SIGINT) takes at most: requests in flight may finish until a second
  // before its end, then they are cancelled (see node-http/graceful-stop.ts). A service manager's own
  // limit (systemd TimeoutStopSec, Kubernetes terminationGracePeriodSeconds) should be longer.
  SHUTDOWN_GRACE_S: z.coerce
    .number()
    .positive("must be more than 0 seconds (requests in flight need time to finish)")
    .max(3600, "must be at most 3600 seconds (an hour); a service manager would give up long before")
    .default(10),
  LOG_REQUESTS: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Validates raw environment variables; empty strings count as unset. */
export function loadConfig(raw: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  return parsed.data;
}

/** Named admin tokens from ADMIN_TOKENS and the file ADMIN_TOKENS_FILE names (both may be set). */
export function loadAdminTokens(config: Pick<Config, "ADMIN_TOKENS" | "ADMIN_TOKENS_FILE">, read = (path: string) => readFileSync(path, "utf8")): AdminToken[] {
  const problems: string[] = [];
  const tokens: AdminToken[] = [];
  const take = (label: string, text: string) => {
    try {
      for (const t of parseAdminTokens(text)) {
        if (tokens.some((o) => o.name === t.name)) problems.push(`${label}: the name ${t.name} is given twice`);
        else tokens.push(t);
      }
    } catch (err) {
      problems.push(`${label}: ${(err as Error).message}`);
    }
  };
  if (config.ADMIN_TOKENS) take("ADMIN_TOKENS", config.ADMIN_TOKENS);
  if (config.ADMIN_TOKENS_FILE) {
    let text: string | null = null;
    try {
      text = read(config.ADMIN_TOKENS_FILE);
    } catch {
      problems.push(`ADMIN_TOKENS_FILE: cannot read ${config.ADMIN_TOKENS_FILE}`);
    }
    if (text !== null) take(`ADMIN_TOKENS_FILE (${config.ADMIN_TOKENS_FILE})`, text);
  }
  if (problems.length) throw new ConfigError(problems);
  return tokens;
}
