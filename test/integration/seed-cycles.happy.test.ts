import { describe, expect, it } from "vitest";
import { okJson } from "../support/client";
import { apiClients, useTestWorld } from "../support/world";

/**
 * The shipped seeds carry the procurement cycle starts that a public page states (seeds/batches.csv,
 * column source names the page). A pharmacist asking "what is in force on this day" gets the
 * national prices from the day their batch started, not before; a batch whose dates no page gave
 * stays of unknown cycle rather than guessed.
 */
const world = useTestWorld();
const { api } = apiClients(world);

async function listed(q: string, batch: string, asOf?: string) {
  const body = await okJson(api.prices.$get({ query: { q, batch, ...(asOf ? { asOf } : {}) } }));
  return body.data.filter((p) => p.batch.id === batch);
}

describe("cycle dates of the real national batches", () => {
  it("the 4+7 rosuvastatin is in force from 2019-04-01, the day the 11-city programme was launched, and not the day before", async () => {
    expect(await listed("瑞舒伐他汀", "national-drug-1", "2019-03-31")).toEqual([]);
    const onStart = await listed("瑞舒伐他汀", "national-drug-1", "2019-04-01");
    expect(onStart.map((p) => p.product.manufacturer)).toContain("浙江京新");
    for (const p of onStart) expect(p.state).toBe("in_force");
    // No end date was found, so it stays in force today as far as the data can tell.
    const today = await listed("瑞舒伐他汀", "national-drug-1");
    expect(today.length).toBe(onStart.length);
    for (const p of today) expect(p.state).toBe("in_force");
  });

  it("a batch 2 price, whose cycle is known to the month (2020-04), turns in force on the first of April 2020", async () => {
    const generic = "阿卡波糖";
    expect(await listed(generic, "national-drug-2", "2020-03-31")).toEqual([]);
    const april = await listed(generic, "national-drug-2", "2020-04-01");
    expect(april.length).toBeGreaterThan(0);
    for (const p of april) expect(p.state).toBe("in_force");
  });

  it("the coronary stent price is in force from 2021-01-01 and not on 2020-12-31", async () => {
    expect(await listed("冠脉支架", "national-device-stent", "2020-12-31")).toEqual([]);
    const [stent] = await listed("冠脉支架", "national-device-stent", "2021-01-01");
    expect(stent).toMatchObject({ state: "in_force", product: { genericName: "冠脉支架" } });
  });

  it("batch 3 (anastrozole) has no sourced cycle: its prices show as of unknown cycle on any day, never guessed in force", async () => {
    for (const asOf of ["2019-01-01", "2020-11-15", undefined]) {
      const rows = await listed("阿那曲唑", "national-drug-3", asOf);
      expect(rows.length, String(asOf)).toBeGreaterThanOrEqual(4);
      for (const p of rows) expect(p.state, String(asOf)).toBe("unknown");
    }
  });

  it("the batch list gives the sourced starts and names the page of each", async () => {
    const body = await okJson(api.batches.$get({ query: {} }));
    const byId = new Map(body.data.map((b) => [b.id, b]));
    expect(byId.get("national-drug-1")).toMatchObject({ cycleStart: "2019-04-01", cycleEnd: null });
    expect(byId.get("national-device-stent")).toMatchObject({ cycleStart: "2021-01-01", cycleEnd: null });
    expect(byId.get("national-drug-3")).toMatchObject({ cycleStart: null, cycleEnd: null });
    for (const id of ["national-drug-1", "national-drug-2", "national-drug-5", "national-drug-6", "national-drug-7", "national-device-stent"]) {
      expect(byId.get(id)?.source, id).toMatch(/cycleStart \d{4}-\d{2}(-\d{2})?.*\(https?:\/\/\S+\)/);
    }
  });
});
