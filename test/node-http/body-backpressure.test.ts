import type { IncomingMessage } from "node:http";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, serveFetch } from "../../src/node-http/serve";

/**
 * A request body the handler does not take at once (an import waiting for its turn, a disk slower
 * than the network) must wait in the client and the kernel, not in the server's memory. The server's
 * front (raw UTF-8 request lines) reads each connection's first bytes itself; Node's parser then
 * read on regardless of the handler, and the whole body piled up in the request: 231 MB of a 238 MB
 * upload, before the import read a row.
 */
const BODY = 32 << 20;
let server: RunningServer;
const seen = { mostBuffered: 0, received: 0 };

beforeAll(async () => {
  server = await serveFetch(
    // @hono/node-server hands a fetch handler the Node request too, as the app's spooler reads it.
    async (req: Request, env?: { incoming?: IncomingMessage }) => {
      const incoming = env?.incoming;
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 20));
        seen.mostBuffered = Math.max(seen.mostBuffered, incoming?.readableLength ?? Number.NaN);
      }
      const reader = req.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        seen.received += value.byteLength;
      }
      return new Response("ok");
    },
    0,
    "127.0.0.1",
  );
});
afterAll(() => server.close());

function post(port: number, bytes: number): Promise<number> {
  return new Promise((done, fail) => {
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/upload", headers: { "content-length": String(bytes) } }, (res) => {
      res.resume();
      res.on("end", () => done(res.statusCode ?? 0));
    });
    req.on("error", fail);
    const chunk = Buffer.alloc(1 << 20, 0x61);
    let left = bytes;
    const write = () => {
      while (left > 0) {
        left -= chunk.length;
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
}

describe("a request body the handler reads late", () => {
  it("waits in the connection, not in the server's memory, and then arrives whole", async () => {
    expect(await post(server.port, BODY)).toBe(200);
    expect(seen.received).toBe(BODY);
    // A few socket reads at most (16 KB each, and what came with the headers), not the 32 MB.
    expect(seen.mostBuffered).toBeLessThan(1 << 20);
  });
});
