import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../context";
import { AppError } from "../errors";
import { uploadSlots } from "../middleware/upload-body";
import { requireAdminSession } from "./admin-session";
import { assetsRouter } from "./assets/assets.routes";
import { pageError } from "./error-page";
import { batchesPage, batchPage } from "./pages/batches";
import { importPage, importSignIn, importSignOut, importSubmit } from "./pages/import";
import { priceCheckCsv, priceCheckPage, priceCheckSubmit, priceCheckTemplate, priceCheckWorkbook } from "./pages/price-check";
import { productPage } from "./pages/product";
import { savingsPage } from "./pages/savings";
import { searchPage } from "./pages/search";
import { priceCheckPageLimit, uploadBodyLimit } from "./upload-limit";

/**
 * The pharmacist-facing pages, in Chinese, rendered on the server with hono/jsx. They call the
 * services directly (never this app over HTTP) and work without JavaScript. Not part of the
 * OpenAPI document: they answer HTML for people, the API answers JSON for programs.
 */
export const pagesRouter = new Hono<AppEnv>();
pagesRouter.onError(pageError);
pagesRouter.route("/", assetsRouter);
pagesRouter.get("/", searchPage);
pagesRouter.get("/products/:id", productPage);
pagesRouter.get("/batches", batchesPage);
pagesRouter.get("/batches/:id", batchPage);
pagesRouter.get("/savings", savingsPage);
pagesRouter.get("/price-check", priceCheckPage);
pagesRouter.get("/price-check/template.csv", priceCheckTemplate);
const busy = uploadSlots("服务器正在处理其他上传的文件，请过几秒再试。");
pagesRouter.post("/price-check", busy, priceCheckPageLimit, priceCheckSubmit);
pagesRouter.post("/price-check/result.csv", busy, uploadBodyLimit, priceCheckCsv);
pagesRouter.post("/price-check/result.xlsx", busy, uploadBodyLimit, priceCheckWorkbook);
pagesRouter.get("/import", importPage);
// The session cookie (or the token, the form's first field) is checked before the file behind it is read.
pagesRouter.post("/import", requireAdminSession, busy, uploadBodyLimit, importSubmit);
const smallForm = bodyLimit({ maxSize: 4096, onError: (c) => c.text("表单太大。", 413) });
pagesRouter.post("/import/sign-in", smallForm, importSignIn);
pagesRouter.post("/import/sign-out", smallForm, importSignOut);

/** Paths that are not pages: their own routes answer, or the API's JSON 404 does. */
const NOT_PAGES = /^\/(api\/|ui\/|openapi\.json$|docs$|health$)/;
// Any other unknown address a browser asks for (it accepts HTML) is a page a person typed or
// followed: a Chinese 404 page. Programs keep the JSON 404.
pagesRouter.get("*", async (c, next) => {
  if (NOT_PAGES.test(c.req.path) || !/text\/html/.test(c.req.header("accept") ?? "")) return next();
  throw new AppError(404, "not_found", `没有“${c.req.path}”这个页面。`);
});
