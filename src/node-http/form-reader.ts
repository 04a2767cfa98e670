import Busboy from "busboy";
import { type FormFields, FormFile, MalformedForm } from "../middleware/upload-body";

/**
 * Input parsed between two turns of the event loop. busboy takes about a millisecond for it, where
 * Hono's parseBody (undici's FormData) parsed a whole form in one piece: 30 ms for a 3 MB purchase
 * list, 0.1–0.3 s for 31 MB, while no other request was answered.
 */
const SLICE_BYTES = 1 << 20;

/**
 * The most fields and files a form may have. The import page's column picker has two fields per
 * column of the file (a wide table has a few hundred); 60,000 one-byte fields fit in a 4 MB body.
 */
const MAX_FIELDS = 2000;
const MAX_FILES = 4;

/**
 * A multipart form read as it arrives (Node): text fields as strings, files as the parts they came
 * in, with the event loop let go every SLICE_BYTES. A field named twice keeps its last value, as
 * parseBody does. The body's size is bounded before this (the route's upload limit), so text fields
 * are taken whole, however long (a file carried back by a page is a text field of megabytes).
 */
export async function readMultipartForm(request: Request): Promise<FormFields> {
  let parser: Busboy.Busboy;
  try {
    parser = Busboy({
      headers: { "content-type": request.headers.get("content-type") ?? "" },
      defParamCharset: "utf8",
      limits: { fieldSize: Number.MAX_SAFE_INTEGER, fields: MAX_FIELDS, parts: MAX_FIELDS, files: MAX_FILES },
    });
  } catch {
    throw new MalformedForm("no boundary in the form's Content-Type");
  }
  const fields: FormFields = {};
  let failed: Error | null = null;
  const closed = new Promise<void>((resolve, reject) => {
    parser.on("close", resolve);
    parser.on("error", (err: Error) => {
      failed ??= err;
      reject(new MalformedForm(err.message));
    });
  });
  // Awaited below; until then a rejection is only recorded.
  closed.catch(() => undefined);
  // More fields than any page's form has: refused, not read (each is an object kept until the answer).
  for (const limit of ["fieldsLimit", "partsLimit", "filesLimit"]) parser.on(limit, () => parser.destroy(new Error("too many fields or files in the form")));
  parser.on("field", (name: string, value: string) => {
    fields[name] = value;
  });
  parser.on("file", (name: string, stream: NodeJS.ReadableStream, info: { filename?: string }) => {
    const parts: Uint8Array[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer) => {
      parts.push(chunk);
      size += chunk.length;
    });
    stream.on("end", () => {
      fields[name] = new FormFile(info.filename ?? "", size, async () => parts);
    });
    // A form cut short fails the part too; the parser's own error says so.
    stream.on("error", () => undefined);
  });
  const reader = request.body?.getReader();
  if (reader) {
    let sinceYield = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (failed) {
        await reader.cancel();
        break;
      }
      // A body may come as one large chunk (a buffered request): it is parsed a slice at a time too.
      for (let at = 0; at < value.length; at += SLICE_BYTES) {
        const slice = value.subarray(at, at + SLICE_BYTES);
        parser.write(slice);
        sinceYield += slice.length;
        if (sinceYield >= SLICE_BYTES) {
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    }
  }
  parser.end();
  await closed;
  return fields;
}
