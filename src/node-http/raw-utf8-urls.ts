import type { Server as HttpServer } from "node:http";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import type { Connections } from "./connections";

const MAX_REQUEST_LINE = 16 * 1024;

/**
 * Percent-encodes raw non-ASCII bytes in an HTTP request line. Node's parser rejects
 * `GET /api/v1/prices?q=阿托伐他汀` with 400, yet that is exactly what a pharmacist pastes into
 * curl; browsers already encode, so only hand-typed requests take this path.
 */
export function encodeRequestLine(head: Buffer): Buffer {
  const eol = head.indexOf("\r\n");
  const lineEnd = eol < 0 ? head.length : eol;
  let needs = false;
  for (let i = 0; i < lineEnd; i++) if (head[i]! >= 0x80) needs = true;
  if (!needs) return head;
  let line = "";
  for (let i = 0; i < lineEnd; i++) {
    const b = head[i]!;
    line += b >= 0x80 ? `%${b.toString(16).toUpperCase().padStart(2, "0")}` : String.fromCharCode(b);
  }
  return Buffer.concat([Buffer.from(line, "latin1"), head.subarray(lineEnd)]);
}

/**
 * A TCP front for an HTTP server that repairs the first request line of each connection before
 * Node's parser sees it. Later requests on a kept-alive connection pass through untouched.
 */
export function withRawUtf8Urls(
  http: HttpServer,
  { firstLineTimeoutMs = 10_000, connections }: { firstLineTimeoutMs?: number; connections?: Connections } = {},
): NetServer {
  return createNetServer({ pauseOnConnect: true }, (socket: Socket) => {
    connections?.add(socket);
    let head = Buffer.alloc(0);
    // A client that never finishes its request line would otherwise hold the socket here forever,
    // before Node's own header timeout starts.
    const timer = setTimeout(() => socket.destroy(), firstLineTimeoutMs);
    timer.unref?.();
    const handOver = () => {
      clearTimeout(timer);
      socket.off("readable", onReadable);
      socket.off("end", handOver);
      if (head.length) socket.unshift(encodeRequestLine(head));
      connections?.handedOver(socket);
      // Node's HTTP server feeds a fresh socket's bytes to its parser natively; on a socket already
      // read here that path never stops reading when a request body is not taken as fast as it
      // arrives, so a slow reader got the whole body in memory (231 of a 238 MB upload spooled to
      // disk). Marked as consumed, the socket is read through its stream, which pauses.
      // as unknown as: the handle and its flag are net.Socket's internals, absent from its type.
      const handle = (socket as unknown as { _handle?: { _consumed?: boolean } | null })._handle;
      if (handle) handle._consumed = true;
      http.emit("connection", socket);
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      while ((chunk = socket.read() as Buffer | null) !== null) head = Buffer.concat([head, chunk]);
      if (head.length) connections?.arrivingOn(socket);
      if (head.indexOf("\r\n") >= 0 || head.length >= MAX_REQUEST_LINE) handOver();
    };
    socket.on("readable", onReadable);
    socket.on("end", handOver);
    socket.on("error", () => socket.destroy());
    socket.on("close", () => clearTimeout(timer));
  });
}
