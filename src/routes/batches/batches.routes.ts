import { createRoute, z } from "@hono/zod-openapi";
import { CATEGORIES, LEVELS } from "../../db/schema";
import { UpdatedSinceSchema } from "../prices/prices.routes";
import { jsonResponse, openApiErrorResponses, PlaceTimeQueryShape, RowChangeSchema, syntheticQuery } from "../schemas";

const pct = z.number().nullable();
const BASELINES = ["ceiling", "pre_vbp"] as const;

const BaselineStatisticsSchema = z
  .object({
    priced: z.number().int().openapi({ description: "prices that have this baseline" }),
    meanDiscountPct: pct,
    medianDiscountPct: pct,
    minDiscountPct: pct,
    maxDiscountPct: pct,
  })
  .openapi("BaselineStatistics");

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
    meanBaseline: z
      .enum([...BASELINES, "mixed"])
      .nullable()
      .openapi({
        description:
          "what the mean, median, min and max above are against: each price's primary baseline (ceiling 最高有效申报价 when it has one, else pre_vbp 集采前价格); mixed when both occur",
      }),
    primaryBaselines: z
      .object({ ceiling: z.number().int(), pre_vbp: z.number().int() })
      .openapi({ description: "how many priced items' primary reduction is against each baseline" }),
    byBaseline: z.object({ ceiling: BaselineStatisticsSchema, pre_vbp: BaselineStatisticsSchema }).openapi({
      description:
        "the same figures against one baseline each, over the prices that have it: compare byBaseline.pre_vbp with a published 平均降幅 against prices before procurement",
    }),
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
        meanDiscountBaseline: z.enum(BASELINES).nullable().openapi({
          description:
            "what the published mean reduction is against, when its source says (national batches: pre_vbp, prices before procurement); null when not stated",
        }),
        meanDiscountBaselineStatedAs: z.string().nullable().openapi({ description: "the source's words for that baseline" }),
        meanDiscountBaselineSource: z.string().nullable(),
      })
      .openapi({ description: "figures the batch was published with, beside the computed statistics" }),
    statistics: BatchStatisticsSchema.openapi({ description: "computed from the chosen prices stored here" }),
  })
  .openapi("Batch");

const money = z.number().nullable();

export const BidGroupSchema = z
  .object({
    genericName: z.string(),
    dosageForm: z.string().nullable(),
    spec: z.string().nullable().openapi({ description: "the strength as first written in the batch; bids group by its normalised form" }),
    strengthNormalized: z.string().nullable(),
    firms: z.number().int().openapi({ description: "firms that bid (chosen or not)" }),
    chosenFirms: z.array(z.string()).openapi({ description: "chosen firms (short names when known), cheapest first; at most 20, `chosen` counts them all" }),
    bids: z.number().int(),
    chosen: z.number().int(),
    losing: z.number().int(),
    unpriced: z.number().int().openapi({ description: "bids without a price (withdrawn, 流标)" }),
    overCeiling: z.number().int().openapi({
      description: "losing bids above the ceiling (disqualified; published tables write 99999 for them): counted here, never in the lowest or highest bid",
    }),
    lowestBid: money.openapi({ description: "CNY per smallest unit (per package when the package size is unknown), chosen or not" }),
    highestBid: money,
    lowestChosen: money,
    highestChosen: money,
    lowestLosing: money,
    ceilingUnitPrice: money.openapi({ description: "最高有效申报价 per smallest unit, when known" }),
    position: z
      .object({
        highestChosenRank: z.number().int().openapi({ description: "rank of the dearest chosen bid among the priced bids, 1 = cheapest (ties share a rank)" }),
        pricedBids: z.number().int(),
        highestChosenToLowestBid: z.number().nullable().openapi({ description: "dearest chosen ÷ cheapest bid, 2 places" }),
        highestChosenPctOfCeiling: z.number().nullable().openapi({ description: "dearest chosen as a percent of the ceiling, 2 places" }),
        losingBelowHighestChosen: z.number().int().openapi({ description: "losing bids cheaper than the dearest chosen one" }),
      })
      .nullable()
      .openapi({ description: "where the chosen prices sit among the bids; null when nothing was chosen (流标)" }),
  })
  .openapi("BidGroup");

export const BidLandscapeSchema = z
  .object({
    losingBidsKnown: z.boolean().openapi({ description: "false when no losing bid is stored for the batch: every figure is then of chosen prices only" }),
    groups: z.number().int().openapi({ description: "generic name + dosage form + strength groups that were bid for" }),
    firms: z.number().int().openapi({ description: "distinct firms that bid" }),
    chosenFirms: z.number().int(),
    bids: z.number().int(),
    chosen: z.number().int(),
    losing: z.number().int(),
    unpriced: z.number().int(),
    overCeiling: z.number().int().openapi({ description: "losing bids above their group's ceiling, summed over the groups" }),
    items: z.array(BidGroupSchema),
  })
  .openapi("BidLandscape");

