import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** Sends raw bytes (as curl does with an unencoded Chinese query) and returns status and body. */
function rawGet(port: number, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (d) => chunks.push(d));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf("\r\n\r\n") + 4) });
    });
    socket.write(Buffer.concat([Buffer.from(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`, "utf8")]));
  });
}

function dechunk(body: string): string {
  // Node answers with chunked encoding; keep only the chunk payloads.
  if (!/^[0-9a-f]+\r\n/i.test(body)) return body;
  let out = "";
  let rest = body;
  for (;;) {
    const m = /^([0-9a-f]+)\r\n/i.exec(rest);
    if (!m) break;
    const size = parseInt(m[1]!, 16);
    if (size === 0) break;
    const start = m[0].length;
    const bytes = Buffer.from(rest.slice(start), "utf8").subarray(0, size).toString("utf8");
    out += bytes;
    rest = rest.slice(start + bytes.length + 2);
  }
  return out;
}

describe("npm start: the Node entry migrates, seeds and serves", () => {
  const port = 20000 + Math.floor(Math.random() * 9000);
  const dir = mkdtempSync(join(tmpdir(), "vbp-entry-"));
  let child: ChildProcess;
  let output = "";

  beforeAll(async () => {
    child = spawn(process.execPath, ["--import", "tsx", "src/node.ts"], {
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: `file:${join(dir, "vbp.db")}`, LOG_REQUESTS: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const deadline = Date.now() + 40_000;
    while (!output.includes("serving on") && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain("serving on");
  });

  afterAll(() => {
    if (child?.pid && child.exitCode === null) child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers /health and the seeded atorvastatin price for an unencoded Chinese query", async () => {
    expect(output).toContain("loaded the seed data");
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await health.json()).toEqual({ status: "ok" });
    const { status, body } = await rawGet(port, "/api/v1/prices?q=阿托伐他汀");
    expect(status).toBe(200);
    const json = JSON.parse(dechunk(body));
    const calcium = json.data.find((p: any) => p.product.genericName === "阿托伐他汀钙片");
    expect(calcium.discountPct).toBe(97.7);
  });

  it("serves the real national results of batches 1–4 from the seeds: 阿那曲唑 in batch 3, batch 4's 158 products from 118 firms", async () => {
    const { status, body } = await rawGet(port, "/api/v1/prices?q=阿那曲唑&limit=50");
    expect(status).toBe(200);
    const json = JSON.parse(dechunk(body));
    const batch3 = json.data.filter((p: any) => p.batch.id === "national-drug-3");
    // 阿那曲唑 1mg: four firms chosen in batch 3 (workbook sheet 第三轮集采, rows 3-6).
    expect(batch3.map((p: any) => p.product.manufacturer).sort()).toEqual(
      ["扬子江药业集团有限公司", "杭州中美华东制药有限公司", "浙江海正药业股份有限公司", "重庆华邦制药有限公司"].sort(),
    );
    for (const p of batch3) {
      expect(p.synthetic).toBe(false);
      expect(p.source).toMatch(/^national-vbp-results-batches-1-4\.xlsx .*, sheet 第三轮集采, row \d+$/);
      expect(p.referenceKind).toBe("ceiling");
      expect(p.referencePrice).toBe(8.8571);
    }
    expect(batch3.find((p: any) => p.product.manufacturer === "浙江海正药业股份有限公司")).toMatchObject({ chosenPrice: 0.9957, discountPct: 88.76 });
    const b4 = JSON.parse(dechunk((await rawGet(port, "/api/v1/batches/national-drug-4")).body));
    expect(b4.statistics ?? b4.data?.statistics).toMatchObject({ products: 158, firms: 118 });
  });

  it("refuses to start with a clear message when the configuration is wrong", async () => {
    const bad = spawn(process.execPath, ["--import", "tsx", "src/node.ts"], {
      env: { ...process.env, PORT: "not-a-port", DATABASE_URL: `file:${join(dir, "x.db")}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    bad.stderr!.on("data", (d) => (text += d));
    const code = await new Promise<number | null>((r) => bad.on("exit", r));
    expect(code).toBe(1);
    expect(text).toContain("Invalid configuration");
    expect(text).toContain("PORT");
  });
});
