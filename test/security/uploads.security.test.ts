import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, serveFetch } from "../../src/node-http/serve";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

const MB = 1024 * 1024;

/** A request body of `total` bytes that counts what the server pulled from it. */
function countedBody(prefix: string, total: number) {
  const head = new TextEncoder().encode(prefix);
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0 && head.length) {
        sent += head.length;
        return controller.enqueue(head);
      }
      if (sent >= total) return controller.close();
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => sent };
}

const BOUNDARY = "----vbpBoundary7MA4YWxkTrZu0gW";
const part = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const fileHead = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`;

describe("nothing large is read before the token is checked", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld({ settings: { uploadsAtOnce: 2, priceCheckBodyLimitBytes: 1 * MB } });
  });
  afterAll(() => world.close());

  it("refuses a wrong token on the import page after reading a few kilobytes of a 60 MB form", async () => {
    const body = countedBody(part("token", "wrong-token-0123456789") + part("kind", "prices") + fileHead, 60 * MB);
    const res = await world.app.request("/import", {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
      body: body.stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("管理令牌不正确");
    expect(body.pulled()).toBeLessThan(256 * 1024);
  });

  it("refuses a form whose first field is not the token, before its file is read", async () => {
    const body = countedBody(fileHead, 60 * MB);
    const res = await world.app.request("/import", {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
      body: body.stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(401);
    expect(body.pulled()).toBeLessThan(256 * 1024);
  });

  it("refuses a wrong bearer token on the API before reading a 60 MB body", async () => {
    const body = countedBody("", 60 * MB);
    const res = await world.app.request("/api/v1/imports?kind=prices", {
      method: "POST",
      headers: { "content-type": "text/csv", authorization: "Bearer wrong-token-0123456789" },
      body: body.stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(401);
    expect(body.pulled()).toBeLessThan(128 * 1024);
  });

  it("still imports through the page with the right token: the bytes read for the check are put back", async () => {
    const csv = "code,name,level\n990101,测试区一,province\n";
    const text = `${part("token", TEST_ADMIN_TOKEN) + part("kind", "regions") + part("batch", "")}${fileHead}${csv}\r\n--${BOUNDARY}--\r\n`;
    const res = await world.app.request("/import", {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
      body: text.replace('filename="big.csv"', 'filename="regions.csv"'),
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("已导入 1 行");
    const audit = await (await world.app.request("/api/v1/imports", { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).json();
    expect(audit.data[0].actor).toBe("token:admin (web page)");
  });

  it("limits the public price check to its own size (1 MB here), page and API", async () => {
    const big = new File([new Uint8Array(2 * MB).fill(0x61)], "list.csv", { type: "text/csv" });
    const form = new FormData();
    form.set("file", big);
    expect((await world.app.request("/price-check", { method: "POST", body: form })).status).toBe(413);
    const api = await world.app.request("/api/v1/price-check", { method: "POST", headers: { "content-type": "text/csv" }, body: new Uint8Array(2 * MB) });
    expect(api.status).toBe(413);
    expect((await api.json()).error.message).toContain("1 MB");
  });

  it("reads at most UPLOADS_AT_ONCE bodies at a time; the next upload gets 503 with Retry-After before its body is read", async () => {
    const releases: Array<() => void> = [];
    const stalled = () => {
      let pulls = 0;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (pulls++ === 0) return controller.enqueue(new TextEncoder().encode("药品通用名,规格\n"));
          await new Promise<void>((r) => releases.push(r));
          controller.close();
        },
      });
    };
    const post = (body: ReadableStream<Uint8Array> | string) =>
      world.app.request("/api/v1/price-check", { method: "POST", headers: { "content-type": "text/csv" }, body, duplex: "half" } as RequestInit);
    const first = post(stalled());
    const second = post(stalled());
    await new Promise((r) => setTimeout(r, 50));
    const third = await post("药品通用名,规格\n");
    expect(third.status).toBe(503);
    expect(third.headers.get("retry-after")).toBe("5");
    expect((await third.json()).error.code).toBe("uploads_busy");
    while (releases.length < 2) await new Promise((r) => setTimeout(r, 10));
    for (const r of releases) r();
    expect((await first).status).toBeLessThan(500);
    expect((await second).status).toBeLessThan(500);
    expect((await post("药品通用名,规格\n")).status).not.toBe(503);
  });
});

describe("caller mistakes in bodies are 4xx with the error shape", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld({ seed: false });
  });
  afterAll(() => world.close());

  const broken = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nno closing boundary`;
  const headers = { "content-type": `multipart/form-data; boundary=${BOUNDARY}` };

  it("answers malformed multipart with 400 on /api/v1/price-check, /api/v1/imports, /price-check and /import", async () => {
    const api = await world.app.request("/api/v1/price-check", { method: "POST", headers, body: broken });
    expect(api.status).toBe(400);
    expect((await api.json()).error.code).toBe("malformed_form");
    const imp = await world.app.request("/api/v1/imports?kind=prices", {
      method: "POST",
      headers: { ...headers, authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      body: broken,
    });
    expect(imp.status).toBe(400);
    expect((await imp.json()).error.code).toBe("malformed_form");
    const page = await world.app.request("/price-check", { method: "POST", headers, body: broken });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("表单内容不完整");
    const importPage = await world.app.request("/import", { method: "POST", headers, body: part("token", TEST_ADMIN_TOKEN) + broken });
    expect(importPage.status).toBe(400);
  });

  it("answers a form page posted as JSON with 415", async () => {
    const res = await world.app.request("/price-check", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(415);
    const imp = await world.app.request("/import", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(imp.status).toBe(415);
  });
});

describe("slow clients are cut off (Node server)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serveFetch(async (req) => new Response(await req.text()), 0, "127.0.0.1", { headersTimeoutMs: 500, requestTimeoutMs: 1000 });
  });
  afterAll(() => server.close());

  /** Sends `text` and resolves with what came back and how long until the server closed the connection. */
  const hold = (text: string) =>
    new Promise<{ answer: string; ms: number }>((resolve) => {
      const started = Date.now();
      const socket = connect(server.port, "127.0.0.1", () => socket.write(text));
      let answer = "";
      socket.on("data", (d) => (answer += d.toString()));
      socket.on("error", () => {});
      socket.on("close", () => resolve({ answer, ms: Date.now() - started }));
      setTimeout(() => socket.destroy(), 8000);
    });

  it("closes a body that declared 1 MB and sent 10 bytes once the request timeout passes", async () => {
    const { answer, ms } = await hold("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 1048576\r\n\r\n0123456789");
    expect(ms).toBeLessThan(4000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it("answers a URL past the 16 KB of request line and headers with 431 that says so, not a malformed request", async () => {
    // A pasted page of text in a search box: 3,000 Chinese characters, percent-encoded as a browser sends them.
    const q = encodeURIComponent("阿".repeat(3000));
    const { answer } = await hold(`GET /api/v1/prices?q=${q} HTTP/1.1\r\nHost: a\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431/);
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toContain("larger than 16 KB");
    expect(body.error.message).not.toContain("percent-encode");
  });

  it("closes headers that never end, and a request line that never ends", async () => {
    const headersOpen = await hold("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: 1\r\n");
    expect(headersOpen.ms).toBeLessThan(4000);
    const lineOpen = await hold("GET /never-ending-request-line");
    expect(lineOpen.ms).toBeLessThan(4000);
  });
});
