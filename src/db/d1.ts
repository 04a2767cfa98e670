import { drizzle } from "drizzle-orm/d1";
import type { Db } from "./client";
import * as schema from "./schema";

/** The part of a D1 binding this service calls; enough to recognise a real binding at runtime. */
export type D1Binding = {
  prepare(query: string): D1Statement;
  /** One statement's result each, in order; a read's rows in `results`. Atomic: D1's only transaction. */
  batch(statements: D1Statement[]): Promise<Array<{ results?: unknown[] }>>;
  exec(query: string): Promise<unknown>;
};
export type D1Statement = {
  bind(...values: unknown[]): D1Statement;
  all<T = Record<string, unknown>>(): Promise<{ results: T[] }>;
};

/** True when `value` looks like a D1 binding (a misnamed or missing binding is usually `undefined`). */
export function isD1Binding(value: unknown): value is D1Binding {
  const v = value as Partial<D1Binding> | null | undefined;
  return typeof v === "object" && v !== null && typeof v.prepare === "function" && typeof v.batch === "function";
}

/** The binding behind each Db that openD1 made: raw batches and reads go to it directly (src/db/run-batch.ts, src/db/read-rows.ts). */
const bindings = new WeakMap<Db, D1Binding>();

/** Wraps a D1 binding in the service's Db type. Cheap: built per request, holds no connection. */
export function openD1(binding: D1Binding): Db {
  // as unknown as (twice): D1Binding is the part of D1Database this code calls, and drizzle's D1 database type
  // declares its own batch() signature, narrower than Db's common one.
  const db = drizzle(binding as unknown as Parameters<typeof drizzle>[0], { schema }) as unknown as Db;
  bindings.set(db, binding);
  return db;
}

/** The D1 binding a Db wraps, or undefined for any other database (libSQL). */
export function d1BindingOf(db: Db): D1Binding | undefined {
  return bindings.get(db);
}
