import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { AppError } from "../errors";
import { adminNameFor, adminTokensOf } from "./admin-tokens";
import { readLeadingField } from "./leading-field";
import { refuseSpentAuthBudget } from "./rate-limit";

/**
 * The import page's form carries the admin token as its first field: it is read and checked
 * before the file behind it, so a wrong token costs the server a few kilobytes, not the upload.
 * Failed attempts count against the same stricter budget as the API's.
 */
export const requireAdminForm = createMiddleware<AppEnv>(async (c, next) => {
  if (adminTokensOf(c.get("deps")).length === 0) {
    throw new AppError(403, "imports_disabled", "这台服务器没有设置 ADMIN_TOKEN，网页导入已关闭。");
  }
  await refuseSpentAuthBudget(c);
  if (!/^multipart\/form-data/i.test(c.req.header("content-type") ?? "")) {
    throw new AppError(415, "unsupported_media_type", "请用页面上的表单上传文件。");
  }
  const token = (await readLeadingField(c, "token"))?.trim() ?? "";
  const name = token ? await adminNameFor(c.get("deps"), token) : null;
  if (name === null) {
    await c.get("adminAuthBudget")?.failed();
    // The rest of the body is not read: the connection is closed instead of drained.
    c.header("Connection", "close");
    throw new AppError(401, "unauthorized", "管理令牌不正确，没有导入任何数据。");
  }
  c.set("adminName", name);
  await next();
});
