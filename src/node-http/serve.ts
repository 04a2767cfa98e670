import { getRequestListener } from "@hono/node-server";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { withRawUtf8Urls } from "./raw-utf8-urls";

export type RunningServer = { port: number; close: () => Promise<void> };

/** Serves a fetch handler on Node, accepting raw UTF-8 in request lines (see raw-utf8-urls). */
export function serveFetch(fetch: (req: Request) => Response | Promise<Response>, port: number, hostname: string): Promise<RunningServer> {
  const http = createServer(getRequestListener(fetch));
  http.on("clientError", (_err, socket) => {
    if (!socket.writable) return socket.destroy();
    const body = JSON.stringify({ error: { code: "bad_request", message: "malformed HTTP request; percent-encode non-ASCII characters in the URL", requestId: "" } });
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  const front = withRawUtf8Urls(http);
  return new Promise((resolve, reject) => {
    front.once("error", reject);
    front.listen(port, hostname, () => {
      resolve({
        port: (front.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            front.close(() => done());
            http.closeAllConnections();
          }),
      });
    });
  });
}
