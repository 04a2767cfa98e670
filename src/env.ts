import { z } from "zod";

/** Settings read from the environment once at start, with messages a person can act on. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .default("file:./data/vbp.db")
    .refine((u) => /^(file:|libsql:|https?:|wss?:)/.test(u), {
      message: "must start with file:, libsql:, http(s): or ws(s): (e.g. file:./data/vbp.db)",
    }),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  ADMIN_TOKEN: z
    .string()
    .min(16, "must be at least 16 characters; generate one with `openssl rand -hex 32`")
    .optional(),
  IMPORT_BODY_LIMIT_MB: z.coerce.number().positive().default(50),
  RESPONSE_CACHE_MB: z.coerce.number().min(0).max(4096).default(64),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
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
