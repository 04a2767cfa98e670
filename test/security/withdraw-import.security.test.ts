import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLibsql } from "../../src/db/client";
import { JOURNALED_TABLES } from "../../src/import/journal";
import { parseAdminTokens } from "../../src/middleware/admin-tokens";
import { JOURNAL_REFERENCES } from "../../src/services/import-withdrawal";
import { errorJson, okJson, typedClient } from "../support/client";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";
import { snapshotData } from "../workerd/d1-snapshot";

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const HEADER = "batch,genericName,dosageForm,spec,packageQty,manufacturer,chosenPrice,referencePrice,referenceKind,supplyRegions";
const price = (name: string, chosen: string, regions = "北京市") => `national-drug-3,${name},片剂,10mg,7,撤回制药厂,${chosen},30,ceiling,${regions}`;

// A CSV body sent as text/csv, as curl and the CLI docs send it: the typed client only builds JSON and
// multipart bodies, so the request is written by hand; its answer is read with the contract's type.
const postCsv = (world: TestWorld, query: string, lines: string[]) =>
  world.app.request(`/api/v1/imports?${query}`, {
    method: "POST",
    body: lines.join("\n"),
    headers: { ...auth, "content-type": "text/csv" },
  }) as ReturnType<ReturnType<typeof typedClient>["api"]["v1"]["imports"]["$post"]>;
const post = async (world: TestWorld, kind: string, lines: string[]) => (await okJson(postCsv(world, `kind=${kind}`, lines))).importId;
const withdraw = (world: TestWorld, id: number | string, headers: Record<string, string> = auth) =>
  typedClient(world.app, headers).api.v1.imports[":id"].$delete({ param: { id: String(id) } });
/**
 * A digest of what users can see: every data table, base and derived (search, savings), not the audit
 * log; every column but updated_at, which a withdrawal stamps anew on the rows it puts back (so a
 * nightly sync hears of them; pinned below).
 */
const digest = async (world: TestWorld) => JSON.stringify(await snapshotData(world.db, { stamps: false }));
/** The stamps of the prices of these generic names, by name. */
const stampsOf = async (world: TestWorld, names: string[]) =>
  Object.fromEntries(
    (
      await world.db.all<{ name: string; updatedAt: string }>(sql`SELECT pr.generic_name AS name, p.updated_at AS updatedAt
    FROM prices p JOIN products pr ON pr.id = p.product_id WHERE pr.generic_name IN (${sql.join(
      names.map((n) => sql`${n}`),
      sql`, `,
    )})`)
    ).map((r) => [r.name, r.updatedAt]),
  );
/** Rows of `now` that `was` lacks, per table: a failure names them (savings rollups left at zero, once). */
const rowsNotIn = (now: Record<string, unknown[]>, was: Record<string, unknown[]>) =>
  Object.keys(now)
    .filter((t) => JSON.stringify(now[t]) !== JSON.stringify(was[t]))
    .map((t) => [t, now[t]!.filter((r) => !was[t]?.includes(r))]);
const batchStats = async (world: TestWorld) =>
  (await world.db.get<{ stats: string }>(sql`SELECT stats FROM batch_stats WHERE batch_id = 'national-drug-3'`))?.stats;

