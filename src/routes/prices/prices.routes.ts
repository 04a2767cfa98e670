import { createRoute, z } from "@hono/zod-openapi";
import { CATEGORIES, LEVELS } from "../../db/schema";
import { RFC3339 } from "../../services/change-feed";
import { PRICE_SORTS } from "../../services/prices";
import { IdParamSchema, jsonResponse, listOf, openApiErrorResponses, PlaceTimeQueryShape, PriceSchema, syntheticQuery } from "../schemas";

const optionalNumber = (description: string) => z.coerce.number().finite().optional().openapi({ description });

/** `updatedSince` of every change feed: an RFC 3339 time, or the `meta.syncToken` an earlier answer gave. */
export const UpdatedSinceSchema = z
  .string()
  .max(300)
  .refine(
    (v) => RFC3339.test(v) || /^s1\.[A-Za-z0-9_-]+$/.test(v),
    "updatedSince must be an RFC 3339 time (2026-11-28T00:00:00+08:00) or meta.syncToken of an earlier answer",
  )
  .optional()
  .openapi({
    description:
      "change feed: only what was added or changed since this RFC 3339 time or data-version token (meta.syncToken of the last sync), oldest change first, tombstones included; follow meta.nextCursor to the end, keep meta.syncToken for next time",
    example: "2026-11-28T00:00:00+08:00",
  });

export const PriceQuerySchema = z.object({
  q: z.string().trim().max(100).optional().openapi({ description: "Chinese name, 拼音码, English name, firm or code", example: "阿托伐他汀" }),
  batch: z.string().max(100).optional().openapi({ description: "batch id, e.g. national-drug-4" }),
  level: z.enum(LEVELS).optional(),
  category: z.enum(CATEGORIES).optional(),
  region: z.string().max(50).optional().openapi({ description: "region code (GB/T 2260) or Chinese name; includes nationwide prices" }),
  ...PlaceTimeQueryShape,
  manufacturer: z.string().max(100).optional(),
  synthetic: syntheticQuery("prices"),
  minDiscount: optionalNumber("minimum reduction in percent").pipe(z.number().min(-1000).max(100).optional()),
  maxUnitPrice: optionalNumber("maximum unit price in CNY").pipe(z.number().min(0).optional()),
  sort: z.enum(PRICE_SORTS).default("relevance").openapi({
    description:
      "relevance: with q the closest name match first, then prices in force before the rest, then the lowest unit price; discount/unitPrice ascending, -discount/-unitPrice descending (a missing reduction last both ways); ties by id in the same direction",
  }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional().openapi({ description: "meta.nextCursor of the previous page" }),
  updatedSince: UpdatedSinceSchema,
});

export const PriceChangeSchema = z
  .object({
    kind: z.enum(["added", "changed", "ended", "withdrawn"]).openapi({
      description:
        "ended: its procurement cycle is over (Asia/Shanghai); withdrawn: taken back by its importer; changed includes a price an import has just linked a renewal to or unlinked (its renewedBy changed)",
    }),
    at: z.string().openapi({ description: "when, RFC 3339 UTC", example: "2026-03-31T16:00:00.000Z" }),
    tombstone: z.boolean().openapi({ description: "true for ended or withdrawn prices: drop them from a copy of prices in force" }),
  })
  .openapi("PriceChange", { description: "with updatedSince: what happened to the price since then" });

const count = z.number().int();
const SearchMetaShape = {
  facets: z
    .object({
      batch: z.array(z.object({ id: z.string(), name: z.string(), count })),
      category: z.array(z.object({ category: z.string(), count })),
      level: z.array(z.object({ level: z.string(), count })),
    })
    .optional()
    .openapi({ description: "with sort=relevance: counts of the matched prices by batch, category and level" }),
  didYouMean: z
    .array(z.string())
    .optional()
    .openapi({ description: "with q matching nothing: the closest generic names", example: ["阿托伐他汀钙片"] }),
  syncToken: z.string().optional().openapi({ description: "with updatedSince: pass as updatedSince next time to get only what changed after this answer" }),
};

export const listPrices = createRoute({
  method: "get",
  path: "/api/v1/prices",
  operationId: "listPrices",
  tags: ["prices"],
  summary: "搜索中选价格 · Search chosen prices",
  description:
    "Chosen prices (中选价格) matching a name, 拼音码, English name, firm or code and filters, a page at a time: follow meta.nextCursor until it is null.",
  security: [],
  request: { query: PriceQuerySchema },
  responses: {
    200: jsonResponse(listOf(PriceSchema.extend({ change: PriceChangeSchema.optional() }), SearchMetaShape), "a page of chosen prices"),
    ...openApiErrorResponses({ 400: "invalid query or cursor" }),
  },
});

export const getPrice = createRoute({
  method: "get",
  path: "/api/v1/prices/{id}",
  operationId: "getPrice",
  tags: ["prices"],
  summary: "单个中选价格 · One chosen price with its batch and product",
  description: "A chosen price by id, with its batch, product, reduction and supply regions, and its state (未开始 / 执行中 / 已到期) on asOf.",
  security: [],
  request: { params: IdParamSchema },
  // asOf is read by the handler (readAsOf: a bad date is a 400 invalid_as_of), not declared as a zod query:
  // a declared query would make typed clients (hc) pass `query: {}` on every call of this route.
  parameters: [
    {
      name: "asOf",
      in: "query",
      required: false,
      description: "the day the price's state is judged on, YYYY-MM-DD; default today in China (Asia/Shanghai)",
      schema: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", example: "2024-06-01" },
    },
  ],
  responses: {
    200: jsonResponse(z.object({ data: PriceSchema }), "the price"),
    ...openApiErrorResponses({ 400: "invalid id", 404: "no such price" }),
  },
});
