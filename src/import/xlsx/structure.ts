import { Readable } from "node:stream";
import { zipEntries } from "./zip-entries";

/** A rectangle of merged cells, 1-based and inclusive: its value is the top-left cell's. */
export type MergedRange = { top: number; left: number; bottom: number; right: number };

/** A worksheet as the workbook lists it: tab name, tab position (1-based), the zip entry, its merges. */
export type SheetInfo = { name: string; position: number; path: string; merges: MergedRange[] };

/**
 * Parts of the workbook other than the sheets that someone else reads during the same pass (the
 * cell reader: shared strings, styles, workbook.xml): each given path is handed over as a stream.
 */
export type PartReader = { paths: ReadonlySet<string>; read(path: string, content: Readable): Promise<void> };

/**
 * Reads what the streaming cell reader does not give: the sheets in tab order with their names,
 * and every sheet's merged cells (Excel writes <mergeCells> after the cells, so a reader that
 * streams rows learns of a merge only when the rows are gone). One pass over the zip that
 * inflates the sheets and scans them for <mergeCell>, without parsing the cells: a fraction of
 * the cost of the reading pass. The parts `parts` asks for are read in the same pass, so that the
 * reading pass finds everything a sheet's cells refer to already read, wherever the zip stores it.
 */
export async function readWorkbookStructure(bytes: AsyncIterable<Uint8Array>, parts?: PartReader): Promise<SheetInfo[]> {
  let workbookXml = "";
  let relsXml = "";
  const merges = new Map<string, MergedRange[]>();
  const wanted = (path: string) => parts?.paths.has(path) ?? false;
  for await (const entry of zipEntries(bytes)) {
    if (entry.path === "xl/workbook.xml" || entry.path === "xl/_rels/workbook.xml.rels") {
      const xml = await text(entry);
      if (entry.path === "xl/workbook.xml") workbookXml = xml;
      else relsXml = xml;
      if (wanted(entry.path)) await parts!.read(entry.path, Readable.from([Buffer.from(xml, "utf8")]));
    } else if (/^xl\/worksheets\/[^/]+\.xml$/.test(entry.path)) merges.set(entry.path, await scanMerges(entry));
    // What a part's reader leaves unread, and every other entry, zipEntries skips.
    else if (wanted(entry.path)) await parts!.read(entry.path, entry);
  }
  const targets = new Map<string, string>();
  for (const m of relsXml.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attr(m[0], "Id");
    const target = attr(m[0], "Target");
    if (id && target) targets.set(id, target.startsWith("/") ? target.slice(1) : `xl/${target}`);
  }
  const sheets: SheetInfo[] = [];
  for (const m of workbookXml.matchAll(/<sheet\b[^>]*>/g)) {
    const rid = attr(m[0], "r:id");
    const path = rid ? targets.get(rid) : undefined;
    if (!path) continue;
    sheets.push({ name: xmlDecode(attr(m[0], "name") ?? ""), position: sheets.length + 1, path, merges: merges.get(path) ?? [] });
  }
  return sheets;
}

async function text(entry: AsyncIterable<Buffer | string>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of entry) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(parts).toString("utf8");
}

/** Cell text is XML-escaped, so `<mergeCell` occurs only as the element itself. */
async function scanMerges(entry: AsyncIterable<Buffer | string>): Promise<MergedRange[]> {
  const out: MergedRange[] = [];
  let carry = "";
  for await (const chunk of entry) {
    const piece = carry + (typeof chunk === "string" ? chunk : chunk.toString("latin1"));
    const last = piece.lastIndexOf("<");
    const complete = last >= 0 && piece.indexOf(">", last) < 0 ? piece.slice(0, last) : piece;
    carry = piece.slice(complete.length);
    if (!complete.includes("<mergeCell ")) continue;
    for (const m of complete.matchAll(/<mergeCell\b[^>]*\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"/g)) {
      out.push({ left: columnNumber(m[1]!), top: Number(m[2]), right: columnNumber(m[3]!), bottom: Number(m[4]) });
    }
  }
  return out;
}

export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name.replace(":", "\\:")}="([^"]*)"`).exec(tag);
  return m?.[1];
}

function xmlDecode(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" };
    if (e[0] !== "#") return named[e.toLowerCase()] ?? _;
    return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}
