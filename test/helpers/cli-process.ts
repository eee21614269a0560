// Runs `hwlocal start` as a child process from source (helpers/cli.ts) and waits for its endpoint line.
import { spawn, type ChildProcess } from "node:child_process";

const CLI = new URL("./cli.ts", import.meta.url).pathname;

export interface CliProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** stdout and stderr so far. */
  output: () => string;
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** How to run the CLI: from source through tsx (the default), or a built script with node flags. */
export interface Launch {
  script?: string;
  node?: string[];
}

function spawnCli(args: string[], launch: Launch = {}): { child: ChildProcess; output: () => string } {
  const entry = launch.script ? [launch.script] : ["--import", "tsx", CLI];
  const child = spawn(process.execPath, [...(launch.node ?? []), ...entry, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  return { child, output: () => out };
}

/** Starts hwlocal and resolves once it prints its endpoint; rejects if it exits first. */
export async function startCli(args: string[], launch: Launch = {}): Promise<CliProcess> {
  const { child, output } = spawnCli(["start", "--port", "0", ...args], launch);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hwlocal did not start: ${output()}`)), 20_000);
    const check = () => {
      const m = /endpoint\s+(http:\/\/\S+)/.exec(output());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`hwlocal exited with ${code}: ${output()}`));
    });
  });
  return { child, url, port: Number(new URL(url).port), output };
}

/** Runs the CLI to its end (for a start that must fail): its exit code and output. */
export async function runCli(args: string[], timeoutMs = 20_000): Promise<{ code: number | null; output: string }> {
  const { child, output } = spawnCli(args);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const { code } = await exited(child);
  clearTimeout(timer);
  return { code, output: output() };
}
