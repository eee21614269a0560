// The benchmark's child processes: start a Node server and wait for the stdout line that says where it
// listens, read a process's resident memory, and stop every child we started on exit, error or signal.
import { fork, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";

const children = new Set<ChildProcess>();

function track<C extends ChildProcess>(child: C): C {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

export interface Server {
  child: ChildProcess;
  /** The regular expression's match on the readiness line. */
  match: RegExpExecArray;
  /** Everything the server wrote to stderr so far (internal errors are logged there). */
  stderr(): string;
}

/**
 * Spawns `node <args>` (or `command <args>`, e.g. an executable script), with `env` added to ours, and
 * resolves once a stdout line matches `ready`.
 */
export function startServer(
  args: string[],
  ready: RegExp,
  timeoutMs = 15_000,
  env: Record<string, string> = {},
  command: string = process.execPath,
): Promise<Server> {
  const child = track(spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } }));
  let out = "";
  let err = "";
  let isReady = false;
  child.stderr.setEncoding("utf8").on("data", (s: string) => (err += s));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no readiness line within ${timeoutMs} ms`)), timeoutMs);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")}: ${e.message}\n${out}${err}`));
    };
    const onExit = (code: number | null) => fail(new Error(`exited with ${code} before it was ready`));
    child.once("exit", onExit);
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      if (isReady) return;
      out += s;
      const m = ready.exec(out);
      if (m) {
        isReady = true;
        clearTimeout(timer);
        child.off("exit", onExit);
        resolve({ child, match: m, stderr: () => err });
      }
    });
  });
}

/** Forks a TypeScript module (through tsx) with an IPC channel. */
export function forkTs(modulePath: string, env?: Record<string, string>): ChildProcess {
  return track(fork(modulePath, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"], ...(env ? { env: { ...process.env, ...env } } : {}) }));
}

/** SIGTERM, then SIGKILL if the child is still there after `graceMs`. */
export function stop(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => stop(c)));
}

/** Kills whatever is left when this process goes away, however it goes. */
export function installCleanup(): void {
  process.on("exit", () => {
    for (const c of children) c.kill("SIGKILL");
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      process.stderr.write(`bench: ${sig}, stopping children\n`);
      process.exit(130);
    });
  }
}

/** Resident set size in MB, from /proc/<pid>/status (Linux). */
export function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (Linux). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ");
  if (!fields) throw new Error(`no stat for pid ${pid}`);
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
