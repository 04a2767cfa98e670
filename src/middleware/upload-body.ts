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

/**
 * A file posted in a form, kept as the parts it arrived in: a Blob (what Hono's parseBody makes)
 * copies every byte into itself in one piece, ~0.2 s of the event loop for a 57 MB file, before a
 * handler copies it again to read it.
 */
export class FormFile {
  constructor(
    readonly name: string,
    readonly size: number,
    private readonly read: () => Promise<Uint8Array[]>,
  ) {}

  /** A file already in memory (a carried file, expanded). */
  static of(bytes: Uint8Array): FormFile {
    return new FormFile("", bytes.length, async () => [bytes]);
  }

  /** The bytes as they arrived, not joined. */
  parts(): Promise<Uint8Array[]> {
    return this.read();
  }

  /** The bytes in one array (joined only when they arrived in several parts). */
  async bytes(): Promise<Uint8Array> {
    const parts = await this.read();
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

export type FormFields = Record<string, string | FormFile>;

/** Why a streamed form could not be read: its syntax (400), whatever the runtime's parser said. */
export class MalformedForm extends Error {}

/** The fields of a multipart or urlencoded form; a body that is neither, or is broken, is the caller's mistake (415, 400). */
export async function readForm(c: Context<AppEnv>, messages: FormMessages): Promise<FormFields> {
  const read = c.get("form");
  if (read) return read;
  const type = c.req.header("content-type") ?? "";
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(type)) throw new AppError(415, "unsupported_media_type", messages.wrongType(type));
  const streamed = c.get("deps").readMultipart;
  try {
    if (streamed && /^multipart\/form-data/i.test(type)) {
      const fields = await streamed(c.req.raw);
      c.set("form", fields);
      return fields;
    }
    const form = (await c.req.parseBody()) as Record<string, string | File>;
    const fields: FormFields = {};
    for (const [name, value] of Object.entries(form))
      fields[name] = typeof value === "string" ? value : new FormFile(value.name, value.size, async () => [new Uint8Array(await value.arrayBuffer())]);
    return fields;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(400, "malformed_form", messages.malformed);
  }
}

/**
 * On a route whose OpenAPI body declares a form, reads it as it arrives before the validators run
 * (where the runtime can), and leaves them its fields' names: their own parser would read the whole
 * body again in one piece. The handler's readForm gets the fields read here.
 */
export function readFormFirst(messages: FormMessages) {
  return async (c: Context<AppEnv>, next: () => Promise<void>) => {
    if (c.get("deps").readMultipart && /^multipart\/form-data/i.test(c.req.header("content-type") ?? "")) {
      const fields = await readForm(c, messages);
      const names = new FormData();
      for (const [name, value] of Object.entries(fields)) names.append(name, typeof value === "string" ? value : "(a file, read as it arrived)");
      c.req.bodyCache.formData = names;
    }
    await next();
  };
}
