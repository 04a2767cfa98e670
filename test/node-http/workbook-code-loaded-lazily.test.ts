import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { PROJECT } from "../support/service";

/**
 * exceljs and unzipper take ~30 MB of each thread's memory (the server's own, two read threads, the
 * import thread): a server that never reads or writes a workbook must not pay for them at start.
 * Each entry is imported in a fresh process, which then counts the packages' files Node has loaded.
 */
const PROBE = `
import { createRequire } from "node:module";
const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((k) => /node_modules\\/(exceljs|unzipper)\\//.test(k)).length;
await import(process.env.ENTRY);
const atStart = loaded();
const { writeXlsx } = await import("./src/export/xlsx-writer.ts");
const rows = (async function* () { yield ["阿托伐他汀钙片", 0.1]; })();
const stream = writeXlsx([{ name: "价格", columns: [{ header: "通用名", kind: "text" }, { header: "单价", kind: "price" }], rows }]);
const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
console.log(JSON.stringify({ atStart, afterWorkbook: loaded(), zip: String.fromCharCode(bytes[0], bytes[1]) }));
`;

function probe(entry: string): { atStart: number; afterWorkbook: number; zip: string } {
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", PROBE], {
    cwd: PROJECT,
    env: { ...process.env, ENTRY: `./${entry}` },
    encoding: "utf8",
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

describe("the workbook code is loaded on the first workbook, not when a server starts", () => {
  it.each([
    ["the server's own thread (its services and routes)", "src/cli/node-deps.ts"],
    ["a read thread (searches, price checks)", "src/node-http/read-calls.ts"],
  ])("%s", (_, entry) => {
    const { atStart, afterWorkbook, zip } = probe(entry);
    expect(atStart).toBe(0);
    expect(afterWorkbook).toBeGreaterThan(0);
    expect(zip).toBe("PK");
  });
});
