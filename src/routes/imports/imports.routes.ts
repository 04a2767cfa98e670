import { createRoute, z } from "@hono/zod-openapi";
import { IMPORT_KINDS } from "../../db/schema";
import { jsonResponse, openApiErrorResponses } from "../schemas";
import { uploadBody } from "../upload-media-types";

const IssueSchema = z.object({ row: z.number().int(), column: z.string().nullable(), message: z.string() }).openapi("ImportIssue");

export const ImportReportSchema = z
  .object({
    importId: z.number().int(),
    kind: z.enum(IMPORT_KINDS),
    dryRun: z.boolean(),
    format: z.enum(["csv", "xlsx"]).nullable().openapi({ description: "csv or xlsx, detected from the bytes" }),
    sheet: z.string().nullable().openapi({ description: "the worksheet read, for a workbook" }),
    encoding: z.string().nullable().openapi({ description: "utf-8 or gb18030 for a CSV, detected from the bytes" }),
    rowsTotal: z.number().int(),
    rowsValid: z.number().int().openapi({ description: "rows that passed validation" }),
    rowsImported: z.number().int().openapi({ description: "rows new or changed (for a dry run: rows that would be written)" }),
    rowsUnchanged: z.number().int().nullable().openapi({
      description: "valid rows identical to what was stored (re-importing the same file gives all of them); null for a dry run or a file over 200,000 rows",
    }),
    rowsSkipped: z.number().int().openapi({ description: "rows left out on purpose: notes (注：…), strengths listed without an award" }),
    rowsRejected: z.number().int(),
    columns: z
      .array(z.object({ header: z.string(), field: z.string().nullable() }))
      .openapi({ description: "the file's columns and the field each was read as (null: ignored)" }),
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
  operationId: "importFile",
  tags: ["imports"],
  summary: "导入数据文件 · Import a CSV file or an .xlsx workbook, all or nothing",
  description:
    "One file is one kind (batches, regions, prices, volumes), as CSV or an .xlsx workbook (on Cloudflare Workers an .xlsx answers 415 xlsx_unsupported: import it with the CLI). A file with any invalid row is rejected whole (422) with a report naming row, column and reason; dryRun=true answers the same report and writes nothing. Re-importing the same file changes nothing.",
  security,
  request: {
    query: z.object({
      kind: z.enum(IMPORT_KINDS),
      dryRun: z
        .enum(["true", "false", "1", "0"])
        .default("false")
        .transform((v) => v === "true" || v === "1"),
      batch: z.string().max(100).optional().openapi({ description: "batch id for a file without a batch column" }),
      sheet: z
        .string()
        .max(100)
        .optional()
        .openapi({ description: "a workbook's sheet by name or position (1 = first); default: the first sheet whose header is recognised" }),
      map: z
        .string()
        .max(2000)
        .optional()
        .openapi({ description: "columns mapped by hand, `field=header` separated by `;`, e.g. `chosenUnitPrice=竞标价格（最小规格）（元）`" }),
      profile: z.string().max(64).optional().openapi({ description: "a saved mapping (and sheet) to read the file with" }),
      saveProfile: z.string().max(64).optional().openapi({ description: "save this import's mapping and sheet under this name once the file is accepted" }),
      sourceNote: z.string().max(200).optional().openapi({
        description:
          "prices: the source of each row without a source cell, cited as `<sourceNote>, row <n>` (`<sourceNote>, sheet <name>, row <n>` from a workbook; the CLI's --source-note); without it such a row has no source, and a row it leaves unchanged keeps the one it had",
        example: "国家医保局 第三批国家组织药品集中采购中选结果 2020-08-20",
      }),
      strict: z
        .enum(["true", "false", "1", "0"])
        .default("false")
        .transform((v) => v === "true" || v === "1")
        .openapi({ description: "a row whose reduction differs from the file's own 降幅 column is an error, not a warning" }),
    }),
    body: uploadBody({
      csv: "the file, UTF-8 (with or without BOM) or GB18030",
      example:
        "batch,genericName,dosageForm,spec,packageQty,manufacturer,chosenPrice,referencePrice,referenceKind\r\nnational-drug-1,阿托伐他汀钙片,片剂,20mg,7,北京嘉林药业股份有限公司,3.6,156.8,pre_vbp\r\n",
      xlsx: "an .xlsx workbook (Node; Cloudflare Workers answer 415 xlsx_unsupported)",
      description: "the CSV file or .xlsx workbook as the body (name it with X-File-Name) or as a multipart field `file`",
    }),
  },
  responses: {
    200: jsonResponse(ImportReportSchema, "imported (or, for a dry run, would import)"),
    422: jsonResponse(ImportReportSchema, "rows were rejected; nothing was written"),
    ...openApiErrorResponses(
      {
        400: "invalid query or body",
        401: "missing or wrong token",
        403: "imports over HTTP are disabled (no ADMIN_TOKEN configured), or a browser write from another site",
        409: "another import is running",
        413: "file too large",
        415: "unsupported content type, or an .xlsx workbook on a runtime that cannot read one (code xlsx_unsupported: use the CLI)",
      },
      "write",
    ),
  },
});

