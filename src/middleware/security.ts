import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";

/**
 * Browser-facing protections. Pages load scripts only from this origin; inline styles are allowed
 * because server-rendered charts carry their geometry in attributes and small style blocks.
 */
export const securityHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'", "data:"],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
  },
  crossOriginEmbedderPolicy: false,
  referrerPolicy: "no-referrer",
  // A route may set its own policy: /docs loads the API reference's script from its CDN.
  overwrite: false,
});

/** Any site may read the public API; no other origin may write (imports, price checks stay same-origin). */
export const publicReadCors = cors({
  origin: "*",
  allowMethods: ["GET", "HEAD", "OPTIONS"],
  allowHeaders: ["Content-Type", "If-None-Match", "X-Request-Id"],
  exposeHeaders: ["ETag", "X-Request-Id", "Retry-After"],
  maxAge: 600,
});

/** A cross-origin write is refused outright rather than relying on the browser's preflight alone. */
export const sameOriginWrites = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header("origin");
  if (origin && !["GET", "HEAD", "OPTIONS"].includes(c.req.method) && origin !== new URL(c.req.url).origin) {
    return c.json(
      { error: { code: "cross_origin_write", message: "writes are accepted only from this site's own pages or from non-browser clients", requestId: c.get("requestId") ?? "" } },
      403,
    );
  }
  await next();
});
