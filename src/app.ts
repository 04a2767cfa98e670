import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppDeps, AppEnv } from "./context";
import { httpCache } from "./middleware/cache";
import { rateLimit } from "./middleware/rate-limit";
import { requestContext, type LogLine } from "./middleware/request-context";
import { publicReadCors, sameOriginWrites, securityHeaders } from "./middleware/security";
import { batchesRouter } from "./routes/batches/batches.index";
import { handleError, notFoundHandler } from "./routes/errors";
import { healthRouter } from "./routes/health/health.index";
import { importsRouter } from "./routes/imports/imports.index";
import { priceCheckRouter } from "./routes/price-check/price-check.index";
import { exportRouter } from "./routes/export/export.index";
import { pricesRouter } from "./routes/prices/prices.index";
import { productsRouter } from "./routes/products/products.index";
import { progressRouter } from "./routes/progress/progress.index";
import { savingsRouter } from "./routes/savings/savings.index";
import { suggestRouter } from "./routes/suggest/suggest.index";
import { docsPage } from "./ui/docs";
import type { OpenApiDocument } from "./ui/docs-reference";
import { pagesRouter } from "./ui/pages.index";
import { validationError } from "./routes/errors";

export type CreateAppOptions = {
  /** Builds the request's dependencies from the runtime's bindings (per request on Workers). */
  deps: (env: AppEnv["Bindings"]) => AppDeps | Promise<AppDeps>;
  log?: (line: LogLine) => void;
};

export const API_INFO = {
  title: "集采价格查询 VBP price tracker API",
  version: "1.0.0",
  description:
    "Chosen prices (中选价格) of China's volume-based procurement (集中带量采购), their reductions (降幅) and fund savings. Amounts are CNY yuan: prices to 4 decimals, money totals to 2.",
};

/** Composes the whole service; runtime entries (Node, Workers) only supply `deps`. */
export function createApp(options: CreateAppOptions) {
  const app = new OpenAPIHono<AppEnv>({
    strict: false,
    defaultHook: (result, c) => {
      if (!result.success) return validationError(c, result.error);
    },
  });
  app.use("*", requestContext(options.deps, options.log));
  app.use("*", securityHeaders);
  app.use("/api/*", publicReadCors);
  app.use("*", sameOriginWrites);
  // Everything a client can ask counts: the API, the pages and every POST (see rate-limit.ts).
  app.use("*", rateLimit());
  app.use("/api/v1/*", httpCache);
  app.onError(handleError);
  app.notFound(notFoundHandler);

  app.route("/", healthRouter);
  app.route("/", exportRouter);
  app.route("/", pricesRouter);
  app.route("/", batchesRouter);
  app.route("/", productsRouter);
  app.route("/", suggestRouter);
  app.route("/", importsRouter);
  app.route("/", savingsRouter);
  app.route("/", progressRouter);
  app.route("/", priceCheckRouter);
  app.route("/", pagesRouter);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", { type: "http", scheme: "bearer" });
  const openApi = { openapi: "3.1.0", info: API_INFO, servers: [{ url: "/" }] };
  app.doc31("/openapi.json", openApi);
  // The document is fixed once the routes are: /docs renders it on the server, built on first use.
  let document: OpenApiDocument | undefined;
  app.get("/docs", (c) => docsPage(c, (document ??= app.getOpenAPI31Document(openApi) as OpenApiDocument)));
  return app;
}

export type App = ReturnType<typeof createApp>;
