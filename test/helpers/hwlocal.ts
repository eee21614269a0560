// Starts a real hwlocal on port 0 for a test (in memory unless told otherwise) and gives the test ways to
// call it: the official SDK clients (sdk.ts) and raw requests signed as the SDK signs them (sign.ts).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveConfig, type ConfigInput } from "../../src/config.ts";
import { startHwlocal, type Hwlocal, type StartDeps } from "../../src/main.ts";
import type { SeedFileInput } from "../../src/services/iam/seed.ts";
import { signRequest, type Credentials } from "./sign.ts";

// The SDK writes $HOME/.huaweicloud/application_id on first use: keep it out of the real home.
process.env.HOME = mkdtempSync(join(tmpdir(), "hwlocal-home-"));

export interface TestHwlocal extends Hwlocal {
  /** The seed account's AK/SK with its project in cn-north-4. */
  admin: Credentials;
  projectId(region?: string): string;
  /** A raw request signed with SDK-HMAC-SHA256 (unsigned when creds is null). */
  call(method: string, path: string, opts?: CallOptions): Promise<CallResult>;
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /** null: send no Authorization header. */
  creds?: Credentials | null;
  query?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

export interface TestOptions extends Partial<ConfigInput> {
  /** A seed file's content, written to a temporary file. */
  seed?: SeedFileInput;
}

export async function startTestHwlocal(options: TestOptions = {}, deps: StartDeps = {}): Promise<TestHwlocal> {
  const { seed, ...overrides } = options;
  if (seed) {
    const file = join(mkdtempSync(join(tmpdir(), "hwlocal-seed-")), "seed.json");
    writeFileSync(file, JSON.stringify(seed));
    overrides.seedFile = file;
  }
  const config = resolveConfig({ port: 0, inMemory: true, ...overrides });
  const hw = await startHwlocal(config, deps);
  const admin: Credentials = { ak: hw.seed.accessKey.ak, sk: hw.seed.accessKey.sk };
  const projectId = (region = "cn-north-4") => {
    const r = hw.seed.regions.find((x) => x.id === region);
    if (!r) throw new Error(`no project in ${region}`);
    return r.projectId;
  };
  const call = async (method: string, path: string, opts: CallOptions = {}): Promise<CallResult> => {
    const qs = opts.query ? `?${new URLSearchParams(opts.query).toString().replace(/\+/g, "%20")}` : "";
    const url = new URL(`${hw.url}${path}${qs}`);
    const body =
      opts.rawBody !== undefined ? Buffer.from(opts.rawBody) : opts.body !== undefined ? Buffer.from(JSON.stringify(opts.body)) : undefined;
    let headers: Record<string, string> = { "Content-Type": "application/json", ...opts.headers };
    const creds = opts.creds === undefined ? admin : opts.creds;
    if (creds) headers = signRequest({ method, url, headers, body, creds });
    const res = await fetch(url, { method, headers, body });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      json = {};
    }
    return { status: res.status, headers: res.headers, text, json };
  };
  return Object.assign(hw, { admin, projectId, call });
}
