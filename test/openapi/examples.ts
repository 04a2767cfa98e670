import { Ajv2020 } from "ajv/dist/2020.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A documented example and the schema it must satisfy, with where it was found. */
export type DocumentedExample = { at: string; value: unknown; schema: unknown };

/**
 * Every example in an OpenAPI 3.1 document: `example`/`examples` of media types and parameters
 * (against their `schema`) and `example`/`examples` inside schemas (against that schema).
 */
export function documentedExamples(doc: unknown): DocumentedExample[] {
  const found: DocumentedExample[] = [];
  const visit = (node: unknown, at: string, inSchema: boolean): void => {
    if (Array.isArray(node)) {
      for (const [i, v] of node.entries()) visit(v, `${at}/${i}`, inSchema);
      return;
    }
    if (!isObj(node)) return;
    if (inSchema) {
      if ("example" in node) found.push({ at: `${at}/example`, value: node.example, schema: node });
      if (Array.isArray(node.examples)) node.examples.forEach((v, i) => found.push({ at: `${at}/examples/${i}`, value: v, schema: node }));
    } else if (node.schema !== undefined) {
      if ("example" in node) found.push({ at: `${at}/example`, value: node.example, schema: node.schema });
      if (isObj(node.examples))
        for (const [name, ex] of Object.entries(node.examples))
          if (isObj(ex) && "value" in ex) found.push({ at: `${at}/examples/${name}`, value: ex.value, schema: node.schema });
    }
    for (const [key, value] of Object.entries(node)) {
      // Example values are data, not schemas; property maps hold schemas under any name.
      if (key === "example" || (key === "examples" && (inSchema || !Array.isArray(value)))) continue;
      const childInSchema = inSchema || key === "schema" || (at === "#/components" && key === "schemas");
      visit(value, `${at}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`, childInSchema || at === "#/components/schemas");
    }
  };
  visit(doc, "#", false);
  return found;
}

/** The document, as the validator knows it (a name only: nothing is fetched). */
const DOC_ID = "https://openapi.invalid/document.json";

/** Each example that its schema rejects, with the validator's reasons; an empty list when all validate. */
export function invalidExamples(doc: Obj): string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true, formats: { binary: true, date: true, "date-time": true, uri: true } });
  // The document's components, so `#/components/schemas/X` references inside an example's schema resolve.
  ajv.addSchema({ $id: DOC_ID, components: doc.components ?? {} });
  const rebase = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema), (key, value) => (key === "$ref" && typeof value === "string" && value.startsWith("#/") ? `${DOC_ID}${value}` : value));
  const bad: string[] = [];
  for (const ex of documentedExamples(doc)) {
    const validate = ajv.compile(rebase(ex.schema) as object);
    if (!validate(ex.value)) bad.push(`${ex.at}: ${JSON.stringify(ex.value)} ${ajv.errorsText(validate.errors)}`);
  }
  return bad;
}
