/*
 * Base64 with the web platform only (no Buffer), so the same code runs on Workers (workerd without
 * Node compatibility) as well as Node. The one encoder of the project: the pages carry files in
 * forms with it, cursors and ETags use its URL-safe form.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGITS = new TextEncoder().encode(ALPHABET);
const PAD = 0x3d; // "="
// The digits are ASCII, which every runtime's UTF-8 decoder reads on its fastest path.
const ascii = new TextDecoder();

/**
 * By table into bytes, decoded once as text: the price-check page carries a list of 1.6 MB in its
 * form, which String.fromCharCode in chunks and btoa took 270–300 ms of the event loop to encode
 * (this, 15–35 ms; base64-js 66–90, js-base64 48–62).
 */
export function bytesToBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = DIGITS[n >> 18]!;
    out[o++] = DIGITS[(n >> 12) & 63]!;
    out[o++] = DIGITS[(n >> 6) & 63]!;
    out[o++] = DIGITS[n & 63]!;
  }
  if (i < bytes.length) {
    const two = i + 1 < bytes.length;
    const n = (bytes[i]! << 16) | (two ? bytes[i + 1]! << 8 : 0);
    out[o++] = DIGITS[n >> 18]!;
    out[o++] = DIGITS[(n >> 12) & 63]!;
    out[o++] = two ? DIGITS[(n >> 6) & 63]! : PAD;
    out[o++] = PAD;
  }
  return ascii.decode(out);
}

/** Decodes base64; throws on text that is not base64. */
export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** base64url (RFC 4648 §5) without padding: safe in URLs and header values. */
export function bytesToBase64Url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes base64url, padded or not; throws on text that is not base64url. */
export function base64UrlToBytes(text: string): Uint8Array {
  return base64ToBytes(text.replace(/-/g, "+").replace(/_/g, "/"));
}
