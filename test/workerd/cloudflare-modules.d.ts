/*
 * The few runtime modules the workerd tests use, declared here instead of pulling in
 * @cloudflare/workers-types: those replace the DOM and Node typings the rest of the project
 * compiles against (e.g. they make `new TextDecoder(label, { fatal: true })` a type error), and
 * tsc would re-check every src file the tests import under them.
 */
declare module "cloudflare:test" {
  export interface D1Migration {
    name: string;
    queries: string[];
  }
  export function applyD1Migrations(db: import("../../src/db/d1").D1Binding, migrations: D1Migration[], migrationsTableName?: string): Promise<void>;
  export function createExecutionContext(): { waitUntil(p: Promise<unknown>): void; passThroughOnException(): void };
  export function waitOnExecutionContext(ctx: unknown): Promise<void>;
}

declare module "cloudflare:workers" {
  export const env: {
    DB: import("../../src/db/d1").D1Binding;
    ADMIN_TOKEN: string;
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    TEST_SEEDS: Array<{ kind: "regions" | "batches" | "prices"; name: string; text: string }>;
    [binding: string]: unknown;
  };
  export const exports: { default: { fetch(input: string | Request, init?: RequestInit): Promise<Response> } };
}
