import { requireAdmin } from "../../middleware/admin-auth";
import { apiUploadLimit } from "../../middleware/upload-limit";
import { createRouter } from "../router";
import * as handlers from "./imports.handlers";
import { importUploadSlots, oneImportAtATime, requireCsvBody, spoolBody } from "./imports.middleware";
import * as routes from "./imports.routes";

// Middleware in order: who may import, one import at a time, a bounded number of bodies read at once,
// the size limit and the media type checked before a byte is read, then the body spooled to disk (Node).
export const importsRouter = createRouter()
  .openapi(
    { ...routes.postImport, middleware: [requireAdmin, oneImportAtATime, importUploadSlots, apiUploadLimit, requireCsvBody, spoolBody] as const },
    handlers.create,
  )
  .openapi({ ...routes.withdrawImportRoute, middleware: [requireAdmin, oneImportAtATime] as const }, handlers.withdraw)
  .openapi({ ...routes.listImportsRoute, middleware: [requireAdmin] as const }, handlers.list);
