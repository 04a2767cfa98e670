import type { ResponseCache } from "../context";

type Entry = { body: Uint8Array<ArrayBuffer>; status: number; headers: Array<[string, string]> };

/**
 * A bounded in-memory response cache for the Node server, the counterpart of the Workers Cache
 * API. Keys carry the data version, so an import makes every older entry unreachable and those
 * entries simply age out; the least recently used ones go first when the byte budget is full.
 */
export class MemoryResponseCache implements ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  async match(request: Request): Promise<Response | undefined> {
    const entry = this.entries.get(request.url);
    if (!entry) return undefined;
    // Re-insert to mark it most recently used (a Map iterates in insertion order).
    this.entries.delete(request.url);
    this.entries.set(request.url, entry);
    // Handed out as is: nothing writes to a response body, and @hono/node-server writes a
    // Uint8Array body to the socket in one call, without a stream.
    return new Response(entry.body, { status: entry.status, headers: entry.headers });
  }

  async put(request: Request, response: Response): Promise<void> {
    const body = new Uint8Array(await response.arrayBuffer());
    if (body.byteLength > this.maxBytes / 8) return; // one huge answer must not evict everything
    this.remove(request.url);
    this.entries.set(request.url, { body, status: response.status, headers: [...response.headers] });
    this.bytes += body.byteLength;
    for (const key of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(key);
    }
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private remove(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= old.body.byteLength;
  }
}
