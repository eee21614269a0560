// `npm run bench:micro`: hwlocal's own cost per request, without the network. Runs hwlocal in this process
// and calls the gateway's request listener directly with prepared requests (each signed read with its own
// signature) and a response object that only counts what it is given, then prints the process's CPU time (all threads, GC included) per request: steadier than wall time
// on a shared machine. No
// sockets, no load generator, no second process: a steady figure for before/after comparisons of the
// request path, which the loopback figures of `npm run bench` (kernel wake-ups included) are not.
import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { resolveConfig } from "../src/config.ts";
import { startHwlocal } from "../src/main.ts";
import { signRequest } from "../test/helpers/sign.ts";

interface FakeRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** What the gateway reads of an IncomingMessage: url, method, headers, and data/end events for a body. */
function incoming(r: FakeRequest): IncomingMessage {
  if (!r.body) return r as unknown as IncomingMessage;
  const listeners: Record<string, ((x?: Buffer) => void)[]> = {};
  const msg = {
    ...r,
    on(event: string, fn: (x?: Buffer) => void) {
      (listeners[event] ??= []).push(fn);
      if (event === "end") queueMicrotask(() => {
        for (const f of listeners.data ?? []) f(r.body);
        for (const f of listeners.end ?? []) f();
      });
      return msg;
    },
    resume() {},
  };
  return msg as unknown as IncomingMessage;
}

const TOKEN_BODY = Buffer.from(
  JSON.stringify({
    auth: {
      identity: { methods: ["password"], password: { user: { name: "admin", password: "Hwlocal@2026", domain: { name: "hwlocal" } } } },
      scope: { project: { name: "cn-north-4" } },
    },
  }),
);

function lower(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

async function main(): Promise<void> {
  const n = Number(process.env.MICRO_REQUESTS ?? 50_000);
  const hw = await startHwlocal(resolveConfig({ port: 0, inMemory: true }));
  const base = hw.url;
  const creds = { ak: hw.seed.accessKey.ak, sk: hw.seed.accessKey.sk };
  const project = hw.seed.regions.find((r) => r.id === "cn-north-4")!.projectId;
  let done = 0;
  let finished: () => void = () => {};
  let failed = "";
  const res = {
    writeHead(status: number) {
      if (status >= 400 && !failed) failed = `status ${status}`;
      return this;
    },
    end() {
      done++;
      finished();
    },
    destroy() {},
    headersSent: false,
  } as unknown as ServerResponse;

  const signedRead = (i: number, path: string): FakeRequest => {
    const url = new URL(`${base}${path}`);
    const headers = signRequest({
      method: "GET",
      url,
      headers: { "Content-Type": "application/json", "X-Bench-Nonce": `n-${i}` },
      body: undefined,
      creds,
      date: new Date(Date.now() - (i % 600) * 1000),
    });
    return { url: `${url.pathname}${url.search}`, method: "GET", headers: lower(headers) };
  };
  const scenarios: { name: string; make: (i: number) => FakeRequest }[] = [
    { name: "GET /_hwlocal/health", make: () => ({ url: "/_hwlocal/health", method: "GET", headers: { host: "127.0.0.1" } }) },
    { name: "signed GET /iam/v3/projects?name=cn-north-4", make: (i) => signedRead(i, "/iam/v3/projects?name=cn-north-4") },
    { name: "signed GET /vpc/v1/{project_id}/vpcs", make: (i) => signedRead(i, `/vpc/v1/${project}/vpcs`) },
    {
      name: "POST /iam/v3/auth/tokens (password, project scope)",
      make: () => ({
        url: "/iam/v3/auth/tokens",
        method: "POST",
        headers: { host: "127.0.0.1", "content-type": "application/json", "content-length": String(TOKEN_BODY.length) },
        body: TOKEN_BODY,
      }),
    },
  ];
  for (const s of scenarios) {
    const reqs = Array.from({ length: n }, (_, i) => s.make(i));
    // Requests with a body answer after their data events: one at a time, awaited.
    const run = async (count: number) => {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let i = 0; i < count; i++) {
        const r = reqs[i]!;
        if (!r.body) hw.gateway.listener(r as unknown as IncomingMessage, res);
        else await new Promise<void>((resolve) => {
          finished = resolve;
          hw.gateway.listener(incoming(r), res);
        });
      }
      finished = () => {};
      await new Promise((resolve) => setImmediate(resolve)); // the gateway writes answers at the end of the turn
      const c = process.cpuUsage(c0);
      return { wall: ((performance.now() - t0) * 1000) / count, cpu: (c.user + c.system) / count };
    };
    await run(Math.min(5000, n)); // warm-up (the same signatures again: verification does not remember them)
    done = 0;
    const { wall, cpu } = await run(n);
    if (done !== n || failed) throw new Error(`${s.name}: ${done} of ${n} answered${failed ? `, ${failed}` : ""}`);
    console.log(`${cpu.toFixed(2).padStart(7)} µs CPU/request (${wall.toFixed(2)} µs wall)  ${s.name}`);
  }
  await hw.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
