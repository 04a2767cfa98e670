import { parentPort, workerData } from "node:worker_threads";
import { createClient } from "@libsql/client";
import { gatedClient } from "../../src/node-http/driver-gate";

/**
 * A thread for test/node-http/driver-gate.test.ts: one slow statement through a gated client, then
 * a quick one, then (when `spin`) pure JavaScript that never ends, so that only the server can end it.
 */
const { url, gate, rows, spin } = workerData as { url: string; gate: Int32Array; rows: number; spin: boolean };
const client = gatedClient(createClient({ url }), gate);
const post = (m: unknown) => parentPort!.postMessage(m);

post({ type: "started" });
const started = performance.now();
await client.execute(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows}) SELECT count(*) AS c FROM n`);
post({ type: "slow done", ms: performance.now() - started });
try {
  await client.execute("SELECT 1");
  post({ type: "second ran" });
} catch (err) {
  post({ type: "second refused", message: (err as Error).message });
}
client.close();
if (spin) for (;;) Math.sqrt(Math.random());
