/*
 * Structural checks of an OpenAPI 3.1 document: what a validator would reject and what breaks
 * clients and the /docs page. (No OpenAPI validator package is installed; these checks are
 * written out so each failure names the exact place.)
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const PARAMETER_LOCATIONS = ["query", "header", "path", "cookie"];
const JSON_SCHEMA_TYPES = ["null", "boolean", "object", "array", "number", "string", "integer"];

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function resolvePointer(doc: Obj, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObj(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Every JSON Schema found below a node, with its location, for the schema-level checks. */
function walk(node: unknown, at: string, visit: (value: Obj, at: string) => void): void {
  if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${at}/${i}`, visit));
  else if (isObj(node)) {
    visit(node, at);
    for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, visit);
  }
}

export function openApi31Problems(doc: unknown): string[] {
  const problems: string[] = [];
  const problem = (at: string, what: string) => problems.push(`${at}: ${what}`);
  if (!isObj(doc)) return ["the document is not a JSON object"];

  if (typeof doc.openapi !== "string" || !/^3\.1\.\d+$/.test(doc.openapi)) problem("#/openapi", `must be 3.1.x, is ${JSON.stringify(doc.openapi)}`);
  if (!isObj(doc.info)) problem("#/info", "missing");
  else {
    if (typeof doc.info.title !== "string" || !doc.info.title) problem("#/info/title", "must be a non-empty string");
    if (typeof doc.info.version !== "string" || !doc.info.version) problem("#/info/version", "must be a non-empty string");
  }
  if (!isObj(doc.paths)) return [...problems, "#/paths: missing"];

  const securitySchemes = isObj(doc.components) && isObj(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  const operationIds = new Set<string>();

  for (const [path, item] of Object.entries(doc.paths)) {
    const at = `#/paths/${path}`;
    if (!path.startsWith("/")) problem(at, "a path must start with /");
    if (!isObj(item)) {
      problem(at, "a path item must be an object");
      continue;
    }
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const pathLevel = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of Object.keys(item)) {
      if (
        !(METHODS as readonly string[]).includes(method) &&
        !["parameters", "summary", "description", "servers"].includes(method) &&
        !method.startsWith("x-")
      ) {
        problem(`${at}/${method}`, "not an HTTP method or path item field");
      }
    }
    for (const method of METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      const opAt = `${at}/${method}`;
      if (!isObj(op)) {
        problem(opAt, "an operation must be an object");
        continue;
      }
      if (typeof op.operationId === "string") {
        if (operationIds.has(op.operationId)) problem(opAt, `operationId ${op.operationId} is used twice`);
        operationIds.add(op.operationId);
      }
      const params = [...pathLevel, ...(Array.isArray(op.parameters) ? op.parameters : [])];
      const declared = new Set<string>();
      params.forEach((p, i) => {
        const pAt = `${opAt}/parameters/${i}`;
        const param = isObj(p) && typeof p.$ref === "string" ? resolvePointer(doc, p.$ref) : p;
        if (!isObj(param)) return problem(pAt, "a parameter must be an object");
        if (typeof param.name !== "string" || !param.name) problem(pAt, "a parameter needs a name");
        if (typeof param.in !== "string" || !PARAMETER_LOCATIONS.includes(param.in)) problem(pAt, `"in" must be one of ${PARAMETER_LOCATIONS.join(", ")}`);
        if (param.in === "path") {
          declared.add(String(param.name));
          if (param.required !== true) problem(pAt, "a path parameter must be required: true");
          if (!templated.includes(String(param.name))) problem(pAt, `path parameter ${param.name} is not in the path`);
        }
        if ((param.schema === undefined) === (param.content === undefined)) problem(pAt, "a parameter needs exactly one of schema or content");
      });
      for (const name of templated) if (!declared.has(name)) problem(opAt, `path parameter {${name}} is not declared`);
      if (op.requestBody !== undefined) {
        const body = op.requestBody;
        if (!isObj(body) || (!body.$ref && (!isObj(body.content) || Object.keys(body.content).length === 0)))
          problem(`${opAt}/requestBody`, "needs a non-empty content map");
      }
      if (!isObj(op.responses) || Object.keys(op.responses).length === 0) problem(`${opAt}/responses`, "an operation needs at least one response");
      else
        for (const [code, response] of Object.entries(op.responses)) {
          const rAt = `${opAt}/responses/${code}`;
          if (!/^([1-5](\d\d|XX)|default)$/.test(code)) problem(rAt, "not a status code, a range like 4XX, or default");
          const resolved = isObj(response) && typeof response.$ref === "string" ? resolvePointer(doc, response.$ref) : response;
          if (!isObj(resolved) || typeof resolved.description !== "string") problem(rAt, "a response needs a description");
        }
      if (Array.isArray(op.security))
        op.security.forEach((req, i) => {
          if (!isObj(req)) return problem(`${opAt}/security/${i}`, "a security requirement must be an object");
          for (const name of Object.keys(req))
            if (!(name in securitySchemes)) problem(`${opAt}/security/${i}`, `security scheme ${name} is not defined in components`);
        });
    }
  }

  walk(doc, "#", (node, at) => {
    if (typeof node.$ref === "string" && resolvePointer(doc, node.$ref) === undefined) problem(at, `$ref ${node.$ref} does not resolve`);
    // A map of property names, or an example value, is data, not a schema: its keys may be anything.
    if (/\/(properties|patternProperties)$/.test(at) || /\/examples?(\/|$)/.test(at)) return;
    const inSchema = at.includes("/schema") || at.includes("/components/schemas/");
    // 3.0's `nullable` is not part of 3.1, where null is a type like any other.
    if (inSchema && "nullable" in node) problem(at, '`nullable` is OpenAPI 3.0; 3.1 uses type: [..., "null"]');
    const type = node.type;
    if (inSchema && type !== undefined) {
      const types = Array.isArray(type) ? type : [type];
      for (const t of types)
        if (typeof t !== "string" || !JSON_SCHEMA_TYPES.includes(t)) problem(at, `schema type ${JSON.stringify(t)} is not a JSON Schema type`);
    }
  });
  return problems;
}