export const BidSchema = z
  .object({
    outcome: z
      .enum(["chosen", "not_chosen"])
      .openapi({ description: "chosen: the bid won and is the chosen price (priceId); not_chosen: a losing bid (是否中标 = 否)" }),
    priceId: z.number().int().nullable(),
    bidId: z.number().int().nullable(),
    productId: z.number().int().nullable().openapi({ description: "the product, when it is stored (a losing bid's product may have won elsewhere)" }),
    genericName: z.string(),
    dosageForm: z.string().nullable(),
    spec: z.string().nullable(),
    strengthNormalized: z.string().nullable(),
    packageQty: z.number().int().nullable(),
    packageUnit: z.string().nullable(),
    smallestUnit: z.string().nullable(),
    manufacturer: z.string().nullable(),
    manufacturerShort: z.string().nullable(),
    originator: z.boolean().nullable(),
    foreignFirm: z.boolean().nullable(),
    bidPrice: money.openapi({ description: "the bid per package, CNY; null for a withdrawn bid" }),
    bidUnitPrice: money.openapi({ description: "the bid per smallest unit (per package when the package size is unknown)" }),
    ceilingUnitPrice: money,
    preVbpUnitPrice: money,
    source: z.string().nullable(),
    synthetic: z.boolean(),
  })
  .openapi("Bid");

/** A batch's stable text id in the path (batch ids appear in URLs). */
const BatchIdParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "national-drug-4" }),
});

export const listBatchBids = createRoute({
  method: "get",
  path: "/api/v1/batches/{id}/bids",
  operationId: "listBatchBids",
  tags: ["batches"],
  summary: "批次的全部报价 · Every bid of a batch, chosen and losing",
  description:
    "The batch's offers side by side: each chosen price (the bid that won) and each losing bid (是否中标 = 否, 流标), by generic name, dosage form and strength, cheapest unit price first within each. Chosen-price answers elsewhere never include losing bids.",
  security: [],
  request: {
    params: BatchIdParamSchema,
    query: z.object({
      outcome: z.enum(["chosen", "not_chosen"]).optional(),
      genericName: z.string().trim().min(1).max(100).optional().openapi({ description: "only bids whose generic name contains this text", example: "氨溴索" }),
      limit: z.coerce.number().int().min(1).max(500).default(100),
      cursor: z.string().max(500).optional().openapi({ description: "meta.nextCursor of the previous page" }),
    }),
  },
  responses: {
    200: jsonResponse(
      z.object({ data: z.array(BidSchema), meta: z.object({ total: z.number().int(), nextCursor: z.string().nullable() }) }),
      "a page of the batch's bids",
    ),
    ...openApiErrorResponses({ 400: "invalid id, query or cursor", 404: "no such batch" }),
  },
});

export const listBatches = createRoute({
  method: "get",
  path: "/api/v1/batches",
  operationId: "listBatches",
  tags: ["batches"],
  summary: "集采批次列表 · Procurement batches with their statistics",
  description:
    "Every batch (批次), or those in a state on a day (`state`, `asOf`) or with prices a province can buy (`province`), with computed statistics (mean, median, min, max and volume-weighted reduction) beside the figures it was published with. With updatedSince, the batches added, changed or withdrawn since, each with change: a batch a withdrawn import had added is deleted and comes once as a tombstone (change.tombstone, the batch as the feed last showed it; level, category, synthetic and state apply to it, province does not, as its prices went with it).",
  security: [],
  request: {
    query: z.object({
      level: z.enum(LEVELS).optional(),
      category: z.enum(CATEGORIES).optional(),
      synthetic: syntheticQuery("batches"),
      updatedSince: UpdatedSinceSchema,
      state: PlaceTimeQueryShape.state.openapi({
        description:
          "only batches whose procurement cycle is in these states on asOf, comma-separated (upcoming, in_force, ended, unknown); default every batch",
        example: "in_force",
        type: "string",
      }),
      asOf: PlaceTimeQueryShape.asOf.openapi({
        description: "the day `state` is judged on, YYYY-MM-DD; default today in China (Asia/Shanghai)",
        example: "2024-06-01",
      }),
      province: PlaceTimeQueryShape.province.openapi({
        description:
          "province code or name (浙江, 330000, 33); a city resolves to its province. Only batches with a price that province can buy, in any state: supplied to it, to one of its cities, or nationwide",
        example: "浙江",
      }),
    }),
  },
  responses: {
    200: jsonResponse(
      z.object({
        data: z.array(BatchSchema.extend({ change: RowChangeSchema.optional() })),
        meta: z.object({
          total: z.number().int(),
          nextCursor: z.null().openapi({ description: "always null: every batch fits one answer" }),
          syncToken: z.string().optional().openapi({ description: "with updatedSince: pass as updatedSince next time" }),
        }),
      }),
      "all batches (with updatedSince: those added, changed (data or statistics) or withdrawn since, oldest change first, each with change)",
    ),
    ...openApiErrorResponses({ 400: "invalid query, or a province that is not known (unknown_province)" }),
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
    params: BatchIdParamSchema,
  },
  responses: {
    200: jsonResponse(
      z.object({
        data: BatchSchema.extend({
          bidLandscape: BidLandscapeSchema.openapi({
            description:
              "how many firms bid, which were chosen, the lowest and highest bids and where the chosen prices sit, per generic name, form and strength (GET /api/v1/batches/{id}/bids lists every bid)",
          }),
        }),
      }),
      "the batch",
    ),
    ...openApiErrorResponses({ 400: "invalid id", 404: "no such batch" }),
  },
});
