export type TextEncodingName = "utf-8" | "gb18030";
export type Decoded = { text: string; encoding: TextEncodingName };

export class DecodeError extends Error {}

/**
 * Decodes a CSV file without asking the user for its encoding: UTF-8 (with or without BOM) when
 * the bytes are valid UTF-8, otherwise GB18030, which is what Excel writes on Chinese Windows.
 */
export function decodeCsvBytes(bytes: Uint8Array): Decoded {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: decodeStrict(bytes.subarray(3), "utf-8"), encoding: "utf-8" };
  }
  if (looksBinary(bytes)) {
    throw new DecodeError("the file is not text (it contains NUL bytes); save the spreadsheet as CSV and upload that");
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: decodeStrict(bytes, "gb18030"), encoding: "gb18030" };
  }
}

function decodeStrict(bytes: Uint8Array, label: TextEncodingName): string {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    throw new DecodeError(`the file is neither valid UTF-8 nor valid GB18030; save it from Excel as "CSV UTF-8" and try again`);
  }
}

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}
