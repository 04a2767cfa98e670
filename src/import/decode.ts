export type TextEncodingName = "utf-8" | "gb18030";
export type Decoded = { text: string; encoding: TextEncodingName };

export class DecodeError extends Error {}

/** How much of the start of a file the encoding is guessed from (the rest is checked while decoding). */
export const SNIFF_BYTES = 64 * 1024;

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export type Detected = { encoding: TextEncodingName; bom: boolean };

/**
 * Guesses the encoding of a CSV file from its first bytes, without asking the user: UTF-8 when
 * they are valid UTF-8 (with or without BOM), otherwise GB18030, which is what Excel writes on
 * Chinese Windows. Files that are not text at all are refused with a message saying what they are.
 */
export function detectEncoding(head: Uint8Array): Detected {
  if (startsWith(head, UTF8_BOM)) return { encoding: "utf-8", bom: true };
  const unicode = unicodeByBom(head);
  if (unicode) throw new DecodeError(`the file is ${unicode}; ${SAVE_AS_UTF8}`);
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) {
    throw new DecodeError(`the file is an Excel workbook (.xlsx/.xls), not CSV; in Excel use "Save As" → "CSV UTF-8" and upload that`);
  }
  const n = Math.min(head.length, SNIFF_BYTES);
  for (let i = 0; i < n; i++) {
    if (head[i] !== 0) continue;
    const wide = wideWithoutBom(head.subarray(0, n));
    if (wide) throw new DecodeError(`the file looks like ${wide} without a byte order mark; ${SAVE_AS_UTF8}`);
    throw new DecodeError("the file is not text (it contains NUL bytes); save the spreadsheet as CSV and upload that");
  }
  return { encoding: isUtf8Prefix(head.subarray(0, n)) ? "utf-8" : "gb18030", bom: false };
}

/** Decodes a whole file held in memory (small files, tests, other callers that have the bytes). */
export function decodeCsvBytes(bytes: Uint8Array): Decoded {
  const detected = detectEncoding(bytes);
  const body = detected.bom ? bytes.subarray(3) : bytes;
  if (detected.encoding === "utf-8") {
    try {
      return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body), encoding: "utf-8" };
    } catch {
      if (detected.bom) throw bomButNotUtf8(firstInvalidUtf8(body) + 3);
    }
  }
  try {
    // ignoreBOM: false is the default, stated because workerd's types require it.
    return { text: new TextDecoder("gb18030", { fatal: true, ignoreBOM: false }).decode(body), encoding: "gb18030" };
  } catch {
    throw neitherEncoding();
  }
}

/**
 * Decodes a stream of bytes chunk by chunk (a multi-byte character split between chunks is kept
 * whole), failing with a DecodeError as soon as the bytes are not valid in `encoding`.
 */
export async function* decodeChunks(chunks: AsyncIterable<Uint8Array>, detected: Detected): AsyncGenerator<string> {
  const decoder = new TextDecoder(detected.encoding, { fatal: true, ignoreBOM: false });
  let offset = 0;
  for await (const chunk of chunks) {
    try {
      const text = decoder.decode(chunk, { stream: true });
      if (text) yield text;
    } catch {
      throw failure(detected, offset, chunk);
    }
    offset += chunk.length;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw failure(detected, offset, new Uint8Array());
  }
}

/** A UTF-8 failure after the first bytes looked like UTF-8: worth retrying the file as GB18030. */
export class NotUtf8Error extends DecodeError {}

function failure(detected: Detected, offset: number, chunk: Uint8Array): DecodeError {
  if (detected.encoding === "gb18030") return neitherEncoding();
  if (detected.bom) return bomButNotUtf8(offset + Math.max(0, firstInvalidUtf8(chunk)));
  return new NotUtf8Error(`the file is not valid UTF-8 near byte ${offset}`);
}

const bomButNotUtf8 = (at: number) =>
  new DecodeError(
    `the file starts with a UTF-8 byte order mark but is not valid UTF-8 (first bad byte at offset ${at}); ` +
      `it was probably saved in another encoding (e.g. GB18030) with a wrong BOM; save it from Excel as "CSV UTF-8" and try again`,
  );

const neitherEncoding = () => new DecodeError(`the file is neither valid UTF-8 nor valid GB18030; save it from Excel as "CSV UTF-8" and try again`);

const SAVE_AS_UTF8 = `save it as UTF-8 and try again: in Excel "Save As" → "CSV UTF-8", or choose the UTF-8 encoding in your editor`;

/**
 * UTF-32 and UTF-16 named by their byte order mark. UTF-32 LE starts with UTF-16 LE's mark
 * (FF FE) followed by 00 00, so it is checked first.
 */
function unicodeByBom(head: Uint8Array): string | null {
  if (startsWith(head, [0xff, 0xfe, 0x00, 0x00])) return "UTF-32 (little-endian, by its byte order mark FF FE 00 00)";
  if (startsWith(head, [0x00, 0x00, 0xfe, 0xff])) return "UTF-32 (big-endian, by its byte order mark 00 00 FE FF)";
  if (startsWith(head, [0xff, 0xfe])) return `UTF-16 (little-endian, by its byte order mark FF FE; Excel's "Unicode Text")`;
  if (startsWith(head, [0xfe, 0xff])) return "UTF-16 (big-endian, by its byte order mark FE FF)";
  return null;
}

/** Text of ASCII letters in UTF-16 or UTF-32 has NUL bytes at fixed places in every 2 or 4 bytes. */
function wideWithoutBom(head: Uint8Array): string | null {
  const n = Math.min(head.length, 4096) & ~3;
  if (n < 8) return null;
  const zerosAt = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) if (head[i] === 0) zerosAt[i & 3]!++;
  const quarter = n / 4;
  const all = (k: number) => zerosAt[k]! >= quarter * 0.9;
  if (all(1) && all(2) && all(3)) return "UTF-32 (little-endian)";
  if (all(0) && all(1) && all(2)) return "UTF-32 (big-endian)";
  if (all(1) && all(3)) return "UTF-16 (little-endian)";
  if (all(0) && all(2)) return "UTF-16 (big-endian)";
  return null;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** True when the bytes are UTF-8, allowing a character cut off at the end of the sample. */
function isUtf8Prefix(bytes: Uint8Array): boolean {
  const bad = firstInvalidUtf8(bytes);
  return bad < 0 || (bad >= bytes.length - 3 && truncatedTail(bytes.subarray(bad)));
}

function truncatedTail(tail: Uint8Array): boolean {
  const lead = tail[0] ?? 0;
  const need = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 && lead < 0xe0 ? 2 : 0;
  return need > tail.length && [...tail.subarray(1)].every((b) => (b & 0xc0) === 0x80);
}

/** Offset of the first byte that starts an invalid UTF-8 sequence, or -1 when all are valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0 || i + need >= bytes.length) return i;
    const b1 = bytes[i + 1]!;
    if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 > 0x9f) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f)) return i;
    for (let k = 1; k <= need; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}
