import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadDemo } from "../../src/cli/demo";
import type { LogLine } from "../../src/middleware/request-context";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

type Operation = { method: string; path: string; params: string[]; query: string[] };

const RUNS = 12_000;

/** Every page a browser can ask for, with its path parameters: not in the OpenAPI document. */
const PAGES: Operation[] = [
  { method: "GET", path: "/", params: [], query: ["q", "batch", "region", "category", "level", "sort", "page", "cursor"] },
  { method: "GET", path: "/products/{id}", params: ["id"], query: ["region"] },
  { method: "GET", path: "/batches", params: [], query: [] },
  { method: "GET", path: "/batches/{id}", params: ["id"], query: ["region", "cursor"] },
  { method: "GET", path: "/savings", params: [], query: ["groupBy", "batch", "region", "from", "to"] },
  { method: "GET", path: "/price-check", params: [], query: [] },
  { method: "POST", path: "/price-check", params: [], query: [] },
  { method: "GET", path: "/price-check/template.csv", params: [], query: [] },
  { method: "GET", path: "/import", params: [], query: [] },
  { method: "POST", path: "/import", params: [], query: [] },
  { method: "GET", path: "/docs", params: [], query: [] },
  { method: "GET", path: "/ui/{name}", params: ["name"], query: [] },
];

// Strings users and attackers send: Unicode of every plane, SQL and FTS syntax, traversal, huge numbers.
const nasty = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "'; DROP TABLE prices; --",
    '" OR 1=1 --',
    "阿托伐他汀钙片(10mg)",
    "NEAR(a b)",
    "AND",
    "*",
    '"',
    "../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "%00",
    "1e309",
    "-0",
    "9999999999999999999999",
    "NaN",
    "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
    "\u202e\u0000\u001b[2J",
    "",
  ),
);

/** Percent-encoding that does not decode: cut short, not hex, an invalid UTF-8 sequence, overlong '/'. */
const badPercent = fc.constantFrom("%", "%E0%A4%A", "%zz", "%ff", "%c0%af", "%ED%A0%80", "a%2", "%%", "%u202e");

/** A value as it goes into a URL: mostly properly encoded, sometimes raw broken percent-encoding. */
const urlValue = fc.oneof(
  { weight: 4, arbitrary: nasty.map((v) => encodeURIComponent(v)) },
  { weight: 1, arbitrary: fc.tuple(nasty, badPercent).map(([v, bad]) => encodeURIComponent(v) + bad) },
);

const BOUNDARY = "fuzzBoundary0123";
const CSV_TEXT = fc.oneof(
  nasty,
  fc.constantFrom(
    "药品通用名,规格,生产企业,采购单价,采购数量\n阿托伐他汀钙片,10mg,甲公司,0.5,100\n",
    "batch,genericName,chosenPrice\nnational-drug-1,阿托伐他汀钙片,1.5\n",
    "code,name,level\n990001,测试区,province\n",
    "\ufeff\r\n\r\n\r\n",
  ),
);

type Body = { type?: string; body?: string | Uint8Array };

