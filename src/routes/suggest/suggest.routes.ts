import { createRoute, z } from "@hono/zod-openapi";
import { jsonResponse, openApiErrorResponses } from "../schemas";

export const SuggestQuerySchema = z.object({
  q: z.string().trim().min(1).max(100).openapi({ description: "the start of a name, a fragment, 拼音码 or English", example: "atf" }),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const SuggestionSchema = z
  .object({
    name: z.string().openapi({ example: "阿托伐他汀钙片" }),
    nameEn: z.string().nullable().openapi({ example: "atorvastatin calcium" }),
    initials: z.string().nullable().openapi({ description: "拼音码", example: "atfttgp" }),
    category: z.string().nullable(),
    prices: z.number().int().openapi({ description: "how many chosen prices carry this name" }),
  })
  .openapi("Suggestion");

export const suggest = createRoute({
  method: "get",
  path: "/api/v1/suggest",
  operationId: "suggestNames",
  tags: ["prices"],
  summary: "名称联想 · Type-ahead generic names for a search box",
  description: "Generic names (通用名) that start with, contain or have 拼音码 matching what was typed, with how many chosen prices carry each.",
  security: [],
  request: { query: SuggestQuerySchema },
  responses: {
    200: jsonResponse(z.object({ data: z.array(SuggestionSchema) }), "names, best match first"),
    ...openApiErrorResponses({ 400: "invalid query" }),
  },
});
