import { createRoute, z } from "@hono/zod-openapi";
import { CATEGORIES, LEVELS } from "../../db/schema";
import { PRICE_SORTS } from "../../services/prices";
import { apiErrors, errorResponse, IdParamSchema, jsonResponse, listOf, PriceSchema } from "../schemas";

const optionalNumber = (description: string) =>
  z.coerce.number().finite().optional().openapi({ description });

export const PriceQuerySchema = z.object({
  q: z.string().trim().max(100).optional().openapi({ description: "Chinese name, 拼音码, English name, firm or code", example: "阿托伐他汀" }),
  batch: z.string().max(100).optional().openapi({ description: "batch id, e.g. national-drug-4" }),
  level: z.enum(LEVELS).optional(),
  category: z.enum(CATEGORIES).optional(),
  region: z.string().max(50).optional().openapi({ description: "region code (GB/T 2260) or Chinese name; includes nationwide prices" }),
  manufacturer: z.string().max(100).optional(),
  minDiscount: optionalNumber("minimum reduction in percent").pipe(z.number().min(-1000).max(100).optional()),
  maxUnitPrice: optionalNumber("maximum unit price in CNY").pipe(z.number().min(0).optional()),
  sort: z.enum(PRICE_SORTS).default("relevance"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional().openapi({ description: "meta.nextCursor of the previous page" }),
});

const count = z.number().int();
const SearchMetaShape = {
  facets: z
    .object({
      batch: z.array(z.object({ id: z.string(), name: z.string(), count })),
      category: z.array(z.object({ category: z.string(), count })),
      level: z.array(z.object({ level: z.string(), count })),
    })
    .optional()
    .openapi({ description: "with q: counts of the matched prices by batch, category and level" }),
  didYouMean: z.array(z.string()).optional().openapi({ description: "with q matching nothing: the closest generic names", example: ["阿托伐他汀钙片"] }),
};

export const listPrices = createRoute({
  method: "get",
  path: "/api/v1/prices",
  operationId: "listPrices",
  tags: ["prices"],
  summary: "搜索中选价格 · Search chosen prices",
  description: "Chosen prices (中选价格) matching a name, 拼音码, English name, firm or code and filters, a page at a time: follow meta.nextCursor until it is null.",
  security: [],
  request: { query: PriceQuerySchema },
  responses: {
    200: jsonResponse(listOf(PriceSchema, SearchMetaShape), "a page of chosen prices"),
    400: errorResponse("invalid query or cursor"),
    ...apiErrors,
  },
});

export const getPrice = createRoute({
  method: "get",
  path: "/api/v1/prices/{id}",
  operationId: "getPrice",
  tags: ["prices"],
  summary: "单个中选价格 · One chosen price with its batch and product",
  description: "A chosen price by id, with its batch, product, reduction and supply regions.",
  security: [],
  request: { params: IdParamSchema },
  responses: {
    200: jsonResponse(z.object({ data: PriceSchema }), "the price"),
    400: errorResponse("invalid id"),
    404: errorResponse("no such price"),
    ...apiErrors,
  },
});
