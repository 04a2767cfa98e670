/**
 * Who is asking, as a key for rate limits. Never a header a client can set: on Node the socket's
 * address, unless TRUST_PROXY names the header that the reverse proxy in front sets (then that
 * header's last entry, the one the proxy itself appended). On Workers `CF-Connecting-IP`, which
 * Cloudflare sets and overwrites on every request. IPv6 clients are keyed by their /64, since one
 * host usually holds a whole /64 and could otherwise rotate through it.
 */
export function clientAddress(req: Request, env: unknown, { trustProxy, onWorkers }: { trustProxy?: string; onWorkers: boolean }): string {
  if (onWorkers) return networkKey(req.headers.get("cf-connecting-ip") ?? "unknown");
  if (trustProxy) {
    const value = req.headers.get(trustProxy);
    const last = value?.split(",").at(-1)?.trim();
    if (last) return networkKey(last);
  }
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return networkKey(incoming?.socket?.remoteAddress ?? "unknown");
}

/** An IPv4 address as it is (IPv4-mapped IPv6 unwrapped); an IPv6 address as its /64 prefix. */
export function networkKey(address: string): string {
  const a = address
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return mapped[1]!;
  if (!a.includes(":")) return a.slice(0, 64);
  const [head = "", tail = ""] = a.split("%")[0]!.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = a.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => (g.replace(/^0+/, "") || "0").slice(0, 4))
    .join(":")}::/64`;
}
