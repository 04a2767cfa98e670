import { createServer, maxHeaderSize } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { ErrorCode } from "../errors";
import { Connections } from "./connections";
import { withRawUtf8Urls } from "./raw-utf8-urls";

export type RunningServer = {
  port: number;
  /** Requests whose response has not been written yet. */
  requestsInFlight: () => number;
  /**
   * Stops accepting connections, lets the requests in flight finish (each answered with
   * `Connection: close`) and closes idle connections; resolves once no connection is open.
   */
  drain: () => Promise<void>;
  /** Drops the connections of requests still running (see Connections.cancelRunning); returns how many. */
  cancelRunning: () => number;
  /** Stops accepting and drops every connection now: requests still running lose their client. */
  destroy: () => void;
  /** Stops at once (destroy) and resolves when the listening socket is closed. */
  close: () => Promise<void>;
};

/** How long a client may take to send its headers, and its whole request with the body. */
export type RequestTimeouts = { headersTimeoutMs?: number; requestTimeoutMs?: number };

/** Serves a fetch handler on Node, accepting raw UTF-8 in request lines (see raw-utf8-urls). */
export function serveFetch(
  fetch: (req: Request) => Response | Promise<Response>,
  port: number,
  hostname: string,
  { headersTimeoutMs = 10_000, requestTimeoutMs = 120_000 }: RequestTimeouts = {},
): Promise<RunningServer> {
  const connections = new Connections();
  const listener = getRequestListener(fetch);
  // A client that sends its headers or body slowly (1 MB declared, 10 bytes sent) is cut off with
  // 408 once its time is up; Node checks every connection each second instead of every 30 s.
  const http = createServer(
    { headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, headersTimeoutMs) },
    (req, res) => {
      connections.request(req, res);
      return listener(req, res);
    },
  );
  http.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const timedOut = err.code === "ERR_HTTP_REQUEST_TIMEOUT";
    // Node's parser stops at 16 KB of request line and headers: a URL carrying a pasted page of text, not a malformed one.
    const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
    const status = timedOut ? "408 Request Timeout" : tooLarge ? "431 Request Header Fields Too Large" : "400 Bad Request";
    const error = timedOut
      ? {
          code: "request_timeout" satisfies ErrorCode,
          message: `the request did not arrive in time (headers within ${headersTimeoutMs / 1000} s, the whole body within ${requestTimeoutMs / 1000} s)`,
        }
      : tooLarge
        ? {
            code: "bad_request" satisfies ErrorCode,
            message: `the request line and headers are larger than ${maxHeaderSize / 1024} KB; shorten the URL`,
          }
        : { code: "bad_request" satisfies ErrorCode, message: "malformed HTTP request; percent-encode non-ASCII characters in the URL" };
    const body = JSON.stringify({ error: { ...error, requestId: "" } });
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  const front = withRawUtf8Urls(http, { firstLineTimeoutMs: headersTimeoutMs, connections });
  let closed: Promise<void> | undefined;
  const stopAccepting = () => (closed ??= new Promise<void>((done) => front.close(() => done())));
  return new Promise((resolve, reject) => {
    front.once("error", reject);
    front.listen(port, hostname, () => {
      // The HTTP server gets its sockets from the front and never listens itself, so it would not
      // start tracking connections (Node does that on "listening"): no header or request
      // timeouts, and closeAllConnections() would find nothing to close.
      http.emit("listening");
      resolve({
        port: (front.address() as AddressInfo).port,
        requestsInFlight: () => connections.requestsInFlight,
        drain: () => {
          void stopAccepting();
          return connections.drain();
        },
        cancelRunning: () => connections.cancelRunning(),
        destroy: () => {
          void stopAccepting();
          connections.destroyAll();
        },
        close: () => {
          const done = stopAccepting();
          connections.destroyAll();
          return done;
        },
      });
    });
  });
}
