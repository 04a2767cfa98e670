import { createRouter } from "../router";
import * as handlers from "./suggest.handlers";
import * as routes from "./suggest.routes";

export const suggestRouter = createRouter().openapi(routes.suggest, handlers.list);
