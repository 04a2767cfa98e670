import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/env";

describe("configuration from the environment", () => {
  it("has working defaults", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 8787, DATABASE_URL: "file:./data/vbp.db", IMPORT_BODY_LIMIT_MB: 50 });
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

  it("treats empty variables as unset", () => {
    expect(loadConfig({ ADMIN_TOKEN: "", PORT: "" }).PORT).toBe(8787);
  });
});
