import { z } from "@hono/zod-openapi";
import { XLSX_MEDIA_TYPE } from "../import/xlsx/sniff";

/**
 * The media types a file upload (an import, a purchase list) may come as: CSV as clients label it
 * (Excel's own label for .csv is application/vnd.ms-excel; curl and scripts send text/plain or
 * application/octet-stream), an .xlsx workbook, or either as a multipart file. What a file is, its
 * bytes say. Each route declares all of them, since @hono/zod-openapi refuses a media type the route
 * does not declare before any handler runs.
 */
export const UPLOAD_MEDIA_TYPES = [
  "text/csv",
  "text/plain",
  "application/csv",
  "application/vnd.ms-excel",
  "application/octet-stream",
  XLSX_MEDIA_TYPE,
  "multipart/form-data",
] as const;

export const isUploadMediaType = (type: string) => UPLOAD_MEDIA_TYPES.some((t) => type.toLowerCase().startsWith(t));

/**
 * The body of an upload route: `csv` for the CSV labels (its example on text/csv), the workbook and
 * the multipart file as each route describes them.
 */
export function uploadBody({ csv, example, xlsx, description }: { csv: string; example: string; xlsx: string; description: string }) {
  const csvBody = z.string().openapi({ format: "binary", description: csv });
  return {
    content: {
      "text/csv": { schema: csvBody, example },
      "text/plain": { schema: csvBody },
      "application/csv": { schema: csvBody },
      "application/vnd.ms-excel": { schema: csvBody },
      "application/octet-stream": { schema: z.string().openapi({ format: "binary", description: "the file, CSV or .xlsx (told apart by its bytes)" }) },
      [XLSX_MEDIA_TYPE]: { schema: z.string().openapi({ format: "binary", description: xlsx }) },
      "multipart/form-data": {
        schema: z
          .object({ file: z.any().openapi({ type: "string", format: "binary", description: "the CSV file or .xlsx workbook" }) })
          .openapi({ required: ["file"] }),
      },
    } satisfies Record<(typeof UPLOAD_MEDIA_TYPES)[number], unknown>,
    description,
    // Not `required`: with it, @hono/zod-openapi runs the multipart validator on every body and
    // refuses a text/csv upload ("file: expected nonoptional"); the handlers read and check the body.
    required: false,
  };
}
