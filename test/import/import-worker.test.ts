import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMigrated } from "../../src/cli/database";
import { runGen } from "../../src/cli/gen";
import { spooledImporter, stopImportThreads } from "../../src/node-http/import-in-worker";
import { runImport } from "../../src/services/imports";
import { type Service, sleep, startUploadServer } from "../support/service";
import { TEST_ADMIN_TOKEN } from "../support/test-db";

/**
 * An upload spooled to disk is imported on a thread of its own with a bounded heap, so the server's
 * memory does not keep what the import held (it kept 567 MB after a million prices before). The
 * report is runImport's own: the same rows, errors with the same row and column.
 */
const ROWS = 20_000;
const dir = mkdtempSync(join(tmpdir(), "vbp-import-worker-"));
const gen = join(dir, "gen");
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

async function freshDb(name: string): Promise<string> {
  const url = `file:${join(dir, name)}`;
  const handle = await openMigrated(url);
  const batches = await runImport(handle.db, { kind: "batches", bytes: readFileSync(join(gen, "batches.csv")), actor: "test" });
  expect(batches.errors).toEqual([]);
  handle.close();
  return url;
}

/** The generated file with rows broken: a price that is not a number, an empty name, a row repeated. */
function badFile(): string {
  const lines = readFileSync(join(gen, "prices.csv"), "utf8").split("\n").slice(0, 30);
  const header = lines[0]!.split(",");
  const price = header.findIndex((h) => /中选价|chosenPrice/.test(h));
  const name = header.findIndex((h) => /通用名|genericName/.test(h));
  const cells = (i: number) => lines[i]!.split(",");
  const a = cells(5);
  a[price] = "十元";
  lines[5] = a.join(",");
  const b = cells(9);
  b[name] = "";
  lines[9] = b.join(",");
  lines[20] = lines[12]!;
  const path = join(dir, "bad.csv");
  writeFileSync(path, lines.join("\n"));
  return path;
}

beforeAll(async () => {
  await runGen({ prices: ROWS, out: gen, seed: 7 });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the import thread", () => {
  it("runs with the heap it is given, and an import past it is stopped with nothing written", async () => {
    const url = await freshDb("limits.db");
    const file = badFile();
    const report = await spooledImporter(url, undefined, 160)(file, { kind: "prices", actor: "test", fileName: "bad.csv" });
    expect(report.heapLimitMb).toBe(160);
    const handle = await openMigrated(url);
    const count = async () => (await handle.client.execute("SELECT count(*) AS n FROM prices")).rows[0]?.n;
    const before = await count();
    // A heap too small for the import itself: the thread is stopped, this process goes on.
    const tiny = spooledImporter(url, undefined, 8)(join(gen, "prices.csv"), { kind: "prices", actor: "test" });
    await expect(tiny).rejects.toMatchObject({ status: 500, code: "import_failed", message: expect.stringContaining("8 MB") });
    expect(await count()).toBe(before);
    handle.close();
  }, 120_000);

  it("a stop ends an import thread at once and waits for it to go, with nothing written", async () => {
    const url = await freshDb("stopped.db");
    const handle = await openMigrated(url);
    const count = async () => (await handle.client.execute("SELECT count(*) AS n FROM prices")).rows[0]?.n;
    const before = await count();
    const running = spooledImporter(url, undefined, 160)(join(gen, "prices.csv"), { kind: "prices", actor: "test" });
    const outcome = running.then(
      () => "finished",
      (err: Error) => err.message,
    );
    await sleep(300);
    const started = performance.now();
    await stopImportThreads(10_000, 10_000);
    // Gone when stopImportThreads returns: the import's promise has settled as stopped.
    const settled = await Promise.race([outcome, sleep(0).then(() => "still running")]);
    expect(settled).toBe("the import stopped: the server is stopping; nothing was written");
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await count()).toBe(before);
    handle.close();
  }, 120_000);

  it("reports a bad file's errors exactly as an import in this thread does", async () => {
    const file = badFile();
    const inWorker = await spooledImporter(await freshDb("a.db"), undefined, 160)(file, { kind: "prices", actor: "test", fileName: "bad.csv" });
    const handle = await openMigrated(await freshDb("b.db"));
    const here = await runImport(handle.db, { kind: "prices", bytes: readFileSync(file), actor: "test", fileName: "bad.csv" });
    handle.close();
    expect(here.errors.length).toBeGreaterThanOrEqual(2);
    const { importId: _a, heapLimitMb: _h, ...worker } = inWorker;
    const { importId: _b, ...local } = here;
    expect(worker).toEqual(local);
  }, 120_000);
});

describe(`an import of ${ROWS.toLocaleString("en")} prices over HTTP`, () => {
  let service: Service;
  let serverPid: number;
  const spool = join(dir, "spool");

  beforeAll(async () => {
    const url = await freshDb("http.db");
    mkdirSync(spool);
    ({ service, serverPid } = await startUploadServer(url, spool, TEST_ADMIN_TOKEN));
    expect(serverPid).toBeGreaterThan(0);
  }, 180_000);

  afterAll(async () => {
    if (service?.child.pid) process.kill(-service.child.pid, "SIGKILL");
    await service?.exited;
  });

  it("hands its memory back after the answer", async () => {
    const file = join(gen, "prices.csv");
    await sleep(1000);
    const before = rssMb(serverPid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(serverPid))), 50);
    const res = await fetch(`http://127.0.0.1:${service.port}/api/v1/imports?kind=prices`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv", "content-length": String(statSync(file).size) },
      body: readFileSync(file),
    });
    const body = await res.json();
    clearInterval(sampler);
    await sleep(2000);
    const after = rssMb(serverPid);
    console.log(
      `import of ${ROWS} prices over HTTP: server RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB, ${after.toFixed(0)} MB 2 s after the answer`,
    );
    expect(res.status, JSON.stringify(body.errors?.slice(0, 3))).toBe(200);
    expect(body).toMatchObject({ rowsImported: ROWS, rowsRejected: 0 });
    // The thread's heap went with it: what stays is the server's own (measured +20–40 MB).
    expect(after - before).toBeLessThan(80);
  }, 180_000);
});
