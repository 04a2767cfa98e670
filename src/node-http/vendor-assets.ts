import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { VendorAssets } from "../context";

const require = createRequire(import.meta.url);

/**
 * Static builds of browser libraries the pages serve from this server (never a CDN), read from
 * node_modules on first use and kept in memory: Scalar's API reference viewer for /docs
 * (@scalar/api-reference's standalone script, about 4 MB). Workers bundles stay without it.
 */
export function nodeVendorAssets(): VendorAssets | undefined {
  let scalarPath: string;
  let version: string;
  try {
    // The package exports its stylesheet, not its browser build: find the build beside it.
    const dist = dirname(require.resolve("@scalar/api-reference/style.css"));
    scalarPath = join(dist, "browser", "standalone.js");
    version = (JSON.parse(readFileSync(join(dist, "..", "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return undefined;
  }
  let scalar: Promise<Uint8Array> | undefined;
  return {
    version,
    async read(name) {
      if (name !== "scalar.js") return null;
      scalar ??= readFile(scalarPath).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
      return scalar;
    },
  };
}
