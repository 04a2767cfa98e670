import { AppError } from "../../errors";
import { checkSchemaAnswers } from "../../services/health";
import type { AppRouteHandler } from "../router";
import type { health } from "./health.routes";

export const check: AppRouteHandler<typeof health> = async (c) => {
  try {
    const deps = c.get("deps");
    await checkSchemaAnswers(deps.ownDb ?? deps.db);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(503, "database_unavailable", "the database does not answer or its tables are missing");
  }
  return c.json({ status: "ok" as const }, 200);
};
