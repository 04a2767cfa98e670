import { createRoute, z } from "@hono/zod-openapi";
import { jsonResponse, openApiErrorResponses } from "../schemas";

export const health = createRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  tags: ["health"],
  summary: "服务状态 · Liveness once the database and its schema answer",
  description:
    "Answers 200 once the database answers a query over its tables (a fresh empty or replaced file answers 503); load balancers and uptime checks poll it. Counted by the rate limit like every request.",
  security: [],
  responses: {
    200: jsonResponse(z.object({ status: z.literal("ok") }), "the service and its database answer"),
    ...openApiErrorResponses({ 503: "the database does not answer, or its tables are missing (an empty or replaced file)" }),
  },
});
