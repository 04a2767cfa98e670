import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { invalidExamples } from "./examples";

type Operation = {
  operationId?: string;
  tags?: string[];
  summary?: string;
  description?: string;
  security?: unknown[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, unknown> }>;
};

const METHODS = ["get", "post", "put", "patch", "delete"];

describe("the contract integrators build on", () => {
  let doc: any;
  let operations: { name: string; path: string; method: string; op: Operation }[];
  beforeAll(async () => {
    const app = createApp({ deps: () => ({}) as never });
    doc = await (await app.request("/openapi.json")).json();
    operations = Object.entries<Record<string, Operation>>(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({ name: `${method.toUpperCase()} ${path}`, path, method, op: item[method]! })),
    );
  });

  it("names every operation once, tags it with a declared tag and sums it up in Chinese and English", () => {
    const declaredTags = new Set((doc.tags as { name: string }[]).map((t) => t.name));
    const problems: string[] = [];
    const ids = new Set<string>();
    for (const { name, op } of operations) {
      if (!op.operationId || ids.has(op.operationId)) problems.push(`${name}: operationId missing or repeated`);
      ids.add(op.operationId ?? "");
      if (!op.tags?.length || !op.tags.every((t) => declaredTags.has(t))) problems.push(`${name}: no declared tag`);
      if (!/\p{Script=Han}/u.test(op.summary ?? "") || !/[A-Za-z]{3}/.test(op.summary ?? ""))
        problems.push(`${name}: summary not in Chinese and English: ${op.summary}`);
      if (!op.description) problems.push(`${name}: no description`);
      if (!Array.isArray(op.security)) problems.push(`${name}: security not declared (public operations say [])`);
    }
    expect(problems).toEqual([]);
    expect(operations.length).toBeGreaterThan(10);
  });

  it("declares the admin token on the operations that need it, and on no other", () => {
    const guarded = operations
      .filter((o) => o.op.security?.length)
      .map((o) => o.name)
      .sort();
    expect(guarded).toEqual(["DELETE /api/v1/imports/{id}", "GET /api/v1/imports", "POST /api/v1/imports"]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("documents every error answer in both forms: the JSON error body and RFC 9457 problem details", () => {
    const problems: string[] = [];
    for (const { name, op } of operations) {
      const statuses = Object.keys(op.responses);
      if (!statuses.some((s) => s.startsWith("4"))) problems.push(`${name}: no 4XX answer`);
      if (!["429", "500", "503"].every((s) => statuses.includes(s))) problems.push(`${name}: 429/500/503 missing`);
      for (const [status, res] of Object.entries(op.responses)) {
        if (Number(status) < 400 || (name === "POST /api/v1/imports" && status === "422")) continue;
        const types = Object.keys(res.content ?? {}).sort();
        if (types.join() !== "application/json,application/problem+json") problems.push(`${name} ${status}: ${types.join()}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("documents the body of every operation that takes one: CSV and multipart uploads", () => {
    const posts = operations.filter((o) => o.method === "post");
    expect(posts.length).toBeGreaterThanOrEqual(2);
    for (const { name, op } of posts) {
      expect(Object.keys(op.requestBody?.content ?? {}), name).toEqual(expect.arrayContaining(["text/csv", "multipart/form-data"]));
    }
  });

  it("every documented example validates against its schema", () => {
    expect(invalidExamples(doc)).toEqual([]);
  });

  it("the example check rejects an example that contradicts its schema", () => {
    const broken = structuredClone(doc);
    const params = broken.paths["/api/v1/prices/{id}"].get.parameters;
    const id = params.findIndex((p: { name: string }) => p.name === "id");
    params[id].schema.example = "1";
    broken.components.schemas.Price.properties.chosenPrice.example = "3.6";
    const bad = invalidExamples(broken).join("\n");
    expect(bad).toContain(`/parameters/${id}/schema/example`);
    expect(bad).toContain("must be integer");
    expect(bad).toContain("#/components/schemas/Price/properties/chosenPrice/example");
  });

  it("states what /api/v1 promises: additive changes only", () => {
    expect(doc.info.description).toMatch(/only by addition/);
    expect(doc.info.description).toContain("/api/v2");
    expect(doc.info.version).toMatch(/^1\.\d+\.\d+$/);
  });
});
