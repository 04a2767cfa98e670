import { priceCheckUploadLimit } from "../../middleware/upload-limit";
import { createRouter } from "../router";
import * as handlers from "./price-check.handlers";
import { checkSlots, listFormFirst, requireListBody } from "./price-check.middleware";
import * as routes from "./price-check.routes";

export const priceCheckRouter = createRouter()
  .openapi({ ...routes.postPriceCheck, middleware: [checkSlots, priceCheckUploadLimit, requireListBody, listFormFirst] as const }, handlers.check)
  .openapi({ ...routes.postPriceCheckXlsx, middleware: [checkSlots, priceCheckUploadLimit, requireListBody, listFormFirst] as const }, handlers.checkXlsx);
