import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { type ClientRequest, type IncomingMessage, request } from "node:http";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";

export const PROJECT = fileURLToPath(new URL("../..", import.meta.url));

export type Service = { child: ChildProcess; port: number; output: () => string; exited: Promise<{ code: number | null; signal: string | null; at: number }> };

/**
 * Runs an npm script of the project (`npm start`, `npm run import -- …`) as an operator would, in a
 * process group of its own (so a test can also play a terminal's Ctrl-C, which reaches the group).
 * Output is collected; `port` is read from the "serving on" line when `waitFor` asks for it.
 */
export async function runNpm(
  args: string[],
  env: Record<string, string>,
  { waitFor = /serving on http:\/\/127\.0\.0\.1:(\d+)/, timeoutMs = 60_000 } = {},
): Promise<Service> {
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  const child = spawn("npm", args, { cwd: PROJECT, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((done) =>
    child.once("exit", (code, signal) => done({ code, signal, at: performance.now() })),
  );
  const deadline = Date.now() + timeoutMs;
  let match: RegExpExecArray | null = null;
  while (!(match = waitFor.exec(output)) && Date.now() < deadline && child.exitCode === null) await sleep(50);
  if (!match) throw new Error(`npm ${args.join(" ")} did not print ${waitFor}:\n${output}`);
  return { child, port: Number(match[1] ?? 0), output: () => output, exited };
}

/** Every process whose ancestry leads to `root`, `root` included (from /proc: Linux). */
export function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
    } catch {
      // the process ended while the list was read
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i]!) ?? []));
  return tree;
}

/** True while `pid` runs (a zombie waiting for its parent counts as ended). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Resolves with the connection's outcome: "refused" when nothing listens on the port any more. */
export function tryConnect(port: number): Promise<"connected" | "refused"> {
  return new Promise((done) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      done("connected");
    });
    socket.once("error", () => done("refused"));
  });
}

export type Upload = {
  req: ClientRequest;
  /** Sends the rest of the body. */
  finish: () => void;
  /** Status and body, or the error that ended the exchange (the server dropped the connection). */
  response: Promise<{ status: number; body: string } | { error: string }>;
};

/**
 * A POST whose body arrives in two parts: the first now, the rest when `finish` is called, as a
 * slow network delivers an upload. The request is in flight on the server in between.
 */
export function slowUpload(port: number, path: string, body: Uint8Array, headers: Record<string, string> = {}): Upload {
  const req = request({
    host: "127.0.0.1",
    port,
    path,
    method: "POST",
    headers: { "content-type": "text/csv", "content-length": String(body.length), ...headers },
  });
  const half = Math.floor(body.length / 2);
  const response = new Promise<{ status: number; body: string } | { error: string }>((done) => {
    req.once("response", (res: IncomingMessage) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.once("end", () => done({ status: res.statusCode ?? 0, body: text }));
      res.once("error", (err) => done({ error: String(err) }));
    });
    req.once("error", (err) => done({ error: String(err) }));
  });
  req.write(body.subarray(0, half));
  return { req, finish: () => req.end(body.subarray(half)), response };
}

/**
 * `npm start` as a user runs it, for uploads: the admin token set, uploads spooled to `spoolDir`,
 * request log and rate limit off. `serverPid` is the built server itself (dist/node.js), whose
 * memory a test reads from /proc, not npm's.
 */
export async function startUploadServer(
  databaseUrl: string,
  spoolDir: string,
  adminToken: string,
  env: Record<string, string> = {},
): Promise<{ service: Service; serverPid: number }> {
  const service = await runNpm(
    ["start"],
    { DATABASE_URL: databaseUrl, PORT: "0", ADMIN_TOKEN: adminToken, UPLOAD_SPOOL_DIR: spoolDir, LOG_REQUESTS: "false", RATE_LIMIT_PER_MINUTE: "0", ...env },
    { timeoutMs: 120_000 },
  );
  const serverPid = processTree(service.child.pid!).find((pid) => /dist\/node\.js/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8")));
  if (!serverPid) throw new Error("npm start left no dist/node.js process");
  return { service, serverPid };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
