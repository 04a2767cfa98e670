import { describe, expect, it } from "vitest";
import { cycleProblem, priceState, todayInChina } from "../../../src/domain/state";

describe("priceState: derived from the cycle and asOf, at each boundary", () => {
  const cycle = ["2024-01-01", "2024-12-31"] as const;
  it.each([
    ["2023-12-31", "upcoming"],
    ["2024-01-01", "in_force"],
    ["2024-06-15", "in_force"],
    ["2024-12-31", "in_force"],
    ["2025-01-01", "ended"],
  ] as const)("2024-01-01 … 2024-12-31 on %s is %s", (asOf, state) => {
    expect(priceState(...cycle, asOf)).toBe(state);
  });

  it("reads a cycle published by month as from its first day to its last", () => {
    expect(priceState("2024-03", "2024-05", "2024-02-29")).toBe("upcoming");
    expect(priceState("2024-03", "2024-05", "2024-03-01")).toBe("in_force");
    expect(priceState("2024-03", "2024-05", "2024-05-31")).toBe("in_force");
    expect(priceState("2024-03", "2024-05", "2024-06-01")).toBe("ended");
  });

  it("is unknown only when no cycle date is known; one known date still rules out its side", () => {
    expect(priceState(null, null, "2024-01-01")).toBe("unknown");
    expect(priceState("", "", "2024-01-01")).toBe("unknown");
    expect(priceState(null, "2024-12-31", "2025-01-01")).toBe("ended");
    expect(priceState(null, "2024-12-31", "2024-12-31")).toBe("in_force");
    expect(priceState("2024-01-01", null, "2023-12-31")).toBe("upcoming");
    expect(priceState("2024-01-01", null, "2030-01-01")).toBe("in_force");
  });
});

describe("todayInChina", () => {
  it("is the date in Asia/Shanghai (UTC+8), not UTC", () => {
    expect(todayInChina(new Date("2024-12-31T15:59:59Z"))).toBe("2024-12-31");
    expect(todayInChina(new Date("2024-12-31T16:00:00Z"))).toBe("2025-01-01");
  });
});

describe("cycleProblem", () => {
  it("rejects a cycle that ends before it starts, and dates that are not dates", () => {
    expect(cycleProblem("2024-01-01", "2023-12-31")).toMatch(/ends \(2023-12-31\) before it starts \(2024-01-01\)/);
    expect(cycleProblem("2024-05", "2024-04-30")).toMatch(/before it starts/);
    expect(cycleProblem("2024-02-30", null)).toMatch(/not a date/);
  });
  it("accepts one-day and one-month cycles, and missing sides", () => {
    expect(cycleProblem("2024-01-01", "2024-01-01")).toBeNull();
    expect(cycleProblem("2024-05", "2024-05-31")).toBeNull();
    expect(cycleProblem(null, "2024-05-31")).toBeNull();
    expect(cycleProblem(null, null)).toBeNull();
  });
});
