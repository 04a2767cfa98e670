import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { AppError } from "../../errors";
import { createRouter } from "../router";
import { errorResponse, jsonResponse } from "../schemas";

const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["health"],
  summary: "Liveness once the database answers",
  responses: {
    200: jsonResponse(z.object({ status: z.literal("ok") }), "the service and its database answer"),
    503: errorResponse("the database does not answer"),
  },
});

export const healthRouter = createRouter().openapi(health, async (c) => {
  try {
    await c.get("deps").db.get(sql`SELECT 1`);
  } catch {
    throw new AppError(503, "database_unavailable", "the database does not answer");
  }
  return c.json({ status: "ok" as const }, 200);
});
