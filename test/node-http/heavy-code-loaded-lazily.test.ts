import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { PROJECT } from "../support/service";

/**
 * exceljs and unzipper (~30 MB of a thread's memory) and pinyin-pro (~18 MB) serve workbooks and
 * imports of prices only: a server whose threads never read or write a workbook, or never import,
 * must not pay for them at start. A thread's entries are imported in a fresh process that records,
 * through a module resolution hook, which of these packages Node loads; then the code that needs each
 * is run (the same hook sees pinyin-pro and exceljs loaded at start on the code before).
 */
const HOOKS = `data:text/javascript,${encodeURIComponent(`
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const hit = /node_modules\\/(exceljs|unzipper|pinyin-pro)\\//.exec(resolved.url);
  if (hit) port.postMessage(hit[1]);
  return resolved;
}`)}`;

const PROBE = `
import { register } from "node:module";
import { MessageChannel } from "node:worker_threads";
const { port1, port2 } = new MessageChannel();
const seen = new Set();
port1.on("message", (name) => seen.add(name));
port1.unref();
register(${JSON.stringify(HOOKS)}, import.meta.url, { data: { port: port2 }, transferList: [port2] });
const settle = () => new Promise((r) => setTimeout(r, 100));
for (const entry of process.env.ENTRIES.split(",")) await import(entry);
await settle();
const atStart = [...seen].sort();
const { writeXlsx } = await import("./src/export/xlsx-writer.ts");
const rows = (async function* () { yield ["阿托伐他汀钙片", 0.1]; })();
const stream = writeXlsx([{ name: "价格", columns: [{ header: "通用名", kind: "text" }, { header: "单价", kind: "price" }], rows }]);
const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
const { loadSearchKeys } = await import("./src/domain/search-keys.ts");
const initials = (await loadSearchKeys())("阿托伐他汀钙片").nameInitials;
await settle();
console.log(JSON.stringify({ atStart, afterUse: [...seen].sort(), zip: String.fromCharCode(bytes[0], bytes[1]), initials }));
`;

function probe(entries: string[]): { atStart: string[]; afterUse: string[]; zip: string; initials: string } {
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", PROBE], {
    cwd: PROJECT,
    env: { ...process.env, ENTRIES: entries.map((e) => `./${e}`).join(",") },
    encoding: "utf8",
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

describe("workbook and pinyin code is loaded on first use, not when a server's threads start", () => {
  it.each([
    ["the server's own thread (its app, services, routes and imports)", ["src/app.ts", "src/cli/node-deps.ts"]],
    ["a read thread (searches, price checks)", ["src/node-http/read-calls.ts"]],
  ])("%s", (_, entries) => {
    const { atStart, afterUse, zip, initials } = probe(entries);
    expect(atStart).toEqual([]);
    expect(afterUse).toEqual(["exceljs", "pinyin-pro"]);
    expect(zip).toBe("PK");
    expect(initials).toBe("atfttgp");
  });
});
