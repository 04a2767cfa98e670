import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { AppError } from "../errors";
import { adminNameFor, adminTokensOf } from "./admin-tokens";
import { refuseSpentAuthBudget } from "./rate-limit";

/**
 * Guards write and audit endpoints with `Authorization: Bearer <token>` (ADMIN_TOKEN or one of
 * ADMIN_TOKENS), before any body is read. A client that failed too often is refused before its
 * token is compared; the name of the token that matched is kept for the audit log.
 */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (adminTokensOf(c.get("deps")).length === 0) {
    throw new AppError(
      403,
      "imports_disabled",
      "imports over HTTP are disabled: set ADMIN_TOKEN (16+ characters) or ADMIN_TOKENS and restart, or use `npm run import` on the server",
    );
  }
  await refuseSpentAuthBudget(c);
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  const name = match ? await adminNameFor(c.get("deps"), match[1]!.trim()) : null;
  if (name === null) {
    await c.get("adminAuthBudget")?.failed();
    throw new AppError(401, "unauthorized", "send an admin token as `Authorization: Bearer <token>`");
  }
  c.set("adminName", name);
  await next();
});