describe("DELETE /api/v1/imports/{id}: withdrawing an import restores exactly what it replaced", () => {
  let world: TestWorld;
  let before: string;
  let afterA: string;
  let statsAfterA: string | undefined;
  let a: number;
  let b: number;

  beforeAll(async () => {
    world = await createTestWorld({ settings: { adminTokens: parseAdminTokens(`alice:${TEST_ADMIN_TOKEN}`) } });
    before = await digest(world);
    a = await post(world, "prices", [HEADER, price("撤回甲片", "1.50"), price("撤回乙片", "2.50"), price("撤回丙片", "3.50")]);
    afterA = await digest(world);
    statsAfterA = await batchStats(world);
    // B replaces two of A's prices (one also supplied elsewhere now) and adds a product of its own.
    b = await post(world, "prices", [HEADER, price("撤回甲片", "1.20"), price("撤回乙片", "2.00", "上海市"), price("撤回丁片", "4.50")]);
  });
  afterAll(() => world.close());

  it("401 without the token, 404 for an unknown id, 400 for an id that is not one", async () => {
    const none = await errorJson(withdraw(world, b, {}));
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("unauthorized");
    const unknown = await errorJson(withdraw(world, 999_999));
    expect(unknown.status, JSON.stringify(unknown.body)).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: "import_not_found", message: expect.stringContaining("#999999") });
    expect((await errorJson(withdraw(world, "abc"))).status).toBe(400);
  });

  it("refuses A with 409 withdraw_conflict naming B while B changed the same rows, changing nothing", async () => {
    const during = await digest(world);
    const res = await errorJson(withdraw(world, a));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "withdraw_conflict", details: { laterImports: [b] } });
    expect(res.body.error.message).toContain(`#${b}`);
    expect(await digest(world)).toBe(during);
  });

  it("withdraws B: every data table (search and savings included) is as it was after A, the rows put back stamped anew; the audit log names the token", async () => {
    const stampedByB = await stampsOf(world, ["撤回甲片", "撤回乙片", "撤回丙片"]);
    const res = await okJson(withdraw(world, b));
    expect(res).toMatchObject({ importId: b, withdrawnBy: "token:alice", rowsRemoved: expect.any(Number), rowsRestored: expect.any(Number) });
    expect(res.rowsRemoved).toBeGreaterThanOrEqual(2); // 丁's product and price (and its region)
    expect(res.rowsRestored).toBeGreaterThanOrEqual(3); // 甲's and 乙's prices, 乙's 北京市
    expect(await digest(world)).toBe(afterA);
    const stamped = await stampsOf(world, ["撤回甲片", "撤回乙片", "撤回丙片"]);
    // 甲 and 乙 were put back, later than B wrote them; 丙, which B did not touch, keeps its stamp.
    expect(stamped.撤回甲片! > stampedByB.撤回甲片!).toBe(true);
    expect(stamped.撤回乙片! > stampedByB.撤回乙片!).toBe(true);
    expect(stamped.撤回丙片).toBe(stampedByB.撤回丙片);
    expect(await batchStats(world)).toBe(statsAfterA);
    const api = typedClient(world.app, auth).api.v1;
    const found = await okJson(api.prices.$get({ query: { q: "撤回乙片" } }));
    expect(found.data.map((p) => p.chosenPrice)).toEqual([2.5]);
    const log = await okJson(api.imports.$get({ query: {} }));
    expect(log.data.find((i) => i.id === b)).toMatchObject({ withdrawnBy: "token:alice", withdrawnAt: res.withdrawnAt });
    expect(log.data.find((i) => i.id === a)).toMatchObject({ withdrawnBy: null, withdrawnAt: null });
  });

  it("then A can go too (the database is as before both), and neither can be withdrawn twice", async () => {
    await okJson(withdraw(world, a));
    expect(await digest(world)).toBe(before);
    const again = await errorJson(withdraw(world, b));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("import_already_withdrawn");
  });

  it("refuses a dry run (it wrote nothing) with 409 import_not_withdrawable", async () => {
    const res = await okJson(postCsv(world, "kind=prices&dryRun=true", [HEADER, price("撤回戊片", "1.00")]));
    const refused = await errorJson(withdraw(world, res.importId));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("import_not_withdrawable");
  });

  it("refuses an import whose added prices later volumes point at, until those volumes are withdrawn", async () => {
    const prices = await post(world, "prices", [HEADER, price("撤回己片", "5.00")]);
    const volumes = await post(world, "volumes", [
      "batch,genericName,dosageForm,spec,packageQty,manufacturer,region,month,units",
      "national-drug-3,撤回己片,片剂,10mg,7,撤回制药厂,北京市,2024-01,700",
    ]);
    const refused = await errorJson(withdraw(world, prices));
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "withdraw_conflict", details: { laterImports: [volumes] } });
    expect(await okJson(withdraw(world, volumes))).toMatchObject({ importId: volumes });
    expect(await okJson(withdraw(world, prices))).toMatchObject({ importId: prices });
    expect(rowsNotIn(await snapshotData(world.db, { stamps: false }), JSON.parse(before))).toEqual([]);
  });

  it("knows every foreign key between the tables an import writes", async () => {
    const listed = new Set(JOURNAL_REFERENCES.map((r) => `${r.child}.${r.column}->${r.parent}.${r.key}`));
    for (const t of JOURNALED_TABLES) {
      const fks = await world.db.all<{ table: string; from: string; to: string }>(sql`SELECT "table", "from", "to" FROM pragma_foreign_key_list(${t})`);
      for (const fk of fks) expect(listed, `${t}.${fk.from}`).toContain(`${t}.${fk.from}->${fk.table}.${fk.to}`);
    }
  });
});

describe("npm run import -- --withdraw <id> (the CLI's streamed, staged writes are journaled too)", () => {
  const ROOT = resolve(import.meta.dirname, "../..");
  const dir = mkdtempSync(join(tmpdir(), "vbp-withdraw-cli-"));
  const url = `file:${join(dir, "cli.db")}`;
  const env = { ...process.env, DATABASE_URL: url, USER: "pharmacist" };
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "src/cli/import.ts", ...args], { cwd: ROOT, encoding: "utf8", env, timeout: 60_000 });
  const importFile = (name: string, lines: string[]) => {
    writeFileSync(join(dir, name), lines.join("\n"));
    const run = cli("prices", join(dir, name));
    expect(run.status, run.stderr).toBe(0);
    return Number(/audit #(\d+)/.exec(run.stdout)?.[1]);
  };
  const digestOf = async () => {
    const handle = openLibsql(url);
    try {
      return JSON.stringify(await snapshotData(handle.db, { stamps: false }));
    } finally {
      handle.close();
    }
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("withdraws the later import, refuses the earlier one while it stands, and says why", async () => {
    const many = (chosen: (i: number) => string) => Array.from({ length: 300 }, (_, i) => price(`命令行撤回${i}片`, chosen(i)));
    const a = importFile("a.csv", [HEADER, ...many((i) => (1 + i / 100).toFixed(2))]);
    const afterA = await digestOf();
    const b = importFile("b.csv", [HEADER, ...many((i) => (i % 3 ? 1 + i / 100 : 9).toFixed(2)), price("命令行撤回新片", "7.00", "上海市")]);
    const refused = cli("--withdraw", String(a));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`import #${a} not withdrawn (withdraw_conflict): import #${a} cannot be withdrawn: later import(s) #${b}`);
    const done = cli("--withdraw", String(b));
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toContain(`import #${b} withdrawn: 3 rows it added removed, 100 rows it changed restored; statistics recomputed for national-drug-3`);
    expect(await digestOf()).toBe(afterA);
    const unknown = cli("--withdraw", "999999");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("(import_not_found)");
  }, 120_000);
});
