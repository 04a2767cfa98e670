import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { AppError } from "../../errors";
import { createRouter } from "../router";
import { apiErrors, errorResponse, jsonResponse } from "../schemas";

const health = createRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  tags: ["health"],
  summary: "服务状态 · Liveness once the database answers",
  description: "Answers 200 once the database answers a query; load balancers and uptime checks poll it. Counted by the rate limit like every request.",
  security: [],
  responses: {
    200: jsonResponse(z.object({ status: z.literal("ok") }), "the service and its database answer"),
    ...apiErrors,
    503: errorResponse("the database does not answer"),
  },
});

export const healthRouter = createRouter().openapi(health, async (c) => {
  try {
    const deps = c.get("deps");
    await (deps.ownDb ?? deps.db).get(sql`SELECT 1`);
  } catch {
    throw new AppError(503, "database_unavailable", "the database does not answer");
  }
  return c.json({ status: "ok" as const }, 200);
});
