// The commands that steer a running hwlocal through its control API (/_hwlocal/): status, wait, reset,
// clock and checkpoint. Each prints lines for people, or the API's JSON with --json; each reaches hwlocal
// at --endpoint (default http://127.0.0.1:$HWLOCAL_PORT or :4577), signing with HUAWEICLOUD_SDK_AK/SK
// when both are set (checkpoint export and import too). A failed call exits 1 with the API's message.
import { createHash } from "node:crypto";
import { createWriteStream, createReadStream, statSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Command } from "commander";
import { z } from "../kernel/zod.ts";
import { SystemClock } from "../kernel/clock.ts";
import { keyFromEnv, served } from "./env.ts";
import { ControlError, controlCall, endpointOf, sha256Hex, signedHeaders } from "./control-http.ts";

interface Common {
  endpoint?: string;
  json?: boolean;
}

const Status = z.object({
  version: z.string(),
  uptime_seconds: z.number(),
  clock: z.object({ now: z.string(), offset_seconds: z.number() }),
  init: z.string(),
  checkpoints: z.number(),
  services: z.record(z.string(), z.string()),
});
const ClockView = z.object({ now: z.string(), offset_seconds: z.number() });
const Checkpoint = z.object({ id: z.string(), name: z.string(), created_at: z.string(), clock: z.string(), size: z.number() });

const out = (lines: string[]): void => void process.stdout.write(`${lines.join("\n")}\n`);
const json = (v: unknown): void => void process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);

function duration(s: number): string {
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return [d ? `${d}d` : "", h ? `${h}h` : "", m ? `${m}m` : "", `${Math.floor(s % 60)}s`].filter(Boolean).join(" ");
}

/** "90", "90s", "15m", "2h", "1d" → seconds. */
export function parseSeconds(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  if (!m) throw new Error(`${text}: not a duration (seconds, or a number with s, m, h or d)`);
  return Number(m[1]) * { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "" | "s" | "m" | "h" | "d"];
}

