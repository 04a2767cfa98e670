import { z } from "@hono/zod-openapi";
import { CATEGORIES, LEVELS, REFERENCE_KINDS } from "../db/schema";
import { PRICE_STATES } from "../domain/state";
import { ERROR_CODES } from "../errors";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).openapi({ description: "the stable error code", example: "validation_error" }),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string(),
    }),
  })
  .openapi("Error");

/** RFC 9457 problem details: the same error for clients that ask for `application/problem+json`. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ description: "a URN naming the error code", example: "urn:vbp-price-tracker:error:validation_error" }),
    title: z.string().openapi({ description: "the HTTP status text", example: "Bad Request" }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ description: "what was wrong, as error.message", example: "limit: Too big: expected number to be <=200" }),
    instance: z.string().openapi({ description: "the request's path", example: "/api/v1/prices" }),
    code: z.enum(ERROR_CODES).openapi({ description: "the stable error code, as error.code", example: "validation_error" }),
    requestId: z.string(),
    details: z.unknown().optional().openapi({ description: "as error.details" }),
  })
  .openapi("Problem");

/**
 * An error answer: the contract's JSON error body, or RFC 9457 problem details when the request's
 * `Accept` asks for `application/problem+json`.
 */
export const errorResponse = (description: string) => ({
  content: { "application/json": { schema: ErrorSchema }, "application/problem+json": { schema: ProblemSchema } },
  description,
});

/** Errors any /api operation can answer: too many requests, an unexpected fault, a busy database. */
const apiErrors = {
  429: errorResponse("too many requests from this address (RATE_LIMIT_PER_MINUTE), or too many failed admin tokens; see Retry-After"),
  500: errorResponse("unexpected fault; logged with the request id"),
  503: errorResponse("the database is busy; see Retry-After"),
} as const;

/** Errors of the operations that write: also a cross-site browser write and a full disk. */
const writeErrors = {
  ...apiErrors,
  403: errorResponse("a browser write from another site (cross_origin_write) or imports disabled"),
  503: errorResponse("the database is busy, or the server is reading too many uploads at once; see Retry-After"),
  507: errorResponse("the database's disk is full; nothing was written"),
} as const;

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 501 | 503 | 507;

/**
 * The error answers of one operation, for its `responses`: the ones every /api operation can give
 * (429, 500, 503; with `"write"` also 403 and 507 of the operations that write) and the operation's
 * own, each named by what went wrong. An operation's own description replaces a common one of the
 * same status. Every error answer is the contract's Error body or, when asked for, problem details.
 */
export function openApiErrorResponses<S extends ErrorStatus>(own: Record<S, string>, kind: "read" | "write" = "read") {
  const answers = Object.fromEntries(Object.entries<string>(own).map(([status, description]) => [status, errorResponse(description)])) as Record<
    S,
    ReturnType<typeof errorResponse>
  >;
  return { ...(kind === "write" ? writeErrors : apiErrors), ...answers };
}

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

export const RegionRefSchema = z.object({ code: z.string(), name: z.string() }).openapi("RegionRef");

export const BatchRefSchema = z
  .object({ id: z.string(), name: z.string(), level: z.enum(LEVELS), category: z.enum(CATEGORIES), announced: z.string().nullable() })
  .openapi("BatchRef");

export const ProductSchema = z
  .object({
    id: z.number().int(),
    category: z.enum(CATEGORIES),
    genericName: z.string().openapi({ example: "阿托伐他汀钙片" }),
    genericNameEn: z.string().nullable(),
    dosageForm: z.string().nullable(),
    spec: z.string().nullable(),
    packageText: z.string().nullable(),
    packageQty: z.number().int().nullable().openapi({ description: "smallest units per package; null when the source did not say" }),
    packageUnit: z.string().nullable().openapi({
      description:
        "the unit chosenPrice is quoted per (盒, 瓶…). With packageQty null it may be the smallest unit itself (片, or 最小单位): the source gave the price per smallest unit and no package size",
      example: "盒",
    }),
    smallestUnit: z.string().nullable(),
    manufacturer: z.string().nullable(),
    nhsaCode: z.string().nullable(),
    approvalNo: z.string().nullable(),
    brandNames: z.array(z.string()).openapi({ description: "商品名 when a file gave them", example: ["立普妥"] }),
    originator: z.boolean().nullable().openapi({ description: "原研: the originator's product; null when not stated" }),
    manufacturerShort: z.string().nullable().openapi({ description: "生产企业-简称", example: "正大天晴" }),
    strengthNormalized: z.string().nullable().openapi({ description: "spec normalised for matching: 10 mg → 10mg, 0.5g → 500mg", example: "500mg" }),
  })
  .openapi("Product");

