import { createRoute, z } from "@hono/zod-openapi";
import { CATEGORIES, LEVELS } from "../../db/schema";
import { UpdatedSinceSchema } from "../prices/prices.routes";
import { apiErrors, errorResponse, jsonResponse, PlaceTimeQueryShape, syntheticQuery } from "../schemas";

const pct = z.number().nullable();

export const BatchStatisticsSchema = z
  .object({
    products: z.number().int(),
    firms: z.number().int(),
    pricedWithReference: z.number().int(),
    meanDiscountPct: pct,
    medianDiscountPct: pct,
    minDiscountPct: pct,
    maxDiscountPct: pct,
    volumeWeightedDiscountPct: pct,
  })
  .openapi("BatchStatistics");

export const BatchSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    level: z.enum(LEVELS),
    category: z.enum(CATEGORIES),
    organizer: z.string().nullable(),
    announced: z.string().nullable(),
    cycleStart: z.string().nullable(),
    cycleEnd: z.string().nullable(),
    regionScope: z.string().nullable(),
    source: z.string().nullable(),
    synthetic: z.boolean(),
    published: z
      .object({
        items: z.number().int().nullable(),
        products: z.number().int().nullable(),
        firms: z.number().int().nullable(),
        meanDiscountPct: pct,
        maxDiscountPct: pct,
        savings: z.string().nullable(),
      })
      .openapi({ description: "figures the batch was published with, beside the computed statistics" }),
    statistics: BatchStatisticsSchema.openapi({ description: "computed from the chosen prices stored here" }),
  })
  .openapi("Batch");

export const listBatches = createRoute({
  method: "get",
  path: "/api/v1/batches",
  operationId: "listBatches",
  tags: ["batches"],
  summary: "集采批次列表 · Procurement batches with their statistics",
  description: "Every batch (批次), or those in a state on a day (`state`, `asOf`), with computed statistics (mean, median, min, max and volume-weighted reduction) beside the figures it was published with.",
  security: [],
  request: {
    query: z.object({
      level: z.enum(LEVELS).optional(),
      category: z.enum(CATEGORIES).optional(),
      synthetic: syntheticQuery("batches"),
      updatedSince: UpdatedSinceSchema,
      state: PlaceTimeQueryShape.state.openapi({
        description: "only batches whose procurement cycle is in these states on asOf, comma-separated (upcoming, in_force, ended, unknown); default every batch",
        example: "in_force",
        type: "string",
      }),
      asOf: PlaceTimeQueryShape.asOf.openapi({ description: "the day `state` is judged on, YYYY-MM-DD; default today in China (Asia/Shanghai)", example: "2024-06-01" }),
    }),
  },
  responses: {
    200: jsonResponse(
      z.object({
        data: z.array(BatchSchema),
        meta: z.object({
          total: z.number().int(),
          nextCursor: z.null().openapi({ description: "always null: every batch fits one answer" }),
          syncToken: z.string().optional().openapi({ description: "with updatedSince: pass as updatedSince next time" }),
        }),
      }),
      "all batches (with updatedSince: those whose data or statistics changed since, oldest change first)",
    ),
    400: errorResponse("invalid query"),
    ...apiErrors,
  },
});

export const getBatch = createRoute({
  method: "get",
  path: "/api/v1/batches/{id}",
  operationId: "getBatch",
  tags: ["batches"],
  summary: "单个集采批次 · One batch with computed and published statistics",
  description: "A batch by its stable text id (e.g. national-drug-4), with computed statistics beside the published ones so incomplete data shows.",
  security: [],
  request: {
    params: z.object({ id: z.string().min(1).max(100).openapi({ param: { name: "id", in: "path" }, example: "national-drug-4" }) }),
  },
  responses: {
    200: jsonResponse(z.object({ data: BatchSchema }), "the batch"),
    400: errorResponse("invalid id"),
    404: errorResponse("no such batch"),
    ...apiErrors,
  },
});
