import type { Context } from "hono";
import { raw } from "hono/html";
import type { AppEnv } from "../context";
import { assetUrl } from "./assets/assets.routes";
import { ApiReference, type OpenApiDocument } from "./docs-reference";
import { localizeDocument } from "./docs-zh";

/** Where this server serves the reference viewer's static build (see node-http/vendor-assets.ts). */
export const SCALAR_PATH = "/ui/vendor/scalar.js";

/**
 * Everything the page loads comes from this server: the viewer's script, and the document it reads.
 * The viewer injects its own styles, hence 'unsafe-inline' for styles (never for scripts).
 */
const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

/**
 * GET /docs: the API reference. The page carries the whole reference rendered on the server (in
 * Chinese, field names as they are), so it reads the same without JavaScript; where this server
 * has the viewer's build (Node), Scalar's interactive reference (try-it, code samples) takes its
 * place, loaded from this server alone, so it works the same on a hospital intranet.
 */
export function docsPage(c: Context<AppEnv>, doc: OpenApiDocument) {
  c.header("Content-Security-Policy", DOCS_CSP);
  const vendor = c.get("deps").vendorAssets;
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
          {vendor ? <script src={`${SCALAR_PATH}?v=${vendor.version}`} defer></script> : null}
          <script src={assetUrl("docs.js")} defer></script>
        </head>
        <body>
          {/* The viewer mounts here and then removes the server-rendered reference below. */}
          <div id="scalar"></div>
          <div id="app">
            <p class="note" id="docs-status">
              {vendor
                ? "正在加载交互式 API 文档（由本服务器提供，不需要外网）；下面是同一份接口定义。"
                : "这台服务器没有附带交互式文档的脚本；下面是完整的接口定义。"}
            </p>
            <ApiReference doc={localizeDocument(doc)} origin={new URL(c.req.url).origin} />
          </div>
        </body>
      </html>
    </>,
  );
}

/** GET /docs/openapi.json: the document as /docs shows it, descriptions in Chinese first. */
export function docsDocument(c: Context<AppEnv>, doc: OpenApiDocument) {
  return c.json(localizeDocument(doc));
}
