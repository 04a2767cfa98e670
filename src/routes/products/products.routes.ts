import { createRoute, z } from "@hono/zod-openapi";
import { apiErrors, errorResponse, IdParamSchema, jsonResponse, PriceSchema, ProductSchema } from "../schemas";

export const ProductDetailSchema = z
  .object({
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
      .openapi({ description: "the product's chosen prices across batches, oldest first" }),
    alternatives: z
      .array(PriceSchema.extend({ savingPerUnit: z.number().nullable() }))
      .openapi({ description: "same generic name, dosage form and strength from other firms, cheapest unit price first" }),
  })
  .openapi("ProductDetail");

export const getProduct = createRoute({
  method: "get",
  path: "/api/v1/products/{id}",
  operationId: "getProduct",
  tags: ["products"],
  summary: "产品详情与价格历史 · A product, its price history and alternatives",
  description: "One product (药品或耗材) with its chosen prices across batches (renewals 接续采购 included), oldest first, and the same generic name, dosage form and strength from other firms, cheapest first.",
  security: [],
  request: { params: IdParamSchema },
  responses: {
    200: jsonResponse(z.object({ data: ProductDetailSchema }), "the product"),
    400: errorResponse("invalid id"),
    404: errorResponse("no such product"),
    ...apiErrors,
  },
});
