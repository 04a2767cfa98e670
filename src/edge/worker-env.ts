import { z } from "zod";
import { type D1Binding, isD1Binding } from "../db/d1";
import { parseAdminTokens } from "../middleware/admin-tokens";
import type { RateLimitBinding } from "../middleware/rate-limit";

/**
 * The limits of one Worker request that bound an import, stated in the import's answer so an
 * operator knows why a file must be split. Request body: 100 MB on the Free and Pro plans; memory:
 * 128 MB per isolate; CPU: 30 s by default (raise with `[limits] cpu_ms` in wrangler.toml, up to
 * 300000 on paid plans, and mirror it in the CPU_LIMIT_MS var so the answer tells the truth).
 */
export type WorkerLimits = {
  maxBodyBytes: number;
  memoryBytes: number;
  cpuMs: number;
};

const PLATFORM_MAX_BODY_MB = 100;

const text = z.string().trim().min(1);

const isRateLimitBinding = (v: unknown): v is RateLimitBinding => typeof (v as { limit?: unknown } | null)?.limit === "function";
const rateLimitBinding = (name: string) =>
  z
    .custom<RateLimitBinding>(isRateLimitBinding, {
      message: `is not a rate-limiting binding: declare it under [[ratelimits]] with name = "${name}" in wrangler.toml`,
    })
    .optional();

/** Bindings and vars of the Worker (wrangler.toml `[vars]`, `[[d1_databases]]`, secrets). */
export const workerEnvSchema = z
  .object({
    DB: z
      .custom<D1Binding>(isD1Binding, {
        message: 'is not a D1 binding: declare it under [[d1_databases]] with binding = "DB" in wrangler.toml',
      })
      .optional(),
    DATABASE_URL: text
      .refine((u) => !u.startsWith("file:"), {
        message: "file: URLs cannot work on Workers (there is no file system); use libsql://, https:// or wss:// of a Turso or libSQL server",
      })
      .refine((u) => u.startsWith("file:") || /^(libsql|https?|wss?):\/\//.test(u), { message: "must start with libsql://, https:// or wss://" })
      .optional(),
    DATABASE_AUTH_TOKEN: text.optional(),
    ADMIN_TOKEN: text.min(16, "must be at least 16 characters; set it with `wrangler secret put ADMIN_TOKEN`").optional(),
    ADMIN_TOKENS: text
      .transform((t, ctx) => {
        try {
          return parseAdminTokens(t);
        } catch (err) {
          ctx.addIssue({ code: "custom", message: `${(err as Error).message} (set it with \`wrangler secret put ADMIN_TOKENS\`)` });
          return z.NEVER;
        }
      })
      .optional(),
    RATE_LIMITER: rateLimitBinding("RATE_LIMITER"),
    ADMIN_AUTH_LIMITER: rateLimitBinding("ADMIN_AUTH_LIMITER"),
    // Mirrors of the bindings' `simple.limit` in wrangler.toml, for the RateLimit-* headers.
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
    ADMIN_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).default(5),
    IMPORT_BODY_LIMIT_MB: z.coerce
      .number()
      .positive()
      .max(PLATFORM_MAX_BODY_MB, `must be at most ${PLATFORM_MAX_BODY_MB}: Workers refuse larger request bodies`)
      .default(10),
    CPU_LIMIT_MS: z.coerce.number().int().min(10).max(300_000).default(30_000),
  })
  .superRefine((env, ctx) => {
    if (!env.DB && !env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DB"],
        message:
          "binding DB is missing: add a [[d1_databases]] binding named DB to wrangler.toml, or set the DATABASE_URL secret (Turso) with `wrangler secret put DATABASE_URL`",
      });
    }
  });

export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export type EnvProblem = { binding: string; message: string };

/** Validates the Worker's env; empty strings count as unset (an unset var in `.dev.vars` is ""). */
export function parseWorkerEnv(raw: Record<string, unknown>): { env: WorkerEnv } | { problems: EnvProblem[] } {
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = workerEnvSchema.safeParse(cleaned);
  if (parsed.success) return { env: parsed.data };
  return { problems: parsed.error.issues.map((i) => ({ binding: i.path.join(".") || "env", message: i.message })) };
}

export function workerLimits(env: WorkerEnv): WorkerLimits {
  return { maxBodyBytes: Math.round(env.IMPORT_BODY_LIMIT_MB * 1024 * 1024), memoryBytes: 128 * 1024 * 1024, cpuMs: env.CPU_LIMIT_MS };
}
