import { z } from "@hono/zod-openapi";
import { CATEGORIES, LEVELS, REFERENCE_KINDS } from "../db/schema";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_error" }),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string(),
    }),
  })
  .openapi("Error");

export const errorResponse = (description: string) => ({
  content: { "application/json": { schema: ErrorSchema } },
  description,
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

export const RegionRefSchema = z.object({ code: z.string(), name: z.string() }).openapi("RegionRef");

export const BatchRefSchema = z
  .object({ id: z.string(), name: z.string(), level: z.enum(LEVELS), category: z.enum(CATEGORIES), announced: z.string().nullable() })
  .openapi("BatchRef");

export const ProductSchema = z
  .object({
    id: z.number().int(),
    category: z.enum(CATEGORIES),
    genericName: z.string().openapi({ example: "阿托伐他汀钙片" }),
    genericNameEn: z.string().nullable(),
    dosageForm: z.string().nullable(),
    spec: z.string().nullable(),
    packageText: z.string().nullable(),
    packageQty: z.number().int().nullable(),
    packageUnit: z.string().nullable(),
    smallestUnit: z.string().nullable(),
    manufacturer: z.string().nullable(),
    nhsaCode: z.string().nullable(),
    approvalNo: z.string().nullable(),
  })
  .openapi("Product");

export const PriceSchema = z
  .object({
    id: z.number().int(),
    batch: BatchRefSchema,
    product: ProductSchema,
    chosenPrice: z.number().openapi({ description: "chosen price per package, CNY, 4 decimals", example: 3.6 }),
    unitPrice: z.number().openapi({ description: "chosen price per smallest unit, CNY, 4 decimals" }),
    referencePrice: z.number().nullable(),
    referenceKind: z.enum(REFERENCE_KINDS).nullable(),
    referenceUnitPrice: z.number().nullable(),
    discountPct: z.number().nullable().openapi({ description: "reduction in percent, 2 decimals, per smallest unit", example: 97.7 }),
    aboveReference: z.boolean().openapi({ description: "true when the chosen price is above its reference (negative reduction)" }),
    supplyRegions: z.array(RegionRefSchema).openapi({ description: "empty means nationwide" }),
    nationwide: z.boolean(),
    agreedVolume: z.number().int().nullable(),
    cycleStart: z.string().nullable(),
    cycleEnd: z.string().nullable(),
    status: z.string(),
    source: z.string().nullable(),
    synthetic: z.boolean().openapi({ description: "true for generated demo data, never a real price" }),
  })
  .openapi("Price");

export const listOf = <T extends z.ZodType>(item: T, meta: z.ZodRawShape = {}) =>
  z.object({
    data: z.array(item),
    meta: z.object({ total: z.number().int(), nextCursor: z.string().nullable(), ...meta }),
  });

export const IdParamSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, "must be a positive whole number")
    .transform(Number)
    .openapi({ param: { name: "id", in: "path" }, example: "1", type: "integer" }),
});
