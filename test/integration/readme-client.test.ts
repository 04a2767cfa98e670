import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { transform } from "esbuild";
import { hc } from "hono/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { okJson, typedClient } from "../support/client";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

const README = readFileSync(resolve(import.meta.dirname, "../../README.md"), "utf8");

/** The README's TypeScript block under a heading, as written there. */
function readmeBlock(heading: string): string {
  const section = README.slice(README.indexOf(heading));
  const block = section.match(/```ts\n([\s\S]*?)```/)?.[1];
  if (!block || README.indexOf(heading) < 0) throw new Error(`README has no ts block after ${JSON.stringify(heading)}`);
  return block;
}

/** What a README block may call besides `hc`: the integrator's own functions. */
type Host = {
  loadToken: () => string | null;
  saveToken: (token: string) => void;
  upsertLocal: (price: { id: number }) => void;
  removeLocal: (id: number) => void;
  console: { log: (...values: unknown[]) => void };
};

/**
 * Runs a README block as an integrator would: its imports become the real `hc` (talking to the
 * test's app instead of https://vbp.example.org) and the functions it leaves to the reader.
 * esbuild strips the types, as tsx would.
 */
async function runReadmeBlock(world: TestWorld, code: string, host: Partial<Host>): Promise<void> {
  const body = code.replace(/^import .*$/gm, "");
  const { code: js } = await transform(`async function main(hc, loadToken, saveToken, upsertLocal, removeLocal, console) {\n${body}\n}`, { loader: "ts" });
  const toApp: typeof hc = (base, options) =>
    hc(base, {
      ...options,
      fetch: (input: RequestInfo | URL, init?: RequestInit) => world.app.request(input instanceof Request ? input : String(input), init),
    });
  const main = new Function(`${js}\nreturn main;`)() as (...args: unknown[]) => Promise<void>;
  const none = () => {
    throw new Error("the README block called a function the test did not give it");
  };
  await main(toApp, host.loadToken ?? none, host.saveToken ?? none, host.upsertLocal ?? none, host.removeLocal ?? none, host.console ?? { log: none });
}

/** A README block in readme-examples.ts (compiled by npm run typecheck), de-indented. */
function compiledExample(name: string): string {
  const source = readFileSync(resolve(import.meta.dirname, "readme-examples.ts"), "utf8");
  const body = source.split(`  // README: ${name}\n`)[1]?.split("  // README: end")[0];
  if (body === undefined) throw new Error(`readme-examples.ts has no block ${name}`);
  return body.replace(/^ {2}/gm, "").trim();
}

const withoutImports = (code: string) => code.replace(/^import .*\n/gm, "").trim();

describe("the README's client examples, run as written", () => {
  it("are, word for word, the examples the typecheck compiles against AppType", () => {
    expect(withoutImports(readmeBlock("**Typed client.**"))).toBe(compiledExample("Typed client"));
    expect(withoutImports(readmeBlock("### Change feed"))).toBe(compiledExample("Change feed"));
  });

  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(() => world.close());

  it("the typed hc call searches prices and prints name, price and reduction", async () => {
    const lines: unknown[][] = [];
    await runReadmeBlock(world, readmeBlock("**Typed client.**"), { console: { log: (...v) => lines.push(v) } });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.find((l) => l[0] === "阿托伐他汀钙片" && l[1] === 3.6 && l[2] === 97.7)).toBeDefined();
  });

  it("the nightly sync with updatedSince copies every price, then only what an import changed", async () => {
    const block = readmeBlock("### Change feed");
    const local = new Map<number, unknown>();
    const removed: number[] = [];
    let token: string | null = null;
    const night = async () =>
      runReadmeBlock(world, block, {
        loadToken: () => token,
        saveToken: (t) => (token = t),
        upsertLocal: (p) => local.set(p.id, p),
        removeLocal: (id) => {
          local.delete(id);
          removed.push(id);
        },
      });

    // The first night starts from the README's date: every price written since, page by page (200 a page).
    await night();
    const api = typedClient(world.app).api.v1;
    const inForce = await okJson(api.prices.$get({ query: { limit: "1" } }));
    const everything = await okJson(api.prices.$get({ query: { limit: "1", include: "ended" } }));
    expect(everything.meta.total).toBeGreaterThan(400);
    expect(local.size + removed.length).toBe(everything.meta.total);
    // Prices whose cycle has ended arrive as tombstones: the copy keeps the others.
    expect(local.size).toBeGreaterThanOrEqual(inForce.meta.total);
    expect(token).toMatch(/^s1\./);

    // The next night gets only what changed: one price of an import.
    const admin = typedClient(world.app, { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` }).api.v1;
    const csv = "batch,genericName,dosageForm,spec,packageQty,manufacturer,chosenPrice\r\nnational-drug-4,夜间同步测试片,片剂,5mg,14,测试药业戊,9.9\r\n";
    const imported = await admin.imports.$post({ query: { kind: "prices" }, form: { file: new File([csv], "prices.csv", { type: "text/csv" }) } });
    expect(imported.status, await imported.clone().text()).toBe(200);
    local.clear();
    await night();
    expect([...local.values()].map((p) => (p as { product: { genericName: string } }).product.genericName)).toEqual(["夜间同步测试片"]);
  });
});
