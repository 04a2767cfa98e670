import type { Context } from "hono";
import type { AppDeps, AppEnv } from "../context";
import { AppError } from "../errors";

/** Uploads being read or processed, per running server (its deps object): bodies held at once. */
const busy = new WeakMap<AppDeps, number>();

/**
 * At most UPLOADS_AT_ONCE request bodies are read and processed at a time in one server; another
 * upload meanwhile is answered 503 with Retry-After before its body is read. With the size limit
 * this bounds the memory uploads can take, whoever sends them.
 */
export function uploadSlots(message: string) {
  return async (c: Context<AppEnv>, next: () => Promise<void>) => {
    const deps = c.get("deps");
    const max = deps.uploadsAtOnce ?? 0;
    if (max <= 0) return next();
    const now = busy.get(deps) ?? 0;
    if (now >= max) throw new AppError(503, "uploads_busy", message, undefined, { "Retry-After": "5" });
    busy.set(deps, now + 1);
    try {
      await next();
    } finally {
      busy.set(deps, (busy.get(deps) ?? 1) - 1);
    }
  };
}

export type FormMessages = { malformed: string; wrongType: (type: string) => string };

export const API_FORM_MESSAGES: FormMessages = {
  malformed:
    "the multipart/form-data body is malformed (a boundary or part header is wrong); send the file as a multipart field named `file`, or as the raw body with Content-Type text/csv",
  wrongType: (type) => `send a multipart/form-data form, not ${type || "a body without Content-Type"}`,
};

export const PAGE_FORM_MESSAGES: FormMessages = {
  malformed: "上传的表单内容不完整或已损坏，请在页面上重新选择文件上传。",
  wrongType: () => "请用页面上的表单上传文件。",
};

/** The fields of a multipart or urlencoded form; a body that is neither, or is broken, is the caller's mistake (415, 400). */
export async function readForm(c: Context<AppEnv>, messages: FormMessages): Promise<Record<string, string | File>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(type)) throw new AppError(415, "unsupported_media_type", messages.wrongType(type));
  try {
    return (await c.req.parseBody()) as Record<string, string | File>;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(400, "malformed_form", messages.malformed);
  }
}