export const PriceSchema = z
  .object({
    id: z.number().int(),
    batch: BatchRefSchema,
    product: ProductSchema,
    chosenPrice: z.number().openapi({ description: "chosen price per package, CNY, 4 decimals", example: 3.6 }),
    unitPrice: z.number().openapi({ description: "chosen price per smallest unit, CNY, 4 decimals" }),
    referencePrice: z.number().nullable(),
    referenceKind: z.enum(REFERENCE_KINDS).nullable(),
    referenceUnitPrice: z.number().nullable(),
    discountPct: z.number().nullable().openapi({ description: "reduction in percent, 2 decimals, per smallest unit", example: 97.7 }),
    aboveReference: z.boolean().openapi({ description: "true when the chosen price is above its reference (negative reduction)" }),
    baselines: z
      .array(
        z.object({
          kind: z.enum(REFERENCE_KINDS),
          label: z.string().openapi({ example: "集采前价格" }),
          price: z.number().openapi({ description: "per package, CNY" }),
          unitPrice: z.number().nullable().openapi({ description: "per smallest unit, CNY" }),
          discountPct: z.number().nullable().openapi({ description: "reduction against this baseline, percent" }),
        }),
      )
      .openapi({
        description:
          "every baseline the price carries (最高有效申报价 ceiling, 集采前价格 pre_vbp), each with its own reduction; referencePrice/discountPct stay the primary one (ceiling when present)",
      }),
    renews: z.number().int().nullable().openapi({ description: "id of the earlier price this one renews (续约 / 接续采购)" }),
    renewedBy: z.number().int().nullable().openapi({ description: "id of the price that renews this one" }),
    supplyRegions: z.array(RegionRefSchema).openapi({ description: "empty means nationwide" }),
    nationwide: z.boolean(),
    agreedVolume: z.number().int().nullable(),
    cycleStart: z.string().nullable(),
    cycleEnd: z.string().nullable(),
    state: z.enum(PRICE_STATES).openapi({
      description:
        "on asOf (default today in China): upcoming 未开始, in_force 执行中, ended 已到期, unknown (no cycle date known); derived from the cycle, never stored",
    }),
    status: z.string().openapi({ description: "deprecated: the same value as `state`", deprecated: true }),
    source: z.string().nullable(),
    synthetic: z.boolean().openapi({ description: "true for generated demo data, never a real price" }),
  })
  .openapi("Price");

/** With updatedSince on products and batches: what happened to the row since then. */
export const RowChangeSchema = z
  .object({
    kind: z.enum(["added", "changed", "withdrawn"]).openapi({
      description: "withdrawn: an import that added it was withdrawn (DELETE /api/v1/imports/{id}); the item is the row as the feed last showed it",
    }),
    at: z.string().openapi({ description: "when, RFC 3339 UTC", example: "2026-11-28T02:00:00.000Z" }),
    tombstone: z.boolean().openapi({ description: "true for withdrawn rows: drop them from a copy" }),
  })
  .openapi("RowChange", { description: "with updatedSince: what happened to the row since then" });

// biome-ignore lint/complexity/noBannedTypes: {} is zod's empty shape: a list without extra meta fields.
export const listOf = <T extends z.ZodType, M extends z.ZodRawShape = {}>(item: T, meta: M = {} as M) =>
  z.object({
    data: z.array(item),
    meta: z.object({ total: z.number().int(), nextCursor: z.string().nullable(), ...meta }),
  });

export const IdParamSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, "must be a positive whole number")
    .transform(Number)
    .openapi({ param: { name: "id", in: "path" }, example: 1, type: "integer", minimum: 1 }),
});

/** `synthetic=false` keeps real data only (no generated demo data); `true` only demo data; absent, both. */
export const syntheticQuery = (what: string) =>
  z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .openapi({ description: `false: real ${what} only (no generated demo data); true: demo data only; absent: both`, example: "false", type: "string" });

/**
 * Where and when a price question is asked, shared by the lists of prices, the product page, the
 * price check and progress. Lists show prices in force or of unknown cycle on asOf unless told.
 */
export const PlaceTimeQueryShape = {
  province: z.string().trim().max(50).optional().openapi({
    description:
      "province code or name (浙江, 330000, 33); a city resolves to its province. Only prices that province can buy: supplied to it, to one of its cities, or nationwide",
    example: "浙江",
  }),
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
    .optional()
    .openapi({ description: "the day states are judged on, YYYY-MM-DD; default today in China (Asia/Shanghai)", example: "2024-06-01" }),
  include: z.enum(["ended"]).optional().openapi({ description: "`ended`: also prices ended or not yet started on asOf" }),
  state: z
    .string()
    .max(60)
    .regex(new RegExp(`^(${PRICE_STATES.join("|")})(,(${PRICE_STATES.join("|")}))*$`), `must be states from ${PRICE_STATES.join(", ")}, comma-separated`)
    .transform((s) => [...new Set(s.split(","))] as Array<(typeof PRICE_STATES)[number]>)
    .optional()
    .openapi({
      description: `only prices in these states on asOf, comma-separated (${PRICE_STATES.join(", ")})`,
      example: "in_force,upcoming",
      type: "string",
    }),
};
