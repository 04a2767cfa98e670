import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { etagFromDigest, webSha256 } from "../../src/middleware/cache";

const nodeSha256 = (body: Uint8Array) => createHash("sha256").update(body).digest();

describe("an answer's ETag", () => {
  it("is the same whether Node (node:crypto) or Workers (Web Crypto) hash the body, so caches and clients agree across runtimes", async () => {
    const bodies = ["", "{}", JSON.stringify({ data: [{ genericName: "阿莫西林", unitPrice: "0.1234" }] }), "x".repeat(300_000)].map((t) =>
      new TextEncoder().encode(t),
    );
    for (const body of bodies) expect(etagFromDigest(nodeSha256(body))).toBe(etagFromDigest(await webSha256(body)));
    // A known answer: SHA-256 of the empty body starts e3b0c442 98fc1c14 9afbf4c8 996fb924.
    expect(etagFromDigest(nodeSha256(new Uint8Array()))).toBe('W/"47DEQpj8HBSa-_TImW-5JA"');
  });
});
