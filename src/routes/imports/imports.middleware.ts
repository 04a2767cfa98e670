import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { AppError } from "../../errors";
import { WorkbookUnsupportedError, XLSX_MEDIA_TYPE } from "../../import/xlsx/sniff";
import { API_FORM_MESSAGES, uploadSlots } from "../../middleware/upload-body";
import { apiUploadTooLarge } from "../../middleware/upload-limit";
import { ImportRunningError, takeImportLock } from "../../services/import-lock";
import { isUploadMediaType } from "../upload-media-types";

export const missingFile = () => new AppError(400, "missing_file", "multipart body has no `file` field with a CSV file or .xlsx workbook");

export const xlsxUnsupported = () => new AppError(415, "xlsx_unsupported", new WorkbookUnsupportedError().message);

/**
 * Where the runtime can (Node), the body is spooled to a temporary file as it arrives, so memory
 * stays flat whatever the size and the import reads the file as the CLI does. This runs before
 * the route's validators: a multipart body is not parsed into memory by the form validator, which
 * finds the form already read (its `file` field a note: the part went to disk). The file is removed after
 * the answer, also when the import failed.
 */
export async function spoolBody(c: Context<AppEnv>, next: () => Promise<void>) {
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

/** Checked before the body is validated, so the caller learns what to send instead of a bare 415. */
export function requireCsvBody(c: Context<AppEnv>, next: () => Promise<void>) {
  const type = c.req.header("content-type") ?? "";
  if (type !== "" && !isUploadMediaType(type)) {
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
export async function oneImportAtATime(_c: Context<AppEnv>, next: () => Promise<void>) {
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

export const importUploadSlots = uploadSlots("the server is reading other uploads; retry in a few seconds");
