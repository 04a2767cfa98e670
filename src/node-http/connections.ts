import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * Every open connection of the Node server and the requests in flight on each, so that a stop can
 * let running requests finish while idle keep-alive connections are closed at once. Kept here
 * rather than asked of node:http because the server's sockets come through the raw-UTF-8 front
 * (raw-utf8-urls.ts), and node:http only tracks connections of a server that listens itself.
 */
export class Connections {
  /** requests in flight per open socket */
  private readonly requests = new Map<Socket, number>();
  /** sockets whose first request line is still arriving at the front */
  private readonly arriving = new Set<Socket>();
  private readonly responses = new Set<ServerResponse>();
  private draining = false;
  private onEmpty: (() => void) | null = null;

  /** A socket accepted by the front. */
  add(socket: Socket): void {
    this.requests.set(socket, 0);
    socket.once("close", () => {
      this.requests.delete(socket);
      this.arriving.delete(socket);
      this.checkEmpty();
    });
  }

  /** Bytes of a first request line have come in; the request is on its way. */
  arrivingOn(socket: Socket): void {
    if (!socket.destroyed) this.arriving.add(socket);
  }

  /** The front handed the socket over to node:http. */
  handedOver(socket: Socket): void {
    this.arriving.delete(socket);
  }

  /** Called for every request before the app sees it. */
  request(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    this.requests.set(socket, (this.requests.get(socket) ?? 0) + 1);
    this.responses.add(res);
    if (this.draining) res.setHeader("Connection", "close");
    res.once("close", () => {
      this.responses.delete(res);
      const left = (this.requests.get(socket) ?? 1) - 1;
      if (!this.requests.has(socket)) return;
      this.requests.set(socket, left);
      // The response is written; a connection kept alive for a next request is closed instead.
      if (this.draining && left === 0) setImmediate(() => this.endIfIdle(socket));
    });
  }

  get requestsInFlight(): number {
    return this.responses.size;
  }

  /**
   * Lets the requests in flight finish, answering each with `Connection: close`, and closes every
   * idle connection now and every busy one after its last response. Resolves when none is open.
   */
  drain(): Promise<void> {
    this.draining = true;
    for (const res of this.responses) if (!res.headersSent) res.setHeader("Connection", "close");
    for (const socket of this.requests.keys()) this.endIfIdle(socket);
    return new Promise((resolve) => {
      this.onEmpty = resolve;
      this.checkEmpty();
    });
  }

  /**
   * Drops the connections of requests still running; a response already complete (its handler
   * ended it, its bytes may still be on the way) keeps its connection to finish sending. Returns
   * how many requests were cancelled.
   */
  cancelRunning(): number {
    let cancelled = 0;
    for (const res of this.responses) {
      if (res.writableEnded) continue;
      cancelled++;
      res.socket?.destroy();
    }
    return cancelled;
  }

  /** Drops every connection at once; requests still running see their client gone. */
  destroyAll(): void {
    for (const socket of this.requests.keys()) socket.destroy();
  }

  private endIfIdle(socket: Socket): void {
    if (this.requests.get(socket) !== 0 || this.arriving.has(socket)) return;
    // Once the last response has left (end's callback), without waiting for the client's FIN.
    socket.end(() => socket.destroy());
  }

  private checkEmpty(): void {
    if (this.onEmpty && this.requests.size === 0) {
      this.onEmpty();
      this.onEmpty = null;
    }
  }
}
