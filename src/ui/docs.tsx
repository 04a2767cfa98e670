import type { Context } from "hono";
import { raw } from "hono/html";
import type { AppEnv } from "../context";
import { assetUrl } from "./assets/assets.routes";
import { ApiReference, type OpenApiDocument } from "./docs-reference";

/** Where the Scalar API reference's browser bundle comes from (the same CDN @scalar/hono-api-reference uses). */
export const SCALAR_CDN = "https://cdn.jsdelivr.net/npm/@scalar/api-reference";

/**
 * This page alone may load a script from the CDN; everything else stays 'self'. The security
 * middleware keeps a policy a route has set itself.
 */
const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self' https://cdn.jsdelivr.net",
  "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.scalar.com",
  "font-src 'self' data: https://cdn.jsdelivr.net https://fonts.scalar.com",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

/**
 * GET /docs: the API reference. The page itself carries the whole reference, rendered on the server
 * from the OpenAPI document, so it reads the same on an intranet without internet; where the CDN
 * is reachable, Scalar's interactive reference (try-it, code samples) takes its place.
 */
export function docsPage(c: Context<AppEnv>, doc: OpenApiDocument) {
  c.header("Content-Security-Policy", DOCS_CSP);
  return c.html(
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="zh-CN">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>API 文档 · 集采价格查询</title>
          <link rel="icon" href="data:," />
          <link rel="stylesheet" href={assetUrl("app.css")} />
          {/* Deferred: the reference below shows at once even while a blocked CDN times out. */}
          <script src={SCALAR_CDN} defer></script>
          <script src={assetUrl("docs.js")} defer></script>
        </head>
        <body>
          <div id="app">
            <p class="note" id="docs-status">
              正在加载交互式 API 文档（需要访问 cdn.jsdelivr.net）；下面是同一份接口定义。
            </p>
            <ApiReference doc={doc} origin={new URL(c.req.url).origin} />
          </div>
        </body>
      </html>
    </>,
  );
}
