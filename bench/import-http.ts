/**
 * Import over HTTP, in bounded memory: a SYNTHETIC prices CSV of --rows=N rows (default 1,000,000,
 * ~250 MB, written by `npm run gen` into data/bench-import/gen-N as the import bench does) posted
 * to the real Node server on 127.0.0.1 as one streamed body, while the server's resident memory is
 * sampled from /proc every 100 ms: before, peak during (and VmHWM), and after the answer.
 *
 *   npm run bench -- import-http [--rows=1000000] [--multipart] [--keep]
 *
 * The server spools the body to a temporary file (UPLOAD_SPOOL_DIR, checked empty afterwards) and
 * imports it with the CLI's staged writer in one transaction. Before this, the same upload was
 * buffered whole: 2.87 GB of RSS for the million rows, kept after the import (issue 16).
 */
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { openMigrated } from "../src/cli/database";
import { runGen } from "../src/cli/gen";
import { runImport } from "../src/services/imports";
import { builtServer, rssMb, startServer } from "./support";

const ROOT = resolve(import.meta.dirname, "..");
const TOKEN = "bench-admin-token-0123456789abcdef";
const TARGET_PEAK_MB = 300;

export async function run(args: string[]): Promise<void> {
  const raw = args.find((a) => a.startsWith("--rows="))?.slice("--rows=".length);
  const rows = raw === undefined ? 1_000_000 : Number(raw);
  if (!Number.isSafeInteger(rows) || rows < 1) throw new Error(`--rows must be a positive integer, got ${raw}`);
  const multipart = args.includes("--multipart");
  const work = join(ROOT, "data", "bench-import");
  const dataDir = join(work, `gen-${rows}`);
  const csv = join(dataDir, "prices.csv");
  mkdirSync(work, { recursive: true });
  if (!existsSync(csv)) {
    console.log(`generating ${rows.toLocaleString("en-US")} SYNTHETIC prices (npm run gen) …`);
    await runGen({ prices: rows, out: dataDir, seed: 1 });
  }
  const db = join(work, "http-import.db");
  const spool = join(work, "http-spool");
  for (const s of ["", "-wal", "-shm"]) rmSync(db + s, { force: true });
  rmSync(spool, { recursive: true, force: true });
  mkdirSync(spool);
  const handle = await openMigrated(`file:${db}`);
  const batches = await runImport(handle.db, { kind: "batches", bytes: readFileSync(join(dataDir, "batches.csv")), actor: "bench" });
  if (batches.errors.length) throw new Error(`synthetic batches were rejected: ${JSON.stringify(batches.errors[0])}`);
  await handle.client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  handle.close();

  const size = statSync(csv).size;
  const port = 20000 + Math.floor(Math.random() * 9000);
  // The server as `npm start` runs it (the built dist/node.js, no TypeScript loader in memory).
  const { entry, loader } = builtServer();
  const server = await startServer(
    db,
    port,
    {
      ADMIN_TOKEN: TOKEN,
      IMPORT_BODY_LIMIT_MB: String(Math.ceil((size * 1.1) / 1048576) + 1),
      UPLOAD_SPOOL_DIR: spool,
      REQUEST_TIMEOUT_S: "3600",
    },
    entry,
    loader,
  );
  try {
    const pid = server.pid!;
    const before = rssMb(pid);
    const load1 = loadavg();
    let peak = before;
    // The peak while the body arrives (spooled to disk) and while it is imported, apart.
    const phase = { sent: false, uploadPeak: before, importPeak: 0 };
    const timer = setInterval(() => {
      try {
        const rss = rssMb(pid);
        peak = Math.max(peak, rss);
        if (phase.sent) phase.importPeak = Math.max(phase.importPeak, rss);
        else phase.uploadPeak = Math.max(phase.uploadPeak, rss);
      } catch {
        // the server has just exited
      }
    }, 100);
    console.log(
      `posting ${(size / 1048576).toFixed(0)} MB (${rows.toLocaleString("en-US")} SYNTHETIC prices) ${multipart ? "as a multipart form" : "as text/csv"} …`,
    );
    const started = performance.now();
    const answer = await post(port, csv, size, multipart, () => {
      phase.sent = true;
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(timer);
    const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
    const after = rssMb(pid);
    await new Promise((r) => setTimeout(r, 10_000));
    const after10 = rssMb(pid);
    const load2 = loadavg();
    const report = JSON.parse(answer.body) as { rowsImported?: number; rowsTotal?: number; errors?: unknown[] };
    if (answer.status !== 200) throw new Error(`the import answered ${answer.status}: ${answer.body.slice(0, 2000)}`);
    const left = readdirSync(spool);
    console.log(`answer ${answer.status}: ${report.rowsImported?.toLocaleString("en-US")} rows imported of ${report.rowsTotal?.toLocaleString("en-US")}`);
    console.log(`time from the first byte sent to the answer: ${seconds.toFixed(1)} s, ${Math.round(rows / seconds).toLocaleString("en-US")} rows/s`);
    console.log(
      `server RSS: ${before.toFixed(0)} MB before; peak ${peak.toFixed(0)} MB sampled, ${hwm.toFixed(0)} MB VmHWM (target ≤ ${TARGET_PEAK_MB} MB) ${hwm <= TARGET_PEAK_MB ? "MET" : "NOT MET"}`,
    );
    console.log(`server RSS peak while the body arrived: ${phase.uploadPeak.toFixed(0)} MB; while it was imported: ${phase.importPeak.toFixed(0)} MB`);
    console.log(`server RSS after the answer: ${after.toFixed(0)} MB at once, ${after10.toFixed(0)} MB 10 s later`);
    console.log(`temporary files left in UPLOAD_SPOOL_DIR: ${left.length}`);
    const fmt = (l: number[]) => l.map((n) => n.toFixed(2)).join(", ");
    console.log(`load average (1, 5, 15 min) on ${cpus().length} cores: ${fmt(load1)} before, ${fmt(load2)} after`);
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    if (!args.includes("--keep")) {
      for (const s of ["", "-wal", "-shm"]) rmSync(db + s, { force: true });
      rmSync(spool, { recursive: true, force: true });
    }
  }
}

/** Streams the file as the body (never in memory here either), with Content-Length. */
function post(port: number, file: string, size: number, multipart: boolean, onSent: () => void): Promise<{ status: number; body: string }> {
  const boundary = "----vbp-bench-boundary-7d1f";
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="prices.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = multipart ? head.length + size + tail.length : size;
  async function* body() {
    if (multipart) yield head;
    for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) yield chunk as Buffer;
    if (multipart) yield tail;
    onSent();
  }
  return new Promise((done, fail) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/v1/imports?kind=prices",
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-length": String(length),
          "x-file-name": "prices.csv",
          "content-type": multipart ? `multipart/form-data; boundary=${boundary}` : "text/csv",
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => done({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", fail);
    Readable.from(body()).pipe(req);
  });
}
