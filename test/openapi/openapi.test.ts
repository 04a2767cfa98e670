import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pagesRouter } from "../../src/ui/pages.index";
import { createTestWorld, type TestWorld } from "../support/test-db";
import { openApi31Problems } from "./openapi-structure";

/** Routes that answer people (HTML pages, assets, the docs page) or serve the document itself. */
const NOT_API = new Set([...pagesRouter.routes.map((r) => `${r.method} ${r.path}`), "GET /openapi.json", "GET /docs", "GET /docs/openapi.json"]);

/** Hono writes path parameters as :id, OpenAPI as {id}. */
const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");

describe("the OpenAPI document", () => {
  let world: TestWorld;
  let doc: any;
  beforeAll(async () => {
    world = await createTestWorld();
    // The document itself, not an API answer: a plain request.
    const res = await world.app.request("/openapi.json");
    expect(res.status).toBe(200);
    doc = await res.json();
  });
  afterAll(() => world.close());

  it("is a structurally valid OpenAPI 3.1 document", () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(openApi31Problems(doc)).toEqual([]);
  });

  it("the structural check catches what a validator would reject", () => {
    const broken = structuredClone(doc);
    broken.openapi = "3.0.3";
    const someOp = Object.values(broken.paths as Record<string, Record<string, any>>)[0]!;
    const op = Object.values(someOp)[0];
    op.responses = {};
    broken.paths["/api/v1/broken/{id}"] = {
      get: { responses: { 200: { description: "x", content: { "application/json": { schema: { $ref: "#/components/schemas/Nope", nullable: true } } } } } },
    };
    const problems = openApi31Problems(broken).join("\n");
    expect(problems).toContain("must be 3.1.x");
    expect(problems).toContain("at least one response");
    expect(problems).toContain("{id} is not declared");
    expect(problems).toContain("does not resolve");
    expect(problems).toContain("`nullable` is OpenAPI 3.0");
  });

  it("describes every API route the app serves", () => {
    const apiRoutes = world.app.routes
      .filter((r) => r.method !== "ALL" && !NOT_API.has(`${r.method} ${r.path}`))
      .map((r) => ({ method: r.method.toLowerCase(), path: toOpenApiPath(r.path) }));
    expect(apiRoutes.length).toBeGreaterThan(5);
    const missing = apiRoutes.filter((r) => !doc.paths[r.path]?.[r.method]).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(missing).toEqual([]);
    for (const path of ["/health", "/api/v1/prices", "/api/v1/prices/{id}", "/api/v1/products/{id}", "/api/v1/batches", "/api/v1/imports"]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });

  it("serves the whole reference on /docs without any script, for intranets without internet", async () => {
    const doc = await (await world.app.request("/openapi.json")).json();
    const html = await (await world.app.request("/docs")).text();
    const text = html
      .replace(/<[^>]+>/g, " ")
      .replace(/&amp;/g, "&")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&#39;/g, "'")
      .replace(/\s+/g, " ");
    for (const [path, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
      for (const method of Object.keys(item)) expect(text, `${method} ${path}`).toContain(`${method.toUpperCase()} ${path}`);
    }
    // Parameters with their place, whether required, type and description; answers; the token.
    expect(text).toMatch(/minDiscount 查询参数 否 number/);
    expect(text).toContain("Chinese name, 拼音码, English name, firm or code");
    expect(text).toMatch(/404 [^ ]/);
    expect(text).toContain("Authorization: Bearer <ADMIN_TOKEN>");
    // A request to copy: this server's own address, with the documented example.
    expect(text).toContain(`curl 'http://localhost/api/v1/prices?q=${encodeURIComponent("阿托伐他汀")}'`);
  });

  it("serves the interactive reference on /docs from this server alone, built from the same document", async () => {
    const res = await world.app.request("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain('href="/openapi.json"');
    // The viewer's static build comes from this server (bundled from npm), never a CDN.
    const viewer = html.match(/<script src="(\/ui\/vendor\/scalar\.js\?v=[^"]+)"/)?.[1];
    expect(viewer).toBeDefined();
    const bundle = await world.app.request(viewer!);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("cache-control")).toContain("immutable");
    expect((await bundle.text()).length).toBeGreaterThan(1_000_000);
    const init = html.match(/<script src="(\/ui\/docs\.js\?v=[^"]+)"/)?.[1];
    expect(init).toBeDefined();
    const script = await (await world.app.request(init!)).text();
    expect(script).toContain('createApiReference("#scalar"');
    expect(script).toContain('url: "/docs/openapi.json"');
    // Nothing on the page may come from another host.
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self';");
    expect(res.headers.get("content-security-policy")).not.toContain("https:");
    expect((await world.app.request("/")).headers.get("content-security-policy")).toContain("script-src 'self';");
  });
});
