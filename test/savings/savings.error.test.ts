import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorJson, okJson, typedClient } from "../support/client";
import type { TestWorld } from "../support/test-db";
import { createSavingsWorld } from "./world";

let world: TestWorld;
beforeAll(async () => {
  world = await createSavingsWorld();
});
afterAll(() => world?.close());

describe("savings and progress refuse bad queries with a clear error", () => {
  it.each([
    ["/api/v1/savings?groupBy=hospital", 400, "validation_error", "groupBy"],
    ["/api/v1/savings?from=2022-13", 400, "invalid_month", "from"],
    ["/api/v1/savings?from=2022-05&to=2022-01", 400, "invalid_range", "after"],
    ["/api/v1/savings?region=火星", 404, "not_found", "火星"],
    ["/api/v1/savings?batch=no-such-batch", 404, "not_found", "no-such-batch"],
    ["/api/v1/progress?asOf=2022-02-30", 400, "invalid_date", "asOf"],
    ["/api/v1/progress?region=999999", 404, "not_found", "999999"],
    ["/api/v1/progress?cursor=garbage", 400, "invalid_cursor", "cursor"],
  ])("%s → %i %s", async (path, status, code, mentions) => {
    // Raw requests on purpose: each sends a value the contract or the service refuses.
    const res = await errorJson(world.app.request(encodeURI(path)));
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toContain(mentions);
  });

  it("answers zeros, not an error, when nothing was bought yet", async () => {
    const body = await okJson(typedClient(world.app).api.v1.savings.$get({ query: { groupBy: "month" } }));
    expect(body.data).toEqual([]);
    expect(body.meta.totals).toMatchObject({ spendSaved: 0, fundSaved: 0, units: 0, fundSharePct: null });
  });
});
