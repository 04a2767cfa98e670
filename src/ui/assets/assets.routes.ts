import { Hono } from "hono";
import type { AppEnv } from "../../context";
import { DOCS_INIT_JS } from "./docs-init";
import { STYLES } from "./styles";
import { TYPEAHEAD_JS } from "./typeahead";

const ASSETS: Record<string, { body: string; type: string }> = {
  "app.css": { body: STYLES, type: "text/css; charset=utf-8" },
  "typeahead.js": { body: TYPEAHEAD_JS, type: "text/javascript; charset=utf-8" },
  "docs.js": { body: DOCS_INIT_JS, type: "text/javascript; charset=utf-8" },
};

/** A short content hash, so an asset URL changes whenever its text does and can be cached for a year. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

const VERSIONS = Object.fromEntries(Object.entries(ASSETS).map(([name, a]) => [name, fingerprint(a.body)]));

export function assetUrl(name: keyof typeof ASSETS & string): string {
  return `/ui/${name}?v=${VERSIONS[name] ?? "0"}`;
}

/** The stylesheet and the small scripts, as static strings: there is no front-end build step. */
export const assetsRouter = new Hono<AppEnv>();

/** A browser library's static build (the API reference viewer), when this runtime has it. */
assetsRouter.get("/ui/vendor/:name", async (c) => {
  const vendor = c.get("deps").vendorAssets;
  const body = vendor ? await vendor.read(c.req.param("name")) : null;
  if (!vendor || !body) return c.notFound();
  c.header("Content-Type", "text/javascript; charset=utf-8");
  c.header("Cache-Control", c.req.query("v") === vendor.version ? "public, max-age=31536000, immutable" : "public, max-age=300");
  return c.body(body as Uint8Array<ArrayBuffer>);
});

assetsRouter.get("/ui/:name", (c) => {
  const name = c.req.param("name");
  const asset = ASSETS[name];
  if (!asset) return c.notFound();
  const fresh = c.req.query("v") === VERSIONS[name];
  c.header("Content-Type", asset.type);
  c.header("Cache-Control", fresh ? "public, max-age=31536000, immutable" : "public, max-age=300");
  return c.body(asset.body);
});
