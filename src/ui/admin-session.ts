import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { AppError } from "../errors";
import { requireAdminForm } from "../middleware/admin-form";
import { adminNameFor, adminTokensOf } from "../middleware/admin-tokens";
import { refuseSpentAuthBudget } from "../middleware/rate-limit";

/**
 * The import page's sign-in: the admin types a token once per browser session and gets a signed,
 * HttpOnly, SameSite=Strict cookie scoped to /import, good for SESSION_MINUTES after its last use.
 * The token itself is never written into a page. The cookie is signed (HMAC-SHA256) with a key
 * derived from every configured token, so rotating or removing a token ends every session.
 */
export const SESSION_COOKIE = "vbp_import_session";
export const SESSION_MINUTES = 30;

function secretOf(c: Context<AppEnv>): string | null {
  const tokens = adminTokensOf(c.get("deps"));
  if (!tokens.length) return null;
  return `vbp-import-session\n${tokens.map((t) => `${t.name}:${t.token}`).join("\n")}`;
}

/** Sets (or renews) the session cookie for an admin name. No Max-Age: it ends with the browser session. */
async function writeSession(c: Context<AppEnv>, name: string, secret: string): Promise<void> {
  const expires = Date.now() + SESSION_MINUTES * 60_000;
  await setSignedCookie(c, SESSION_COOKIE, `${name}|${expires}`, secret, {
    path: "/import",
    httpOnly: true,
    sameSite: "Strict",
    secure: new URL(c.req.url).protocol === "https:",
  });
}

/** The admin name of a valid, unexpired session cookie, or null. */
export async function sessionAdmin(c: Context<AppEnv>): Promise<string | null> {
  const secret = secretOf(c);
  if (!secret) return null;
  const value = await getSignedCookie(c, secret, SESSION_COOKIE);
  if (!value) return null;
  const [name, expires] = value.split("|");
  if (!name || !expires || !(Number(expires) > Date.now())) return null;
  return name;
}

/**
 * Guards the import page's upload: a valid session (renewed on use), else the token as the form's
 * first field (scripts that post the form themselves), checked before the file is read.
 */
export const requireAdminSession = createMiddleware<AppEnv>(async (c, next) => {
  const name = await sessionAdmin(c);
  if (name === null) return requireAdminForm(c, next);
  c.set("adminName", name);
  await writeSession(c, name, secretOf(c)!);
  await next();
});

/** POST /import/sign-in: a token typed once; failures count against the address's admin budget (429 past it). */
export async function signIn(c: Context<AppEnv>): Promise<{ ok: true } | { ok: false; status: 401 | 403; message: string }> {
  const secret = secretOf(c);
  if (!secret) return { ok: false, status: 403, message: "这台服务器没有设置 ADMIN_TOKEN，网页导入已关闭。" };
  await refuseSpentAuthBudget(c);
  const form = await c.req.parseBody().catch(() => {
    throw new AppError(400, "malformed_form", "登录表单无法读取，请刷新页面后重试。");
  });
  const token = typeof form.token === "string" ? form.token.trim() : "";
  const name = token ? await adminNameFor(c.get("deps"), token) : null;
  if (name === null) {
    await c.get("adminAuthBudget")?.failed();
    return { ok: false, status: 401, message: "管理令牌不正确，没有登录。连续输错多次后，这个地址要等一分钟才能再试。" };
  }
  await writeSession(c, name, secret);
  return { ok: true };
}

/** POST /import/sign-out. */
export function signOut(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/import", httpOnly: true, sameSite: "Strict" });
}
