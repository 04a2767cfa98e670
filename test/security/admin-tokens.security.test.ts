import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadAdminTokens } from "../../src/env";
import { parseAdminTokens } from "../../src/middleware/admin-tokens";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

const ALICE = "alice-token-0123456789abcdef";
const BOB = "bob-token-0123456789abcdef00";

describe("named admin tokens", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld({ settings: { adminTokens: parseAdminTokens(`alice:${ALICE}, bob:${BOB}`) } });
  });
  afterAll(() => world.close());

  const post = (token: string, code: string) =>
    world.app.request("/api/v1/imports?kind=regions", {
      method: "POST",
      headers: { "content-type": "text/csv", authorization: `Bearer ${token}` },
      body: `code,name,level\n${code},测试区${code},province\n`,
    });

  it("records each import with the name of the token it came with; ADMIN_TOKEN still works as 'admin'", async () => {
    expect((await post(ALICE, "990201")).status).toBe(200);
    expect((await post(BOB, "990202")).status).toBe(200);
    expect((await post(TEST_ADMIN_TOKEN, "990203")).status).toBe(200);
    expect((await post("carol-token-0123456789abcdef", "990204")).status).toBe(401);
    const audit = await (await world.app.request("/api/v1/imports", { headers: { authorization: `Bearer ${BOB}` } })).json();
    expect(audit.data.slice(0, 3).map((r: { actor: string }) => r.actor)).toEqual(["token:admin", "token:bob", "token:alice"]);
  });

  it("reads name:token pairs from ADMIN_TOKENS and a file, with comments, and names bad entries without echoing tokens", () => {
    const file = `# who may import\nalice:${ALICE}\n\nbob:${BOB}\n`;
    expect(loadAdminTokens({ ADMIN_TOKENS_FILE: "/etc/vbp/tokens" }, () => file).map((t) => t.name)).toEqual(["alice", "bob"]);
    expect(() => parseAdminTokens("alice:short")).toThrow(/entry 1 \(alice\): the token must be at least 16 characters/);
    expect(() => parseAdminTokens(`${ALICE}`)).toThrow(/entry 1: write it as name:token/);
    let problem = "";
    try {
      loadAdminTokens({ ADMIN_TOKENS: `alice:${ALICE}`, ADMIN_TOKENS_FILE: "/x" }, () => `alice:${BOB}`);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      problem = (err as Error).message;
    }
    expect(problem).toContain("the name alice is given twice");
    expect(problem).not.toContain(BOB);
    expect(() =>
      loadAdminTokens({ ADMIN_TOKENS_FILE: "/nope" }, () => {
        throw new Error("ENOENT");
      }),
    ).toThrow(/cannot read \/nope/);
  });
});
