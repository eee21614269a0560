// Runs the OpenStack CLI (`openstack`, Debian's python3-openstackclient) against a running hwlocal, with the
// OS_* variables `hwlocal env --openstack` prints and `--format json`, and parses its output. The CLI is a
// separate program: hwlocal must listen on a real port (startTestHwlocal's or startCli's both do), and the
// test's event loop stays free while the CLI runs, so an in-process hwlocal answers it too.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What the helper needs of a hwlocal: its URL, and its seed account when it is not the default one. */
export interface OpenstackTarget {
  url: string;
  seed?: { domain: { name: string }; user: { name: string; password: string } };
}

export interface OpenstackOptions {
  /** OS_REGION_NAME and the project (Huawei names a region's project after the region); cn-north-4. */
  region?: string;
  /** Extra or overriding variables (e.g. OS_PASSWORD for an error path). */
  env?: Record<string, string>;
  /** Milliseconds before the CLI is killed; 60 s. */
  timeoutMs?: number;
}

// A home of its own: the CLI must find no clouds.yaml or cache of the developer's.
const HOME = mkdtempSync(join(tmpdir(), "hwlocal-openstack-home-"));

/** The OS_* variables for the seed account's project in a region. */
export function openstackEnv(hw: OpenstackTarget, region = "cn-north-4"): Record<string, string> {
  const user = hw.seed?.user ?? { name: "admin", password: "Hwlocal@2026" };
  const domain = hw.seed?.domain.name ?? "hwlocal";
  return {
    OS_AUTH_URL: `${hw.url}/iam/v3`,
    OS_USERNAME: user.name,
    OS_PASSWORD: user.password,
    OS_USER_DOMAIN_NAME: domain,
    OS_PROJECT_NAME: region,
    OS_PROJECT_DOMAIN_NAME: domain,
    OS_REGION_NAME: region,
    OS_IDENTITY_API_VERSION: "3",
    OS_INTERFACE: "public",
  };
}

export class OpenstackCliError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number | string | null,
    readonly stderr: string,
  ) {
    super(`openstack ${args.join(" ")} failed (${String(code)}): ${stderr.trim()}`);
  }
}

/** The CLI's raw run: exit code, stdout and stderr (for error paths that must fail). */
export function runOpenstack(
  hw: OpenstackTarget,
  args: string[],
  opts: OpenstackOptions = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME, LANG: "C.UTF-8", ...openstackEnv(hw, opts.region), ...opts.env };
  return new Promise((resolve) => {
    execFile("openstack", args, { env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout, stderr: err && !stderr ? err.message : stderr });
    });
  });
}

/**
 * Runs `openstack <args> --format json` and returns the parsed output; fails with the CLI's stderr. Commands
 * that take no --format (delete, set, add) need `json: false`: they resolve to null when they print nothing.
 */
export async function openstackCli(hw: OpenstackTarget, args: string[], opts: OpenstackOptions & { json?: boolean } = {}): Promise<unknown> {
  const full = opts.json === false ? args : [...args, "--format", "json"];
  const r = await runOpenstack(hw, full, opts);
  if (r.code !== 0) throw new OpenstackCliError(full, r.code, r.stderr);
  const out = r.stdout.trim();
  if (!out) return null;
  try {
    return JSON.parse(out) as unknown;
  } catch {
    throw new OpenstackCliError(full, r.code, `output is not JSON: ${out.slice(0, 500)}\n${r.stderr}`);
  }
}

// openstacksdk (Debian's python3-openstacksdk, which the CLI runs on) connected from the same variables.
const SDK_PRELUDE = `
import json, os, openstack
e = os.environ
conn = openstack.connect(auth_url=e["OS_AUTH_URL"], username=e["OS_USERNAME"], password=e["OS_PASSWORD"],
    user_domain_name=e["OS_USER_DOMAIN_NAME"], project_name=e["OS_PROJECT_NAME"],
    project_domain_name=e["OS_PROJECT_DOMAIN_NAME"], region_name=e["OS_REGION_NAME"], interface="public",
    identity_api_version="3")
out = None
`;

/**
 * Runs Python code with openstacksdk's `conn` connected as the CLI is, and returns what the code puts in
 * `out`, as JSON. Fails with Python's stderr (an exception's traceback).
 */
export async function openstackSdk(hw: OpenstackTarget, code: string, opts: OpenstackOptions = {}): Promise<unknown> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME, LANG: "C.UTF-8", ...openstackEnv(hw, opts.region), ...opts.env };
  const script = `${SDK_PRELUDE}${code}\nprint(json.dumps(out, default=str))\n`;
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    // The system Python: the CLI's packages are not in another Python's path.
    execFile("/usr/bin/python3", ["-c", script], { env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr: err && !stderr ? err.message : stderr });
    });
  });
  if (r.code !== 0) throw new OpenstackCliError(["python3", "-c", code], r.code, r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "null") as unknown;
}