const bytes = (n: number) => (n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`);

function withCommon(c: Command): Command {
  return c.option("--endpoint <url>", "hwlocal's endpoint (default http://127.0.0.1:$HWLOCAL_PORT or :4577)").option("--json", "print the API's JSON");
}

const call = (flags: Common, method: string, path: string, body?: unknown) =>
  controlCall(endpointOf(flags.endpoint), method, path, { body, key: keyFromEnv(process.env) });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function addControlCommands(program: Command): void {
  withCommon(program.command("status").description("show whether hwlocal is up: version, uptime, clock, services")).action(async (flags: Common) => {
    const s = await call(flags, "GET", "/status");
    if (flags.json) return json(s);
    const v = Status.parse(s);
    // Served services; those started so far are marked (the others start on their first call).
    const services = Object.entries(v.services)
      .filter(([, st]) => served(st))
      .map(([n, st]) => (st === "running" ? `${n}*` : n));
    out([
      `hwlocal ${v.version} at ${endpointOf(flags.endpoint)}: up ${duration(v.uptime_seconds)}`,
      `  clock        ${v.clock.now}${v.clock.offset_seconds ? ` (real time ${v.clock.offset_seconds >= 0 ? "+" : ""}${v.clock.offset_seconds} s)` : " (real time)"}`,
      `  services     ${services.join(", ")}${services.some((n) => n.endsWith("*")) ? "  (* started)" : ""}`,
      `  init         ${v.init}`,
      `  checkpoints  ${v.checkpoints}`,
    ]);
  });

  withCommon(program.command("wait").description("wait until hwlocal answers healthy (and its --init has run): exit 0, or 1 at the timeout"))
    .option("--timeout <seconds>", "how long to wait", "60")
    .action(async (flags: Common & { timeout: string }) => {
      const clock = new SystemClock();
      const deadline = clock.wallNow() + parseSeconds(flags.timeout) * 1000;
      let last = "not reachable";
      for (;;) {
        try {
          const s = Status.parse(await call(flags, "GET", "/status"));
          if (s.init !== "running") {
            if (flags.json) json({ status: "ok", init: s.init });
            else out([`hwlocal ${s.version} is up at ${endpointOf(flags.endpoint)}${s.init === "failed" ? " (its --init failed: see hwlocal status)" : ""}`]);
            return;
          }
          last = "its --init is still running";
        } catch (err) {
          last = err instanceof ControlError && err.status === 0 ? "not reachable" : String(err instanceof Error ? err.message : err);
        }
        if (clock.wallNow() >= deadline) {
          process.exitCode = 1;
          process.stderr.write(`hwlocal: not ready at ${endpointOf(flags.endpoint)} after ${flags.timeout} s: ${last}\n`);
          return;
        }
        await sleep(Math.min(200, Math.max(0, deadline - clock.wallNow())));
      }
    });

  withCommon(program.command("reset").description("drop every resource: back to the seed state and real time")).action(async (flags: Common) => {
    const r = await call(flags, "POST", "/reset");
    if (flags.json) json(r);
    else out(["hwlocal reset to its seed state"]);
  });

  withCommon(program.command("clock").description("show hwlocal's clock, or move it: clock advance <duration> (90, 15m, 2h, 1d)"))
    .argument("[action]", "advance")
    .argument("[duration]", "how far: seconds, or a number with s, m, h or d")
    .action(async (action: string | undefined, amount: string | undefined, flags: Common) => {
      let r: unknown;
      if (action === undefined) r = await call(flags, "GET", "/clock");
      else if (action === "advance" && amount !== undefined) r = await call(flags, "POST", "/clock/advance", { seconds: parseSeconds(amount) });
      else throw new Error("usage: hwlocal clock [advance <duration>]");
      if (flags.json) return json(r);
      const c = ClockView.parse(r);
      out([`${c.now}  (real time ${c.offset_seconds >= 0 ? "+" : ""}${c.offset_seconds} s)`]);
    });

  const cp = program.command("checkpoint").description("save, restore, list, remove, export or import hwlocal's whole state");
  withCommon(cp.command("save").argument("<name>").description("save the state under a name")).action(async (name: string, flags: Common) => {
    const r = await call(flags, "POST", "/state/checkpoints", { name });
    if (flags.json) return json(r);
    const c = Checkpoint.parse(r);
    out([`saved ${c.name} (${c.id}, ${bytes(c.size)}, clock ${c.clock})`]);
  });
  withCommon(cp.command("restore").argument("<name>", "name or id").description("bring a saved state back")).action(async (name: string, flags: Common) => {
    const r = await call(flags, "POST", `/state/checkpoints/${encodeURIComponent(name)}/restore`);
    if (flags.json) return json(r);
    const c = Checkpoint.parse((r as { checkpoint: unknown }).checkpoint);
    out([`restored ${c.name} (${c.id}, saved ${c.created_at})`]);
  });
  withCommon(cp.command("list").description("list the saved states")).action(async (flags: Common) => {
    const r = await call(flags, "GET", "/state/checkpoints");
    if (flags.json) return json(r);
    const list = z.object({ checkpoints: z.array(Checkpoint) }).parse(r).checkpoints;
    if (list.length === 0) return out(["no checkpoints"]);
    const w = Math.max(4, ...list.map((c) => c.name.length));
    out([`${"NAME".padEnd(w)}  ${"ID".padEnd(21)}  ${"SAVED".padEnd(24)}  SIZE`, ...list.map((c) => `${c.name.padEnd(w)}  ${c.id.padEnd(21)}  ${c.created_at.padEnd(24)}  ${bytes(c.size)}`)]);
  });
  withCommon(cp.command("rm").argument("<name>", "name or id").description("delete a saved state")).action(async (name: string, flags: Common) => {
    await call(flags, "DELETE", `/state/checkpoints/${encodeURIComponent(name)}`);
    if (flags.json) return json({ deleted: name });
    out([`deleted ${name}`]);
  });
  withCommon(cp.command("export").argument("<file>").description("download the state as one file (a tar)")).action(async (file: string, flags: Common) => {
    const base = endpointOf(flags.endpoint);
    const url = new URL(`${base}/_hwlocal/state/export`);
    const key = keyFromEnv(process.env);
    const headers = key ? signedHeaders("GET", url, key, { sha256: sha256Hex(""), contentType: "application/json" }) : {};
    const res = await fetch(url, { headers }).catch(() => {
      throw new ControlError(`hwlocal is not reachable at ${base}`, 0);
    });
    if (!res.ok || !res.body) throw new Error(`export: ${res.status} ${await res.text()}`);
    await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>), createWriteStream(file));
    if (flags.json) return json({ file, size: statSync(file).size });
    out([`exported to ${file} (${bytes(statSync(file).size)})`]);
  });
  withCommon(cp.command("import").argument("<file>").description("replace the state by an exported one")).action(async (file: string, flags: Common) => {
    const base = endpointOf(flags.endpoint);
    const url = new URL(`${base}/_hwlocal/state/import`);
    const key = keyFromEnv(process.env);
    let headers: Record<string, string> = { "Content-Type": "application/x-tar" };
    if (key) {
      // Signed over the file's hash, read once before the upload (hwlocal checks it after reading the body).
      const hash = createHash("sha256");
      for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
      headers = signedHeaders("POST", url, key, { sha256: hash.digest("hex"), contentType: "application/x-tar", streamed: true });
    }
    const init: RequestInit & { duplex: "half" } = { method: "POST", headers, body: Readable.toWeb(createReadStream(file)) as ReadableStream, duplex: "half" };
    const res = await fetch(url, init).catch(() => {
      throw new ControlError(`hwlocal is not reachable at ${base}`, 0);
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`import: ${res.status} ${text}`);
    if (flags.json) return json(JSON.parse(text));
    out([`imported ${file}`]);
  });
}
