import { createRoute, z } from "@hono/zod-openapi";
import { PriceQuerySchema } from "../prices/prices.routes";
import { apiErrors, errorResponse } from "../schemas";

export const exportPricesRoute = createRoute({
  method: "get",
  path: "/api/v1/prices.csv",
  operationId: "exportPricesCsv",
  tags: ["exports"],
  summary: "导出中选价格 CSV · The search's chosen prices as a CSV file",
  security: [],
  description:
    "Same filters as GET /api/v1/prices; every matching row (no paging). UTF-8 with BOM, CRLF; cells starting with = + - @ are prefixed with ' against formula injection. The file imports back with POST /api/v1/imports?kind=prices.",
  request: {
    query: PriceQuerySchema.omit({ limit: true, cursor: true }).extend({
      headers: z.enum(["zh", "en"]).default("zh").openapi({ description: "Chinese (default) or English column headers" }),
    }),
  },
  responses: {
    200: { content: { "text/csv": { schema: z.string().openapi({ format: "binary" }) } }, description: "CSV file" },
    400: errorResponse("invalid query"),
    ...apiErrors,
  },
});
