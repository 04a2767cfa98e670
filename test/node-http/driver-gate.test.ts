import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { createDriverGate, endThread } from "../../src/node-http/driver-gate";
import { sleep } from "../support/service";

/**
 * A stop ends an import's thread only while none of its statements is inside the driver: ended in
 * the middle of one, the whole process aborted (SIGABRT) when the driver returned. Were the gate
 * not kept, the first test below would take the test process down instead of passing.
 */
const dir = mkdtempSync(join(tmpdir(), "vbp-gate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Message = { type: string; ms?: number; message?: string };

function startThread(spin: boolean) {
  const tsx = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve("tsx/package.json")), "dist", "esm", "api", "index.mjs")).href;
  const module = pathToFileURL(join(import.meta.dirname, "..", "support", "gated-thread.ts")).href;
  const gate = createDriverGate();
  const worker = new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(module)}); })`, {
    eval: true,
    workerData: { url: `file:${join(dir, "gate.db")}`, gate, rows: 3_000_000, spin },
  });
  const messages: Message[] = [];
  const started = new Promise<void>((resolve) =>
    worker.on("message", (m: Message) => {
      messages.push(m);
      if (m.type === "started") resolve();
    }),
  );
  const exited = new Promise<number>((resolve) => worker.on("exit", resolve));
  return { worker, gate, messages, started, exited };
}

describe("ending a thread that runs statements", () => {
  it("waits for the statement inside the driver to return before ending a thread that would never end itself", async () => {
    const { worker, gate, messages, started, exited } = startThread(true);
    await started;
    await sleep(100);
    expect(gate[0], "the slow statement is inside the driver").toBe(1);
    const stopAt = performance.now();
    // No time of its own to stop: the thread is ended as soon as its statement is out of the driver.
    await endThread(worker, gate, 0, 30_000);
    const waited = performance.now() - stopAt;
    expect(await exited).toBe(1);
    const slow = messages.find((m) => m.type === "slow done");
    expect(slow, JSON.stringify(messages)).toBeDefined();
    expect(slow!.ms!).toBeGreaterThan(50);
    expect(waited).toBeGreaterThan(slow!.ms! / 2);
    // Ended before or as it tried another: never inside one.
    expect(messages.map((m) => m.type)).not.toContain("second ran");
  }, 60_000);

  it("lets a thread asked to stop end on its own, refusing the statements it would start", async () => {
    const { worker, gate, messages, started, exited } = startThread(false);
    await started;
    await sleep(100);
    expect(gate[0], "the slow statement is inside the driver").toBe(1);
    await endThread(worker, gate, 30_000, 30_000);
    expect(await exited).toBe(0);
    expect(messages.map((m) => m.type)).toEqual(["started", "slow done", "second refused"]);
    expect(messages.at(-1)?.message).toBe("the server is stopping");
  }, 60_000);
});
