import { createRouter } from "../router";
import * as handlers from "./progress.handlers";
import * as routes from "./progress.routes";

export const progressRouter = createRouter().openapi(routes.getProgressRoute, handlers.get);