const multipart = (parts: Array<[string, string, string | null]>) =>
  parts
    .map(
      ([name, value, file]) =>
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${file === null ? "" : `; filename="${file}"`}\r\n\r\n${value}\r\n`,
    )
    .join("") + `--${BOUNDARY}--\r\n`;

/** Every kind of body a caller may send, right or wrong, under right and wrong media types. */
const body: fc.Arbitrary<Body> = fc.oneof(
  fc.constant({}),
  CSV_TEXT.map((b) => ({ type: "text/csv", body: b })),
  fc.tuple(CSV_TEXT, fc.boolean(), nasty).map(([csv, token, name]) => ({
    type: `multipart/form-data; boundary=${BOUNDARY}`,
    body: multipart([
      ...(token ? [["token", TEST_ADMIN_TOKEN, null] as [string, string, null]] : []),
      ["kind", "regions", null],
      ["dryRun", "1", null],
      ["file", csv, name.replace(/["\r\n]/g, "") || "a.csv"],
    ]),
  })),
  fc.tuple(CSV_TEXT, fc.integer({ min: 0, max: 200 })).map(([csv, cut]) => ({
    // Cut short, so the closing boundary (and maybe the part's headers) never arrive.
    type: `multipart/form-data; boundary=${BOUNDARY}`,
    body: multipart([["file", csv, "a.csv"]]).slice(0, cut),
  })),
  fc.constantFrom<Body>(
    { type: "multipart/form-data", body: "no boundary parameter" },
    { type: "multipart/form-data; boundary=", body: "--\r\n" },
    { type: `multipart/form-data; boundary=${BOUNDARY}`, body: `--other\r\nContent-Disposition: form-data; name="file"\r\n\r\nx\r\n--other--\r\n` },
    { type: `multipart/form-data; boundary=${BOUNDARY}`, body: `--${BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--${BOUNDARY}--\r\n` },
    { type: "application/json", body: '{"file": "x"' },
    { type: "application/json", body: "[]" },
    { type: "application/x-www-form-urlencoded", body: "token=%zz&file=%E0%A4%A" },
    { type: "application/xml", body: "<a/>" },
    { type: "image/png", body: "\x89PNG\r\n" },
    { type: "text/csv; charset=utf-16", body: "a,b\n" },
    { type: "garbage;;;===", body: "x" },
  ),
  fc.uint8Array({ maxLength: 300 }).map((b) => ({ type: "application/octet-stream", body: b })),
);

describe("fuzzing every route of the OpenAPI document and every page, bodies included", () => {
  let world: TestWorld;
  let operations: Operation[];
  const lines: LogLine[] = [];

  beforeAll(async () => {
    world = await createTestWorld({ log: (line) => lines.push(line) });
    await loadDemo(world.db, 300);
    const doc = await (await world.app.request("/openapi.json")).json();
    operations = [];
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const params = (op.parameters ?? []) as Array<{ name: string; in: string }>;
        operations.push({
          method: method.toUpperCase(),
          path,
          params: params.filter((p) => p.in === "path").map((p) => p.name),
          query: params.filter((p) => p.in === "query").map((p) => p.name),
        });
      }
    }
    expect(operations.length).toBeGreaterThanOrEqual(8);
    operations.push(...PAGES);
  }, 120_000);
  afterAll(() => world.close());

  it(`answers ${RUNS} hostile requests with no 500, no stack trace, SQL or file path, and one log line each`, async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const request = fc.record({
      op: fc.nat(),
      otherMethod: fc.option(fc.constantFrom("PUT", "PATCH", "DELETE", "POST", "GET", "HEAD", "OPTIONS"), { freq: 8 }),
      pathValue: urlValue,
      query: fc.array(fc.tuple(fc.nat({ max: 20 }), urlValue), { maxLength: 5 }),
      withToken: fc.boolean(),
      body,
    });
    let checked = 0;
    const seen = new Set<string>();
    try {
      await fc.assert(
        fc.asyncProperty(request, async ({ op, otherMethod, pathValue, query, withToken, body }) => {
          const operation = operations[op % operations.length]!;
          const method = otherMethod ?? operation.method;
          let path = operation.path;
          for (const name of operation.params) path = path.replace(`{${name}}`, pathValue);
          const names = operation.query;
          const search = query.map(([i, value]) => `${names.length ? names[i % names.length]! : `x${i}`}=${value}`).join("&");
          const headers: Record<string, string> = {};
          if (body.type) headers["content-type"] = body.type;
          if (withToken) headers.authorization = `Bearer ${TEST_ADMIN_TOKEN}`;
          const init: RequestInit = { method, headers };
          if (method !== "GET" && method !== "HEAD" && body.body !== undefined) init.body = body.body as BodyInit;
          const before = lines.length;
          const res = await world.app.request(`http://localhost${path}?${search}`, init);
          const text = await res.text();
          checked++;
          seen.add(`${operation.method} ${operation.path}`);
          expect(res.status, `${method} ${path}?${search} (${body.type}) → ${text.slice(0, 200)}`).toBeLessThan(500);
          expect(text).not.toMatch(/\n\s+at .+:\d+:\d+|node_modules|\/work\/|\/tmp\/|SQLITE_|SELECT .* FROM/);
          expect(lines.length - before).toBe(1);
        }),
        { numRuns: RUNS, seed: 20261129 },
      );
    } finally {
      errors.mockRestore();
    }
    expect(checked).toBe(RUNS);
    expect(seen.size).toBe(operations.length);
    // Caller mistakes are logged as the request's one line; nothing else, and never a stack.
    expect(errors.mock.calls.map((c) => String(c[0])).filter((l) => / at |stack/.test(l))).toEqual([]);
  }, 600_000);
});
