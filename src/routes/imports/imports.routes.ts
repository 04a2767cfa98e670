import { createRoute, z } from "@hono/zod-openapi";
import { IMPORT_KINDS } from "../../db/schema";
import { errorResponse, jsonResponse } from "../schemas";

const IssueSchema = z.object({ row: z.number().int(), column: z.string().nullable(), message: z.string() }).openapi("ImportIssue");

export const ImportReportSchema = z
  .object({
    importId: z.number().int(),
    kind: z.enum(IMPORT_KINDS),
    dryRun: z.boolean(),
    encoding: z.string().nullable().openapi({ description: "utf-8 or gb18030, detected from the bytes" }),
    rowsTotal: z.number().int(),
    rowsImported: z.number().int().openapi({ description: "rows written (for a dry run: rows that would be written)" }),
    rowsRejected: z.number().int(),
    warnings: z.array(z.string()),
    errors: z.array(IssueSchema).openapi({ description: "row numbers as a spreadsheet counts them; row 0 is the file itself" }),
    limits: z
      .object({
        runtime: z.literal("cloudflare-workers"),
        database: z.enum(["d1", "libsql"]),
        maxBodyBytes: z.number().int(),
        memoryBytes: z.number().int(),
        cpuMs: z.number().int(),
        singleBatchStatements: z.number().int().nullable(),
        chunkStatements: z.number().int().nullable(),
        advice: z.string(),
      })
      .optional()
      .openapi({ description: "on Cloudflare Workers only: the limits of one import request" }),
  })
  .openapi("ImportReport");

const security = [{ bearerAuth: [] }];

export const postImport = createRoute({
  method: "post",
  path: "/api/v1/imports",
  tags: ["imports"],
  summary: "Import a CSV file (all or nothing)",
  security,
  request: {
    query: z.object({
      kind: z.enum(IMPORT_KINDS),
      dryRun: z
        .enum(["true", "false", "1", "0"])
        .default("false")
        .transform((v) => v === "true" || v === "1"),
      batch: z.string().max(100).optional().openapi({ description: "batch id for a file without a batch column" }),
    }),
    body: {
      content: {
        "text/csv": { schema: z.string().openapi({ format: "binary" }) },
        "multipart/form-data": { schema: z.object({ file: z.any().openapi({ type: "string", format: "binary" }) }) },
      },
      // Not `required`: with it, @hono/zod-openapi runs the multipart validator on every body and
      // refuses a text/csv upload ("file: expected nonoptional"); readUpload checks the body itself.
      required: false,
    },
  },
  responses: {
    200: jsonResponse(ImportReportSchema, "imported (or, for a dry run, would import)"),
    400: errorResponse("invalid query or body"),
    401: errorResponse("missing or wrong token"),
    403: errorResponse("imports over HTTP are disabled (no ADMIN_TOKEN configured)"),
    409: errorResponse("another import is running"),
    413: errorResponse("file too large"),
    415: errorResponse("unsupported content type"),
    422: jsonResponse(ImportReportSchema, "rows were rejected; nothing was written"),
  },
});

export const listImportsRoute = createRoute({
  method: "get",
  path: "/api/v1/imports",
  tags: ["imports"],
  summary: "The import audit log, newest first",
  security,
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
  responses: {
    200: jsonResponse(
      z.object({
        data: z.array(
          z.object({
            id: z.number().int(),
            kind: z.string(),
            fileName: z.string().nullable(),
            sha256: z.string(),
            encoding: z.string().nullable(),
            dryRun: z.boolean(),
            status: z.string(),
            rowsTotal: z.number().int(),
            rowsImported: z.number().int(),
            rowsRejected: z.number().int(),
            errors: z.array(IssueSchema),
            warnings: z.array(z.string()),
            actor: z.string().nullable(),
            startedAt: z.string(),
            finishedAt: z.string().nullable(),
          }),
        ),
        meta: z.object({ total: z.number().int(), nextCursor: z.null() }),
      }),
      "imports",
    ),
    401: errorResponse("missing or wrong token"),
    403: errorResponse("imports over HTTP are disabled"),
  },
});
