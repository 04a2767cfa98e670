import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportKind } from "../../src/db/schema";
import { runImport } from "../../src/services/imports";
import { snapshotDatabase } from "../support/db-snapshot";
import { createTestWorld, type TestWorld } from "../support/test-db";

const DIR = join(import.meta.dirname, "corpus");

type Expected = {
  kind: ImportKind;
  dryRun?: boolean;
  encoding: string | null;
  rowsTotal: number;
  errors: Array<{ row: number; column: string | null; message: string }>;
  warnings: string[];
};

const expected = JSON.parse(readFileSync(join(DIR, "expected.json"), "utf8")) as Record<string, Expected>;

describe("the bad-file corpus: every file gets its exact report and changes nothing", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(() => world.close());

  it("has at least 50 files, each with its expected report", () => {
    const files = readdirSync(DIR).filter((f) => /^\d\d-.*\.csv$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(50);
    expect(Object.keys(expected).sort()).toEqual(files.sort());
  });

  for (const [file, want] of Object.entries(expected)) {
    it(`${file}: ${want.errors[0]?.message.slice(0, 70) ?? want.warnings[0]?.slice(0, 70) ?? "accepted"}`, async () => {
      const before = await snapshotDatabase(world.url);
      const audits = await world.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM imports`);
      const bytes = readFileSync(join(DIR, file));
      // A real import and a dry run must give the same report; neither may change the data.
      for (const dryRun of want.dryRun ? [true] : [false, true]) {
        const report = await runImport(world.db, { kind: want.kind, bytes, dryRun, fileName: file });
        expect({ encoding: report.encoding, rowsTotal: report.rowsTotal, errors: report.errors, warnings: report.warnings }).toEqual({
          encoding: want.encoding,
          rowsTotal: want.rowsTotal,
          errors: want.errors,
          warnings: want.warnings,
        });
        expect(report.rowsImported).toBe(want.errors.length ? 0 : want.rowsTotal);
      }
      const after = await snapshotDatabase(world.url);
      expect(after).toEqual(before);
      const auditsAfter = await world.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM imports`);
      expect(auditsAfter!.n - audits!.n).toBe(want.dryRun ? 1 : 2);
    });
  }
});
