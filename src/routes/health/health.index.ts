import { createRoute, z } from "@hono/zod-openapi";
import { AppError } from "../../errors";
import { checkSchemaAnswers } from "../../services/health";
import { createRouter } from "../router";
import { jsonResponse, openApiErrorResponses } from "../schemas";

const health = createRoute({
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

export const healthRouter = createRouter().openapi(health, async (c) => {
  try {
    const deps = c.get("deps");
    await checkSchemaAnswers(deps.ownDb ?? deps.db);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(503, "database_unavailable", "the database does not answer or its tables are missing");
  }
  return c.json({ status: "ok" as const }, 200);
});
