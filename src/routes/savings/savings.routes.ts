import { createRoute, z } from "@hono/zod-openapi";
import { SAVINGS_GROUPS } from "../../services/savings";
import { jsonResponse, openApiErrorResponses } from "../schemas";
import { XLSX_UNAVAILABLE, xlsxResponse } from "../xlsx-answer";

const month = (description: string) => z.string().max(7).optional().openapi({ description, example: "2022-03" });

export const SavingsQuerySchema = z.object({
  groupBy: z.enum(SAVINGS_GROUPS).default("batch"),
  batch: z.string().min(1).max(100).optional().openapi({ description: "batch id, e.g. national-device-stent" }),
  region: z.string().min(1).max(50).optional().openapi({ description: "region code or Chinese name; its child regions are included" }),
  from: month("first month included (YYYY-MM)"),
  to: month("last month included (YYYY-MM)"),
});

const Realized = {
  volumeRows: z.number().int().openapi({ description: "volume rows (price × region × month) summed" }),
  units: z.number().int().openapi({ description: "smallest units bought" }),
  amountPaid: z.number().openapi({ description: "amount paid, CNY, 2 decimals (rows without an amount count 0)" }),
  spendSaved: z.number().openapi({ description: "Σ (reference unit price − chosen unit price) × units, CNY, 2 decimals" }),
  fundSaved: z.number().openapi({ description: "spending saved × fund share, CNY, 2 decimals" }),
  fundSharePct: z.number().nullable().openapi({ description: "the fund share used: fund saved / spending saved with a known share, percent" }),
  spendSavedWithoutFundShare: z.number().openapi({ description: "spending saved whose region has no fund share (not in fundSaved)" }),
};

const ProjectedSchema = z
  .object({
    agreedUnits: z.number().int(),
    spendSaved: z.number(),
    fundSaved: z.number().nullable(),
    fundSharePct: z.number().nullable(),
  })
  .openapi("ProjectedSavings", { description: "savings if the agreed volumes (约定采购量) are bought" });

const SavingsGroupSchema = z.object({ key: z.string(), label: z.string(), ...Realized, projected: ProjectedSchema.nullable() }).openapi("SavingsGroup");

export const getSavingsRoute = createRoute({
  method: "get",
  path: "/api/v1/savings",
  operationId: "getSavings",
  tags: ["savings"],
  summary: "节约医保基金 · Spending and fund saved, realized and projected",
  description:
    "Realized savings from purchased volumes and projected savings from agreed volumes (约定采购量), grouped by batch, region (rolled up the region tree), month or category, with the fund share used.",
  security: [],
  request: { query: SavingsQuerySchema },
  responses: {
    200: jsonResponse(
      z.object({
        data: z.array(SavingsGroupSchema),
        meta: z.object({
          total: z.number().int(),
          nextCursor: z.null(),
          groupBy: z.enum(SAVINGS_GROUPS),
          filters: z.object({
            batch: z.string().nullable(),
            region: z.object({ code: z.string(), name: z.string(), includesChildren: z.boolean() }).nullable(),
            from: z.string().nullable(),
            to: z.string().nullable(),
          }),
          totals: z.object({ ...Realized, projected: ProjectedSchema }),
          answeredFrom: z.string().openapi({ description: "the rollup table that answered" }),
          notes: z.array(z.string()),
        }),
      }),
      "savings per group, totals in meta",
    ),
    ...openApiErrorResponses({ 400: "invalid query", 404: "unknown batch or region" }),
  },
});

export const getSavingsXlsxRoute = createRoute({
  method: "get",
  path: "/api/v1/savings.xlsx",
  operationId: "exportSavingsXlsx",
  tags: ["exports"],
  summary: "导出节约医保基金 Excel · The savings report as an .xlsx workbook",
  description:
    "The same question and figures as GET /api/v1/savings, one row per group and a totals row (合计), amounts stored as numbers with 2 decimals, the fund share as a percentage, with a frozen header.",
  security: [],
  request: { query: SavingsQuerySchema },
  responses: {
    200: xlsxResponse(".xlsx workbook, one sheet 节约医保基金"),
    ...openApiErrorResponses({ 400: "invalid query", 404: "unknown batch or region", 501: XLSX_UNAVAILABLE }),
  },
});
