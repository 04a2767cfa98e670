import { createRoute, z } from "@hono/zod-openapi";
import { jsonResponse, openApiErrorResponses } from "../schemas";

export const ProgressQuerySchema = z.object({
  batch: z.string().min(1).max(100).optional().openapi({ description: "batch id" }),
  region: z.string().min(1).max(50).optional().openapi({ description: "region code or Chinese name; its child regions are included" }),
  asOf: z.string().max(10).optional().openapi({ description: "the day to measure on (YYYY-MM-DD), default today (UTC)", example: "2022-06-30" }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(500).optional().openapi({ description: "meta.nextCursor of the previous page" }),
});

const ProgressItemSchema = z
  .object({
    priceId: z.number().int(),
    batch: z.object({ id: z.string(), name: z.string() }),
    product: z.object({
      id: z.number().int(),
      genericName: z.string(),
      spec: z.string().nullable(),
      manufacturer: z.string().nullable(),
      smallestUnit: z.string().nullable(),
    }),
    agreedVolume: z.number().int().openapi({ description: "约定采购量, smallest units" }),
    purchased: z.number().int().openapi({ description: "units bought to date" }),
    completionPct: z.number().nullable().openapi({ description: "完成率, percent, 2 decimals" }),
    remaining: z.number().int(),
    cycleStart: z.string().nullable(),
    cycleEnd: z.string().nullable(),
    daysLeft: z.number().int().nullable(),
    expectedByNow: z.number().nullable().openapi({ description: "units a straight line from cycle start to end expects by asOf" }),
    behindSchedule: z.boolean().nullable(),
    agreedVolumeFrom: z
      .enum(["regions", "price"])
      .openapi({ description: "regions: the national agreed volume is the sum of the regional ones below; price: the price's own" }),
    regions: z
      .array(
        z.object({
          region: z.object({ code: z.string(), name: z.string() }),
          institution: z.string().nullable().openapi({ description: "医疗机构; null for the region as a whole" }),
          agreedVolume: z.number().int(),
          purchased: z
            .number()
            .int()
            .nullable()
            .openapi({ description: "a region: volume rows bought in it or under it; an institution: what its report states" }),
          completionPct: z.number().nullable().openapi({ description: "完成率 against this row's own agreed volume" }),
        }),
      )
      .openapi({ description: "约定采购量 and 完成率 per province (or city) and institution" }),
  })
  .openapi("Progress");

export const getProgressRoute = createRoute({
  method: "get",
  path: "/api/v1/progress",
  operationId: "getProgress",
  tags: ["savings"],
  summary: "约定采购量完成率 · Agreed-volume progress per chosen price",
  description: "Purchases to date against the agreed volume (完成率) of each chosen price, with what a straight line through the cycle expects by asOf.",
  security: [],
  request: { query: ProgressQuerySchema },
  responses: {
    200: jsonResponse(
      z.object({
        data: z.array(ProgressItemSchema),
        meta: z.object({
          total: z.number().int(),
          nextCursor: z.string().nullable(),
          asOf: z.string(),
          region: z.object({ code: z.string(), name: z.string(), includesChildren: z.boolean() }).nullable(),
          notes: z.array(z.string()),
        }),
      }),
      "progress per price",
    ),
    ...openApiErrorResponses({ 400: "invalid query", 404: "unknown batch or region" }),
  },
});
