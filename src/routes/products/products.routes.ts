import { createRoute, z } from "@hono/zod-openapi";
import { CATEGORIES } from "../../db/schema";
import { BidGroupSchema } from "../batches/batches.routes";
import { UpdatedSinceSchema } from "../prices/prices.routes";
import { IdParamSchema, jsonResponse, openApiErrorResponses, PlaceTimeQueryShape, PriceSchema, ProductSchema, RowChangeSchema } from "../schemas";

export const ProductDetailSchema = z
  .object({
    asOf: z.string().openapi({ description: "the day states were judged on" }),
    bidLandscape: z
      .array(
        BidGroupSchema.extend({
          batch: z.object({ id: z.string(), name: z.string() }),
          losingBidsKnown: z.boolean().openapi({ description: "false when the batch stores no losing bid: the figures are of chosen prices only" }),
        }),
      )
      .openapi({
        description:
          "per batch of its history, the bids for its generic name, dosage form and strength: firms that bid, which were chosen, lowest and highest bids, where the chosen prices sit (GET /api/v1/batches/{id}/bids lists them)",
      }),
    therapy: z
      .object({
        priceId: z.number().int().openapi({ description: "the price it is counted on: the latest in force on asOf, else the latest" }),
        monthlyCost: z
          .number()
          .nullable()
          .openapi({ description: "每月药费, CNY: unit price × unitsPerDay × 30; null for a device or an unknown package size" }),
        unitsPerDay: z.number().nullable(),
        unitsPerDaySource: z.enum(["given", "ddd", "default"]).nullable(),
        note: z.string().nullable().openapi({ description: "why there is no cost, or what was assumed" }),
      })
      .nullable(),
    product: ProductSchema.extend({ synthetic: z.boolean() }),
    history: z
      .array(
        PriceSchema.extend({
          changeFromPrevious: z
            .object({ chosenPrice: z.number(), pct: z.number().nullable() })
            .nullable()
            .openapi({ description: "change of the chosen price against the previous batch" }),
        }),
      )
      .openapi({
        description: "the product's chosen prices across batches, oldest first, each with its state on asOf (limited to the province or region asked about)",
      }),
    alternatives: z.array(PriceSchema.extend({ savingPerUnit: z.number().nullable() })).openapi({
      description:
        "same generic name, dosage form and strength from other firms, cheapest unit price first; only prices the province can buy, in force or of unknown cycle on asOf unless include/state say otherwise",
    }),
  })
  .openapi("ProductDetail");

export const getProduct = createRoute({
  method: "get",
  path: "/api/v1/products/{id}",
  operationId: "getProduct",
  tags: ["products"],
  summary: "产品详情与价格历史 · A product, its price history and alternatives",
  description:
    "One product (药品或耗材) with its chosen prices across batches (renewals 接续采购 included), oldest first, and the same generic name, dosage form and strength from other firms, cheapest first.",
  security: [],
  request: {
    params: IdParamSchema,
    query: z.object({
      region: z.string().max(50).optional(),
      ...PlaceTimeQueryShape,
      unitsPerDay: z.coerce
        .number()
        .positive()
        .max(100)
        .optional()
        .openapi({ description: "smallest units taken a day, for 每月药费 (default: the product's DDD, else 1)" }),
    }),
  },
  responses: {
    200: jsonResponse(z.object({ data: ProductDetailSchema }), "the product"),
    ...openApiErrorResponses({ 400: "invalid id", 404: "no such product" }),
  },
});

export const ProductListQuerySchema = z.object({
  category: z.enum(CATEGORIES).optional(),
  synthetic: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .openapi({ description: "false: real products only (no generated demo data); true: demo data only" }),
  updatedSince: UpdatedSinceSchema,
  province: PlaceTimeQueryShape.province.openapi({
    description:
      "province code or name (浙江, 330000, 33); a city resolves to its province. Only products with a price that province can buy (supplied to it, to one of its cities, or nationwide) in the states asked on asOf",
    example: "浙江",
  }),
  asOf: PlaceTimeQueryShape.asOf.openapi({
    description: "the day `state` is judged on, YYYY-MM-DD; default today in China (Asia/Shanghai)",
    example: "2024-06-01",
  }),
  state: PlaceTimeQueryShape.state.openapi({
    description:
      "only products with a price in these states on asOf, comma-separated (upcoming, in_force, ended, unknown). Given province or asOf without state, a price counts when in force or of unknown cycle, as in GET /api/v1/prices",
    example: "in_force",
    type: "string",
  }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(500).optional().openapi({ description: "meta.nextCursor of the previous page" }),
});

export const listProductsRoute = createRoute({
  method: "get",
  path: "/api/v1/products",
  operationId: "listProducts",
  tags: ["products"],
  summary: "产品列表与变更 · Products, or those added or changed since a time",
  description:
    "Every product a page at a time (by id), or with updatedSince the products added or changed since then, oldest change first, for a nightly sync: follow meta.nextCursor to the end and keep meta.syncToken for next time. Each item of the feed carries change (added, changed, withdrawn): a product a withdrawn import had added is deleted and comes once as a tombstone (change.tombstone, the product as the feed last showed it; category and synthetic apply to it, province, asOf and state do not, as its prices went with it); an award that ends shows in the prices feed. With province, asOf or state, only the products with at least one price GET /api/v1/prices lists for the same three (every product otherwise, priced or not).",
  security: [],
  request: { query: ProductListQuerySchema },
  responses: {
    200: jsonResponse(
      z.object({
        data: z.array(
          ProductSchema.extend({
            synthetic: z.boolean(),
            updatedAt: z.string().openapi({ description: "last change, RFC 3339 UTC" }),
            change: RowChangeSchema.optional(),
          }),
        ),
        meta: z.object({
          total: z.number().int(),
          nextCursor: z.string().nullable(),
          syncToken: z.string().optional().openapi({ description: "with updatedSince: pass as updatedSince next time" }),
        }),
      }),
      "a page of products",
    ),
    ...openApiErrorResponses({ 400: "invalid query, cursor or updatedSince, or a province that is not known (unknown_province)" }),
  },
});
