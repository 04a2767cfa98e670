import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { importLimitsFor, importWriteFor } from "../../edge/import-on-edge";
import { AppError } from "../../errors";
import type { ByteSource } from "../../import/source";
import { sniffFormat, WorkbookUnsupportedError, XLSX_MEDIA_TYPE } from "../../import/xlsx/sniff";
import { requireAdmin } from "../../middleware/admin-auth";
import { API_FORM_MESSAGES, readForm, uploadSlots } from "../../middleware/upload-body";
import { apiUploadLimit, apiUploadTooLarge } from "../../middleware/upload-limit";
import { ImportRunningError, takeImportLock } from "../../services/import-lock";
import { withdrawImport } from "../../services/import-withdrawal";
import { listImports, runImport } from "../../services/imports";
import { createRouter } from "../router";
import * as routes from "./imports.routes";
import { uploadSource } from "./upload-source";

const withoutHeapLimit = <T extends { heapLimitMb: unknown }>({ heapLimitMb: _, ...report }: T) => report;

const missingFile = () => new AppError(400, "missing_file", "multipart body has no `file` field with a CSV file or .xlsx workbook");

/** The upload in memory: runtimes without a file system (Workers), where the body limit bounds it. */
async function readUpload(c: Context<AppEnv>): Promise<{ bytes: Uint8Array; fileName: string | null }> {
  const type = c.req.header("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    const form = await readForm(c, API_FORM_MESSAGES);
    const file = form.file;
    if (!(file instanceof File)) throw missingFile();
    return { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name || null };
  }
  return { bytes: new Uint8Array(await c.req.arrayBuffer()), fileName: c.req.header("x-file-name") ?? null };
}

type Upload = { source: ByteSource; sha256?: string; bytes?: Uint8Array; fileName: string | null; path?: string };

/**
 * Where the runtime can (Node), the body is spooled to a temporary file as it arrives, so memory
 * stays flat whatever the size and the import reads the file as the CLI does. This runs before
 * the route's validators: a multipart body is not parsed into memory by the form validator, which
 * finds the form already read (its `file` field a note: the part went to disk). The file is removed after
 * the answer, also when the import failed.
 */
async function spoolBody(c: Context<AppEnv>, next: () => Promise<void>) {
  const deps = c.get("deps");
  if (!deps.spoolUpload) return next();
  const spooled = await deps.spoolUpload(c.req.raw, {
    maxBytes: deps.importBodyLimitBytes,
    fileField: "file",
    // @hono/node-server hands the app { incoming, outgoing }: the request's own Node stream.
    nodeBody: (c.env as { incoming?: unknown } | undefined)?.incoming,
    refusals: {
      tooLarge: () => apiUploadTooLarge(deps.importBodyLimitBytes),
      malformed: () => new AppError(400, "malformed_form", API_FORM_MESSAGES.malformed),
      missingFile,
    },
  });
  try {
    if ((c.req.header("content-type") ?? "").startsWith("multipart/form-data")) c.req.bodyCache.formData = spooledForm();
    c.set("upload", { source: spooled.source, sha256: spooled.sha256, fileName: spooled.fileName, path: spooled.path });
    await next();
  } finally {
    await spooled.dispose();
  }
}

function spooledForm(): FormData {
  const form = new FormData();
  form.set("file", "(spooled to a temporary file)");
  return form;
}

/** The upload spooled by spoolBody, or else read into memory (Workers), where the body limit bounds it. */
async function uploadOf(c: Context<AppEnv>): Promise<Upload> {
  const spooled = c.get("upload") as Upload | undefined;
  if (spooled) return spooled;
  const upload = await readUpload(c);
  // Told by the bytes, not the name or media type: a workbook sent as octet-stream is still one.
  if (!c.get("deps").readWorkbook && sniffFormat(upload.bytes) === "xlsx") throw xlsxUnsupported();
  return { ...upload, source: uploadSource(upload.bytes) };
}

const CSV_TYPES =
  /^(text\/csv|text\/plain|application\/csv|application\/octet-stream|application\/vnd\.ms-excel|application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet|multipart\/form-data)/;

const xlsxUnsupported = () => new AppError(415, "xlsx_unsupported", new WorkbookUnsupportedError().message);

/** Checked before the body is validated, so the caller learns what to send instead of a bare 415. */
function requireCsvBody(c: Context<AppEnv>, next: () => Promise<void>) {
  const type = c.req.header("content-type") ?? "";
  if (type !== "" && !CSV_TYPES.test(type)) {
    throw new AppError(
      415,
      "unsupported_media_type",
      `send the CSV as text/csv, a workbook as ${XLSX_MEDIA_TYPE}, or either as a multipart file (field "file"), not ${type}`,
    );
  }
  if (type.startsWith(XLSX_MEDIA_TYPE) && !c.get("deps").readWorkbook) throw xlsxUnsupported();
  return next();
}

/**
 * Taken before the body is read: a second upload is refused at once instead of buffering beside the
 * first. The same lock as the import page's (services/import-lock).
 */
async function oneImportAtATime(_c: Context<AppEnv>, next: () => Promise<void>) {
  let release: () => void;
  try {
    release = takeImportLock();
  } catch (err) {
    if (err instanceof ImportRunningError) throw new AppError(409, "import_running", err.message);
    throw err;
  }
  try {
    await next();
  } finally {
    release();
  }
}

const importUploadSlots = uploadSlots("the server is reading other uploads; retry in a few seconds");

export const importsRouter = createRouter()
  .openapi(
    { ...routes.postImport, middleware: [requireAdmin, oneImportAtATime, importUploadSlots, apiUploadLimit, requireCsvBody, spoolBody] as const },
    async (c) => {
      const query = c.req.valid("query");
      const deps = c.get("deps");
      const upload = await uploadOf(c);
      const settings = {
        kind: query.kind,
        dryRun: query.dryRun,
        batch: query.batch,
        sheet: query.sheet,
        map: query.map ? [query.map] : undefined,
        profile: query.profile,
        saveProfile: query.saveProfile,
        strict: query.strict,
        sha256: upload.sha256,
        fileName: upload.fileName,
        actor: `token:${c.get("adminName") ?? "admin"}`,
      };
      // A spooled file is imported on a thread of its own (Node), whose memory goes when it ends.
      const report =
        upload.path && deps.importSpooled
          ? withoutHeapLimit(await deps.importSpooled(upload.path, settings))
          : await runImport(deps.db, { ...settings, bytes: upload.bytes, source: upload.source, write: importWriteFor(deps), readWorkbook: deps.readWorkbook });
      const limits = importLimitsFor(c.get("deps"));
      return c.json(limits ? { ...report, limits } : report, report.errors.length ? 422 : 200);
    },
  )
  .openapi({ ...routes.withdrawImportRoute, middleware: [requireAdmin, oneImportAtATime] as const }, async (c) => {
    const withdrawal = await withdrawImport(c.get("deps").db, c.req.valid("param").id, `token:${c.get("adminName") ?? "admin"}`);
    return c.json(withdrawal, 200);
  })
  .openapi({ ...routes.listImportsRoute, middleware: [requireAdmin] as const }, async (c) => {
    const data = await listImports(c.get("deps").db, c.req.valid("query").limit);
    return c.json({ data, meta: { total: data.length, nextCursor: null } }, 200);
  });
