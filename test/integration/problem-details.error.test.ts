import { describe, expect, it } from "vitest";
import { wantsProblemJson } from "../../src/routes/problem-details";
import { errorJson } from "../support/client";
import { apiClients, useTestWorld } from "../support/world";

/** RFC 9457 problem details as the contract's ProblemSchema describes them. */
type Problem = { type: string; title: string; status: number; detail: string; instance: string; code: string; requestId: string; details?: unknown };

describe("errors as RFC 9457 problem details when the client asks", () => {
  const world = useTestWorld({ seed: false });
  const { api } = apiClients(world);

  it("keeps the contract's error body by default", async () => {
    const res = await api.prices.$get({ query: { limit: "0" } });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/json");
    const { body } = await errorJson(res);
    expect(body.error).toMatchObject({ code: "validation_error" });
    expect(body.error.message).toContain("limit");
  });

  it("answers application/problem+json with the same code, message and request id", async () => {
    const res = await api.prices.$get({ query: { limit: "0" } }, { headers: { Accept: "application/problem+json, application/json;q=0.5" } });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await res.json()) as unknown as Problem;
    expect(problem).toMatchObject({
      type: "urn:vbp-price-tracker:error:validation_error",
      title: "Bad Request",
      status: 400,
      instance: "/api/v1/prices",
      code: "validation_error",
    });
    expect(problem.detail).toContain("limit");
    expect(problem.requestId).toBe(res.headers.get("x-request-id"));
    expect((problem.details as { path: string }[])[0]!.path).toBe("limit");
  });

  it("turns every kind of error into problem details: not found, unknown route, missing token", async () => {
    const accept = { Accept: "application/problem+json" };
    const missing = await api.prices[":id"].$get({ param: { id: "999999" } }, { headers: accept });
    expect(await missing.json()).toMatchObject({ status: 404, code: "not_found", title: "Not Found" });
    const route = await world.app.request("/api/v1/nothing-here", { headers: accept });
    expect(await route.json()).toMatchObject({ status: 404, code: "not_found", instance: "/api/v1/nothing-here" });
    const token = await api.imports.$get({ query: {} }, { headers: accept });
    expect(token.status).toBe(401);
    expect(token.headers.get("content-type")).toBe("application/problem+json");
    expect(await token.json()).toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("reads Accept as RFC 9110 does: q=0 refuses", () => {
    expect(wantsProblemJson("application/problem+json;q=0, application/json")).toBe(false);
    expect(wantsProblemJson("application/json")).toBe(false);
    expect(wantsProblemJson(undefined)).toBe(false);
    expect(wantsProblemJson("text/html, application/problem+json; q=0.9")).toBe(true);
  });
});
