import { afterAll, beforeAll } from "vitest";
import { typedClient } from "./client";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "./test-db";

/** The v1 routes of the typed client (hc<AppType>). */
export type Api = ReturnType<typeof typedClient>["api"]["v1"];

/**
 * The test world of a describe block (or a file, called at its top): created in beforeAll with
 * these options (by default the real seeds), closed in afterAll. Its fields can be read once
 * beforeAll has run, i.e. inside hooks and tests.
 */
export function useTestWorld(options?: Parameters<typeof createTestWorld>[0]): TestWorld {
  let world: TestWorld | undefined;
  beforeAll(async () => {
    world = await createTestWorld(options);
  });
  afterAll(() => world?.close());
  const started = (): TestWorld => {
    if (!world) throw new Error("the test world is used before beforeAll created it");
    return world;
  };
  return {
    get db() {
      return started().db;
    },
    get app() {
      return started().app;
    },
    get url() {
      return started().url;
    },
    get dir() {
      return started().dir;
    },
    close: () => started().close(),
  };
}

/**
 * The v1 API over a world's app through the typed client, as a reader (`api`) and as the admin
 * (`admin`, with TEST_ADMIN_TOKEN). Each client is made on its first use, so this can stand beside
 * useTestWorld before the world exists.
 */
export function apiClients(world: Pick<TestWorld, "app">): { api: Api; admin: Api } {
  const lazy = (headers?: Record<string, string>): Api => {
    let client: Api | undefined;
    return new Proxy({} as Api, { get: (_target, key) => Reflect.get((client ??= typedClient(world.app, headers).api.v1) as object, key) });
  };
  return { api: lazy(), admin: lazy({ Authorization: `Bearer ${TEST_ADMIN_TOKEN}` }) };
}
