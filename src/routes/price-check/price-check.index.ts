import { priceCheckUploadLimit } from "../../middleware/upload-limit";
import { createRouter } from "../router";
import * as handlers from "./price-check.handlers";
import { checkSlots, requireCsvBody } from "./price-check.middleware";
import * as routes from "./price-check.routes";

export const priceCheckRouter = createRouter()
  .openapi({ ...routes.postPriceCheck, middleware: [checkSlots, priceCheckUploadLimit, requireCsvBody] as const }, handlers.check)
  .openapi({ ...routes.postPriceCheckXlsx, middleware: [checkSlots, priceCheckUploadLimit, requireCsvBody] as const }, handlers.checkXlsx);
