import { base64ToBytes, bytesToBase64 } from "../base64";

/**
 * A file a page carries in its form for the next request (the 比价 page's list, checked again for its
 * downloads; the import page's checked file, for its confirm button), so the server keeps nothing of
 * an upload between requests. Compressed before it is base64-encoded: a list of 50,000 lines (3.2 MB
 * of CSV) made a 5.2 MB page, most of it the carried list, which the event loop then wrote for ~60 ms
 * and the browser posted back whole.
 * CompressionStream is the platform's (Node and Workers), and runs off the event loop on Node.
 */
export async function carryFile(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("gzip"));
  return bytesToBase64(new Uint8Array(await new Response(stream).arrayBuffer()));
}

/** Why a carried file could not be read back: not what carryFile wrote. */
export class CarriedFileError extends Error {}

/** A carried file larger than the limit once expanded. */
export class CarriedFileTooLarge extends CarriedFileError {}

/**
 * The file carryFile encoded, expanded to at most `maxBytes` (a form is the client's to change: a
 * few kilobytes of gzip can expand to gigabytes, so expanding stops at the limit).
 */
export async function carriedFile(text: string, maxBytes: number): Promise<Uint8Array> {
  let packed: Uint8Array;
  try {
    packed = base64ToBytes(text);
  } catch {
    throw new CarriedFileError("not base64");
  }
  const reader = new Blob([packed as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip")).getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new CarriedFileTooLarge(`larger than ${maxBytes} bytes`);
      }
      parts.push(value);
    }
  } catch (e) {
    throw e instanceof CarriedFileError ? e : new CarriedFileError("not gzip");
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return bytes;
}

/**
 * The file a form carried back: `gzip` as carryFile wrote it, or `base64` as pages before
 * compressed carrying held it (a page still open across an upgrade); null when the form carries neither.
 * Throws CarriedFileTooLarge above `maxBytes`, CarriedFileError when damaged.
 */
export async function fileFromForm(gzip: unknown, base64: unknown, maxBytes: number): Promise<Uint8Array | null> {
  if (typeof gzip === "string" && gzip.trim()) return carriedFile(gzip.trim(), maxBytes);
  if (typeof base64 !== "string" || !base64.trim()) return null;
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(base64.trim());
  } catch {
    throw new CarriedFileError("not base64");
  }
  if (bytes.length > maxBytes) throw new CarriedFileTooLarge(`larger than ${maxBytes} bytes`);
  return bytes;
}