export const listImportsRoute = createRoute({
  method: "get",
  path: "/api/v1/imports",
  operationId: "listImports",
  tags: ["imports"],
  summary: "导入记录 · The import audit log, newest first",
  description: "Every import with its file name, SHA-256, row counts, errors and warnings, dry run or not, when and by whom.",
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
            withdrawnAt: z.string().nullable().openapi({ description: "when the import was withdrawn (DELETE /api/v1/imports/{id}); null while it stands" }),
            withdrawnBy: z.string().nullable().openapi({ description: "who withdrew it: token:<name> or cli:<user>" }),
          }),
        ),
        meta: z.object({ total: z.number().int(), nextCursor: z.null() }),
      }),
      "imports",
    ),
    ...openApiErrorResponses({ 400: "invalid query", 401: "missing or wrong token", 403: "imports over HTTP are disabled" }),
  },
});

export const WithdrawalSchema = z
  .object({
    importId: z.number().int(),
    withdrawnAt: z.string(),
    withdrawnBy: z.string().openapi({ description: "token:<name> of the admin token used (recorded in the audit log)" }),
    rowsRemoved: z.number().int().openapi({ description: "rows the import had added, now deleted" }),
    rowsRestored: z.number().int().openapi({ description: "rows the import had changed or deleted, now as they were before it" }),
    batches: z.array(z.string()).openapi({ description: "batches whose statistics were recomputed" }),
  })
  .openapi("Withdrawal");

export const withdrawImportRoute = createRoute({
  method: "delete",
  path: "/api/v1/imports/{id}",
  operationId: "withdrawImport",
  tags: ["imports"],
  summary: "撤回导入 · Withdraw an import, restoring exactly what it replaced",
  description:
    "Deletes the rows a succeeded import added and puts back, whole, the rows it changed or deleted, from the journal the import wrote in the same transaction as its rows; search, savings and batch statistics follow. All or nothing. Refused with 409 `withdraw_conflict` (naming the later imports in `details.laterImports`) when a later import, not itself withdrawn, changed the same rows or added rows that point at rows this import added: withdraw those first, newest first. The withdrawal is recorded in the audit log with the token's name.",
  security,
  request: {
    params: z.object({
      id: z.coerce
        .number()
        .int()
        .min(1)
        .max(Number.MAX_SAFE_INTEGER)
        .openapi({
          param: { name: "id", in: "path" },
          description: "the import's audit id (`importId` of its report, `id` in GET /api/v1/imports)",
          example: 12,
        }),
    }),
  },
  responses: {
    200: jsonResponse(WithdrawalSchema, "withdrawn: the data is as it was before the import"),
    ...openApiErrorResponses(
      {
        400: "the id is not a positive integer",
        401: "missing or wrong token",
        403: "imports over HTTP are disabled (no ADMIN_TOKEN configured), or a browser write from another site",
        404: "no import with this id in the audit log (import_not_found)",
        409: "withdraw_conflict: a later import changed the same rows (withdraw it first); import_already_withdrawn; import_not_withdrawable: a dry run, a rejected or failed import, or one recorded before imports kept a journal; import_running: an import or withdrawal is running",
      },
      "write",
    ),
  },
});
