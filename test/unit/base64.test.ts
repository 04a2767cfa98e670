import { describe, expect, it } from "vitest";
import { base64ToBytes, base64UrlToBytes, bytesToBase64, bytesToBase64Url } from "../../src/base64";

/** Bytes of every value, in an order that is not a pattern. */
const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => ((i * 7919 + seed * 104729) % 251) ^ (i >> 3));

describe("base64, as the pages carry files and cursors", () => {
  it("encodes as RFC 4648 does (Node's Buffer), for every length of the last group", () => {
    for (let n = 0; n <= 300; n++) {
      const b = bytes(n, n);
      expect(bytesToBase64(b), `${n} bytes`).toBe(Buffer.from(b).toString("base64"));
      expect(bytesToBase64Url(b), `${n} bytes`).toBe(Buffer.from(b).toString("base64url"));
    }
  });

  it("round-trips a purchase list of 1.6 MB, GB18030 bytes and all", () => {
    const list = bytes(1_600_003);
    const text = bytesToBase64(list);
    expect(text).toBe(Buffer.from(list).toString("base64"));
    // (compared as Buffers: toEqual walks 1.6 million elements one by one)
    expect(Buffer.from(base64ToBytes(text)).equals(list)).toBe(true);
    expect(Buffer.from(base64UrlToBytes(bytesToBase64Url(list))).equals(list)).toBe(true);
  });

  it("refuses text that is not base64", () => {
    expect(() => base64ToBytes("不是base64")).toThrow();
  });
});
