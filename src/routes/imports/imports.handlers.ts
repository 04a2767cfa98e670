import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { importLimitsFor, importWriteFor } from "../../edge/import-on-edge";
import type { ByteSource } from "../../import/source";
import { sniffFormat } from "../../import/xlsx/sniff";
import { API_FORM_MESSAGES, FormFile, readForm } from "../../middleware/upload-body";
import { withdrawImport } from "../../services/import-withdrawal";
import { listImports, runImport } from "../../services/imports";
import type { AppRouteHandler } from "../router";
import { missingFile, xlsxUnsupported } from "./imports.middleware";
import type { listImportsRoute, postImport, withdrawImportRoute } from "./imports.routes";
import { uploadSource } from "./upload-source";

const withoutHeapLimit = <T extends { heapLimitMb: unknown }>({ heapLimitMb: _, ...report }: T) => report;

/** The upload in memory: runtimes without a file system (Workers), where the body limit bounds it. */
async function readUpload(c: Context<AppEnv>): Promise<{ bytes: Uint8Array; fileName: string | null }> {
  const type = c.req.header("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    const form = await readForm(c, API_FORM_MESSAGES);
    const file = form.file;
    if (!(file instanceof FormFile)) throw missingFile();
    return { bytes: await file.bytes(), fileName: file.name || null };
  }
  return { bytes: new Uint8Array(await c.req.arrayBuffer()), fileName: c.req.header("x-file-name") ?? null };
}

type Upload = { source: ByteSource; sha256?: string; bytes?: Uint8Array; fileName: string | null; path?: string };

/** The upload spooled by spoolBody, or else read into memory (Workers), where the body limit bounds it. */
async function uploadOf(c: Context<AppEnv>): Promise<Upload> {
  const spooled = c.get("upload") as Upload | undefined;
  if (spooled) return spooled;
  const upload = await readUpload(c);
  // Told by the bytes, not the name or media type: a workbook sent as octet-stream is still one.
  if (!c.get("deps").readWorkbook && sniffFormat(upload.bytes) === "xlsx") throw xlsxUnsupported();
  return { ...upload, source: uploadSource(upload.bytes) };
}

export const create: AppRouteHandler<typeof postImport> = async (c) => {
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
    sourceNote: query.sourceNote,
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
};

export const withdraw: AppRouteHandler<typeof withdrawImportRoute> = async (c) => {
  const withdrawal = await withdrawImport(c.get("deps").db, c.req.valid("param").id, `token:${c.get("adminName") ?? "admin"}`);
  return c.json(withdrawal, 200);
};

export const list: AppRouteHandler<typeof listImportsRoute> = async (c) => {
  const data = await listImports(c.get("deps").db, c.req.valid("query").limit);
  return c.json({ data, meta: { total: data.length, nextCursor: null } }, 200);
};
