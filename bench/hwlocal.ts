// Starting the bundled hwlocal (bin/hwlocal.js, in memory, port 0) as a child process, and its cold
// start: time from spawning the bin as a user runs it (its shebang's Node flags included) until the
// first 200 from GET /_hwlocal/health at the endpoint it printed.
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { startServer, stop, type Server } from "./children.ts";
import { send } from "./http.ts";

const BIN = fileURLToPath(new URL("../bin/hwlocal.js", import.meta.url));
/** The Node flags hwlocal runs with (`npm start` and the bin's shebang pass the same). */
const HWLOCAL_NODE_FLAGS = ["--max-semi-space-size=4"];
const READY = /endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/;

export interface RunningHwlocal extends Server {
  endpoint: string;
}

/** hwlocal in memory on a free port; `opts` adds Node flags, hwlocal flags and environment variables. */
export async function startHwlocal(
  opts: { nodeArgs?: string[]; args?: string[]; env?: Record<string, string>; inMemory?: boolean } = {},
): Promise<RunningHwlocal> {
  const memory = opts.inMemory === false ? [] : ["--in-memory"];
  const args = [...HWLOCAL_NODE_FLAGS, ...(opts.nodeArgs ?? []), BIN, "start", ...memory, "--port", "0", ...(opts.args ?? [])];
  const server = await startServer(args, READY, undefined, opts.env);
  return { ...server, endpoint: server.match[1]! };
}

/** One cold start in ms, through the bin itself (`#!/usr/bin/env -S node …`); the process is stopped afterwards. */
export async function coldStartOnce(): Promise<number> {
  const t0 = performance.now();
  const server = await startServer(["start", "--in-memory", "--port", "0"], READY, undefined, {}, BIN);
  const hw = { ...server, endpoint: server.match[1]! };
  try {
    for (let attempt = 0; ; attempt++) {
      const r = await send(`${hw.endpoint}/_hwlocal/health`).catch(() => undefined);
      if (r?.status === 200) return performance.now() - t0;
      if (attempt >= 50) throw new Error(`health never answered 200 (last: ${r ? `${r.status} ${r.body}` : "no answer"})`);
      await new Promise((res) => setTimeout(res, 5));
    }
  } finally {
    await stop(hw.child);
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A token of the default admin scoped to cn-north-4 (the token-validate scenario's). */
export async function adminToken(endpoint: string): Promise<string> {
  const issued = await send(`${endpoint}/iam/v3/auth/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      auth: {
        identity: { methods: ["password"], password: { user: { name: "admin", password: "Hwlocal@2026", domain: { name: "hwlocal" } } } },
        scope: { project: { name: "cn-north-4" } },
      },
    }),
  });
  const token = issued.headers["x-subject-token"];
  if (issued.status !== 201 || typeof token !== "string") throw new Error(`token for the validate scenario: ${issued.status} ${issued.body}`);
  return token;
}
