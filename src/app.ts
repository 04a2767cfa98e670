import type { AppDeps, AppEnv } from "./context";
import { httpCache } from "./middleware/cache";
import { rateLimit } from "./middleware/rate-limit";
import { type LogLine, requestContext } from "./middleware/request-context";
import { publicReadCors, sameOriginWrites, securityHeaders } from "./middleware/security";
import { batchesRouter } from "./routes/batches/batches.index";
import { handleError, notFoundHandler } from "./routes/errors";
import { exportRouter } from "./routes/export/export.index";
import { healthRouter } from "./routes/health/health.index";
import { importsRouter } from "./routes/imports/imports.index";
import { priceCheckRouter } from "./routes/price-check/price-check.index";
import { pricesRouter } from "./routes/prices/prices.index";
import { problemDetails } from "./routes/problem-details";
import { productsRouter } from "./routes/products/products.index";
import { progressRouter } from "./routes/progress/progress.index";
import { createRouter } from "./routes/router";
import { savingsRouter } from "./routes/savings/savings.index";
import { suggestRouter } from "./routes/suggest/suggest.index";
import { docsDocument, docsPage } from "./ui/docs";
import type { OpenApiDocument } from "./ui/docs-reference";
import { pagesRouter } from "./ui/pages.index";

export type CreateAppOptions = {
  /** Builds the request's dependencies from the runtime's bindings (per request on Workers). */
  deps: (env: AppEnv["Bindings"]) => AppDeps | Promise<AppDeps>;
  log?: (line: LogLine) => void;
};

export const API_INFO = {
  title: "集采价格查询 VBP price tracker API",
  version: "1.1.0",
  description: [
    "Chosen prices (中选价格) of China's volume-based procurement (集中带量采购), their reductions (降幅) and fund savings. Amounts are CNY yuan: prices to 4 decimals, money totals to 2.",
    "",
    "**Versioning.** Everything under `/api/v1` changes only by addition: new operations, new optional query parameters, new fields in answers, new values of `code` in errors. A field, parameter or operation is never removed or given another meaning within v1; a change that would break a client gets `/api/v2`, served beside v1. Clients should ignore fields they do not know. `info.version` counts additions (1.x).",
    "",
    "**Errors.** Every error answers `{ error: { code, message, details, requestId } }` with a stable `code`; send `Accept: application/problem+json` to get the same error as RFC 9457 problem details.",
  ].join("\n"),
};

/** Groups of operations, in the order the reference shows them. */
export const API_TAGS = [
  { name: "prices", description: "中选价格 · chosen prices: search, one price, type-ahead" },
  { name: "exports", description: "导出 · the same searches as CSV, .xlsx and Atom feeds" },
  { name: "products", description: "产品 · products and their price history" },
  { name: "batches", description: "集采批次 · procurement batches and their statistics" },
  { name: "savings", description: "节约医保基金 · savings and agreed-volume progress" },
  { name: "price-check", description: "采购清单比价 · a hospital's purchase list against chosen prices" },
  { name: "imports", description: "导入 · loading data (admin token)" },
  { name: "health", description: "服务状态 · liveness" },
];

/** Composes the whole service; runtime entries (Node, Workers) only supply `deps`. */
export function createApp(options: CreateAppOptions) {
  // The same options as every resource's router: invalid requests answer the contract's 400 shape.
  const app = createRouter();
  app.use("*", requestContext(options.deps, options.log));
  app.use("/api/*", problemDetails);
  app.use("*", securityHeaders);
  app.use("/api/*", publicReadCors);
  app.use("*", sameOriginWrites);
  // Everything a client can ask counts: the API, the pages and every POST (see rate-limit.ts).
  app.use("*", rateLimit());
  app.use("/api/v1/*", httpCache);
  // No hono/timeout: racing the handler cannot stop its SQLite statement nor free the read thread it
  // holds; the read pool's per-statement budget does both (503 query_timeout). It also cost 0.89× req/s.
  app.onError(handleError);
  app.notFound(notFoundHandler);

  // Chained so the app's type carries every route: that type is what `hc<AppType>` builds a client from.
  const routed = app
    .route("/", healthRouter)
    .route("/", exportRouter)
    .route("/", pricesRouter)
    .route("/", batchesRouter)
    .route("/", productsRouter)
    .route("/", suggestRouter)
    .route("/", importsRouter)
    .route("/", savingsRouter)
    .route("/", progressRouter)
    .route("/", priceCheckRouter)
    .route("/", pagesRouter);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "the server's ADMIN_TOKEN (16+ characters); imports over HTTP are disabled without one",
  });
  app.doc31("/openapi.json", OPEN_API_HEAD);
  // The document is fixed once the routes are: /docs renders it on the server, built on first use.
  let document: OpenApiDocument | undefined;
  app.get("/docs", (c) => docsPage(c, (document ??= app.getOpenAPI31Document(OPEN_API_HEAD) as OpenApiDocument)));
  app.get("/docs/openapi.json", (c) => docsDocument(c, (document ??= app.getOpenAPI31Document(OPEN_API_HEAD) as OpenApiDocument)));
  return routed;
}

/** What the document says besides its operations. Public operations say `security: []` themselves. */
const OPEN_API_HEAD = { openapi: "3.1.0", info: API_INFO, servers: [{ url: "/" }], tags: API_TAGS };

export type App = ReturnType<typeof createApp>;

/**
 * The API's type for Hono's typed client: `hc<AppType>(baseUrl)` knows every path, parameter and
 * answer, so a contract change that breaks a client breaks its compile.
 */
export type AppType = App;
