/*
 * Base64 with the web platform's btoa/atob only, so the same code runs on Workers (workerd without
 * Node compatibility) as well as Node (no Buffer). Chunked, because String.fromCharCode(...bytes)
 * overflows the stack on big files. The one encoder of the project: the pages carry files in
 * forms with it, cursors and ETags use its URL-safe form.
 */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
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
