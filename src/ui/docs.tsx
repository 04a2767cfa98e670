import type { Context } from "hono";
import { raw } from "hono/html";
import type { AppEnv } from "../context";
import { assetUrl } from "./assets/assets.routes";

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

/** GET /docs: the interactive API reference (Scalar), built in the browser from /openapi.json. */
export function docsPage(c: Context<AppEnv>) {
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
        </head>
        <body>
          <div id="app">
            <p style="font-family:sans-serif;padding:1rem">
              <span id="docs-status">正在加载交互式 API 文档……</span> <a href="/openapi.json">/openapi.json</a>（OpenAPI 3.1）·{" "}
              <a href="/">返回查询</a>
            </p>
          </div>
          <script src={SCALAR_CDN}></script>
          <script src={assetUrl("docs.js")}></script>
        </body>
      </html>
    </>,
  );
}
