import { getProgress } from "../../services/progress";
import type { AppRouteHandler } from "../router";
import type { getProgressRoute } from "./progress.routes";

export const get: AppRouteHandler<typeof getProgressRoute> = async (c) => c.json(await getProgress(c.get("deps").db, c.req.valid("query")), 200);
