import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/env";

describe("configuration from the environment", () => {
  it("has working defaults", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 8787, DATABASE_URL: "file:./data/vbp.db", IMPORT_BODY_LIMIT_MB: 512 });
    expect(c.ADMIN_TOKEN).toBeUndefined();
  });

  it("names every wrong setting with what to do", () => {
    try {
      loadConfig({ PORT: "eighty", DATABASE_URL: "postgres://x", ADMIN_TOKEN: "short" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const message = (e as Error).message;
      expect(message).toContain("PORT");
      expect(message).toContain("DATABASE_URL");
      expect(message).toContain("ADMIN_TOKEN");
      expect(message).toContain("openssl rand");
    }
  });

  it("gives a stop 10 seconds by default and refuses a grace period that is not a positive number of seconds", () => {
    expect(loadConfig({}).SHUTDOWN_GRACE_S).toBe(10);
    expect(loadConfig({ SHUTDOWN_GRACE_S: "2.5" }).SHUTDOWN_GRACE_S).toBe(2.5);
    for (const bad of ["0", "-1", "ten", "7200"]) {
      expect(() => loadConfig({ SHUTDOWN_GRACE_S: bad }), bad).toThrow(/SHUTDOWN_GRACE_S/);
    }
    expect(() => loadConfig({ SHUTDOWN_GRACE_S: "0" })).toThrow(/more than 0 seconds/);
  });

  it("reads the import thread's heap (IMPORT_HEAP_MB, which the out-of-memory answer tells to raise) and refuses one too small to import anything", () => {
    expect(loadConfig({}).IMPORT_HEAP_MB).toBeUndefined();
    expect(loadConfig({ IMPORT_HEAP_MB: "512" }).IMPORT_HEAP_MB).toBe(512);
    for (const bad of ["32", "lots", "1.5"]) expect(() => loadConfig({ IMPORT_HEAP_MB: bad }), bad).toThrow(/IMPORT_HEAP_MB/);
  });

  it("accepts PORT=0 (a free port chosen by the system, named in the start line)", () => {
    expect(loadConfig({ PORT: "0" }).PORT).toBe(0);
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ ADMIN_TOKEN: "", PORT: "" }).PORT).toBe(8787);
  });
});
