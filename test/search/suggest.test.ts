import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorJson, okJson, typedClient } from "../support/client";
import type { TestWorld } from "../support/test-db";
import { createSearchWorld } from "./search-world";

let world: TestWorld;
beforeAll(async () => {
  world = await createSearchWorld();
});
afterAll(() => world.close());

const suggest = (q: string, limit = 10) => okJson(typedClient(world.app).api.v1.suggest.$get({ query: { q, limit: String(limit) } }));

describe("GET /api/v1/suggest", () => {
  it("offers distinct names with their English name and how many prices they have", async () => {
    const body = await suggest("atf");
    expect(body.data).toEqual([{ name: "阿托伐他汀钙片", nameEn: "atorvastatin calcium", initials: "atfttgp", category: "drug", prices: 5 }]);
  });

  it("ranks exact before prefix before fragment, then by how many prices", async () => {
    expect((await suggest("阿胶")).data.map((d) => d.name)).toEqual(["阿胶", "复方阿胶浆"]);
    expect((await suggest("他汀")).data.map((d) => d.name)).toEqual(["阿托伐他汀钙片", "瑞舒伐他汀钙片", "辛伐他汀片", "匹伐他汀钙片"]);
    expect((await suggest("厄贝")).data.map((d) => d.name)).toEqual(["厄贝沙坦片", "厄贝沙坦氢氯噻嗪片"]);
  });

  it("answers one and two characters, pinyin and English", async () => {
    expect((await suggest("阿", 3)).data).toHaveLength(3);
    expect((await suggest("gm")).data[0]?.name).toBe("冠脉支架");
    expect((await suggest("Rosuva")).data[0]?.name).toBe("瑞舒伐他汀钙片");
  });

  it("refuses an empty or overlong query with a clear 400", async () => {
    for (const path of [
      "/api/v1/suggest",
      "/api/v1/suggest?q=",
      "/api/v1/suggest?q=%20",
      `/api/v1/suggest?q=${"阿".repeat(101)}`,
      "/api/v1/suggest?q=a&limit=0",
    ]) {
      // Raw requests on purpose: each sends a value the contract refuses.
      const { status, body } = await errorJson(world.app.request(path));
      expect(status, path).toBe(400);
      expect(body.error.code).toBe("validation_error");
    }
  });
});
