import { createMiddleware } from "hono/factory";
import { timingSafeEqual } from "hono/utils/buffer";
import type { AppEnv } from "../context";
import { AppError } from "../errors";

/** Guards write and audit endpoints with `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const expected = c.get("deps").adminToken;
  if (!expected) {
    throw new AppError(403, "imports_disabled", "imports over HTTP are disabled: set ADMIN_TOKEN (16+ characters) and restart, or use `npm run import` on the server");
  }
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match || !(await timingSafeEqual(match[1]!.trim(), expected))) {
    throw new AppError(401, "unauthorized", "send the admin token as `Authorization: Bearer <ADMIN_TOKEN>`");
  }
  await next();
});
