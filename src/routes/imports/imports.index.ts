import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { AppError } from "../../errors";
import { apiUploadLimit } from "../../middleware/upload-limit";
import { API_FORM_MESSAGES, readForm, uploadSlots } from "../../middleware/upload-body";
import { requireAdmin } from "../../middleware/admin-auth";
import { importLimitsFor, importWriteFor } from "../../edge/import-on-edge";
import { listImports, runImport } from "../../services/imports";
import { createRouter } from "../router";
import * as routes from "./imports.routes";
import { uploadSource } from "./upload-source";

/** One import at a time per process: two all-or-nothing writers would only wait on each other's lock. */
let importRunning = false;

async function readUpload(c: Context<AppEnv>): Promise<{ bytes: Uint8Array; fileName: string | null }> {
  const type = c.req.header("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    const form = await readForm(c, API_FORM_MESSAGES);
    const file = form["file"];
    if (!(file instanceof File)) throw new AppError(400, "missing_file", "multipart body has no `file` field with a CSV file");
    return { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name || null };
  }
  return { bytes: new Uint8Array(await c.req.arrayBuffer()), fileName: c.req.header("x-file-name") ?? null };
}

const CSV_TYPES = /^(text\/csv|text\/plain|application\/csv|application\/octet-stream|application\/vnd\.ms-excel|multipart\/form-data)/;

/** Checked before the body is validated, so the caller learns what to send instead of a bare 415. */
function requireCsvBody(c: Context<AppEnv>, next: () => Promise<void>) {
  const type = c.req.header("content-type") ?? "";
  if (type !== "" && !CSV_TYPES.test(type)) {
    throw new AppError(415, "unsupported_media_type", `send the CSV as text/csv or as a multipart file (field "file"), not ${type}`);
  }
  return next();
}

/** Taken before the body is read: a second upload is refused at once instead of buffering beside the first. */
async function oneImportAtATime(_c: Context<AppEnv>, next: () => Promise<void>) {
  if (importRunning) throw new AppError(409, "import_running", "another import is running; try again when it has finished");
  importRunning = true;
  try {
    await next();
  } finally {
    importRunning = false;
  }
}

const importUploadSlots = uploadSlots("the server is reading other uploads; retry in a few seconds");

export const importsRouter = createRouter()
  .openapi({ ...routes.postImport, middleware: [requireAdmin, oneImportAtATime, importUploadSlots, apiUploadLimit, requireCsvBody] as const }, async (c) => {
    const query = c.req.valid("query");
    const upload = await readUpload(c);
    const report = await runImport(c.get("deps").db, {
      kind: query.kind,
      dryRun: query.dryRun,
      batch: query.batch,
      bytes: upload.bytes,
      source: uploadSource(upload.bytes),
      fileName: upload.fileName,
      actor: `token:${c.get("adminName") ?? "admin"}`,
      write: importWriteFor(c.get("deps")),
    });
    const limits = importLimitsFor(c.get("deps"));
    return c.json(limits ? { ...report, limits } : report, report.errors.length ? 422 : 200);
  })
  .openapi({ ...routes.listImportsRoute, middleware: [requireAdmin] as const }, async (c) => {
    const data = await listImports(c.get("deps").db, c.req.valid("query").limit);
    return c.json({ data, meta: { total: data.length, nextCursor: null } }, 200);
  });
