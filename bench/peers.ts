// The OBS peers the bench measures beside hwlocal (obs-facts §7): s3rver 3.7.1 (one file per object, an S3
// API: driven by the same @aws-sdk/client-s3 as hwlocal) and Azurite's blob service on disk and in memory
// (not S3: driven, like hwlocal, by autocannon over presigned/SAS URLs). They are installed on first use
// into node_modules/.cache/ (about 190 MB, never a dependency of hwlocal). Azurite is pinned to 3.35.0,
// the last release whose engines field accepts Node 20 (3.36 and later require Node 21/22).
// BENCH_PEERS=0 skips them; without the registry the rows say why they are missing.
import { execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startServer, stop, type Server } from "./children.ts";

const CACHE = fileURLToPath(new URL("../node_modules/.cache/hwlocal-bench-peers", import.meta.url));
const PEERS = { azurite: "3.35.0", s3rver: "3.7.1" } as const;

function installedVersion(name: string): string | undefined {
  const file = join(CACHE, "node_modules", name, "package.json");
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version;
}

/** Installs the pinned peers into the cache folder unless they are there; a failure is returned, not thrown. */
export async function ensurePeers(): Promise<string | undefined> {
  const missing = Object.entries(PEERS).filter(([name, v]) => installedVersion(name) !== v);
  if (missing.length === 0) return undefined;
  mkdirSync(CACHE, { recursive: true });
  const specs = missing.map(([name, v]) => `${name}@${v}`);
  try {
    await promisify(execFile)("npm", ["install", "--prefix", CACHE, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", ...specs], {
      timeout: 300_000,
    });
    return undefined;
  } catch (err) {
    return `could not install ${specs.join(", ")}: ${(err instanceof Error ? err.message : String(err)).split("\n")[0]}`;
  }
}

export interface RunningPeer extends Server {
  endpoint: string;
  /** The peer's data folder, removed by stopPeer. */
  dir: string;
}

export async function stopPeer(p: RunningPeer): Promise<void> {
  await stop(p.child);
  rmSync(p.dir, { recursive: true, force: true });
}

/** s3rver on a fresh folder and a free port; its fixed credentials are S3RVER / S3RVER. */
export async function startS3rver(): Promise<RunningPeer> {
  const dir = mkdtempSync(join(tmpdir(), "hwlocal-bench-s3rver-"));
  const bin = join(CACHE, "node_modules", "s3rver", "bin", "s3rver.js");
  const server = await startServer([bin, "-d", dir, "-a", "127.0.0.1", "-p", "0", "--silent"], /listening on (127\.0\.0\.1:\d+)/);
  return { ...server, endpoint: `http://${server.match[1]!}`, dir };
}

/** Azurite's blob service on a free port, its metadata and extents on disk or (`inMemory`) in RAM. */
export async function startAzurite(inMemory: boolean): Promise<RunningPeer> {
  const dir = mkdtempSync(join(tmpdir(), "hwlocal-bench-azurite-"));
  const main = join(CACHE, "node_modules", "azurite", "dist", "src", "blob", "main.js");
  const args = [main, "--blobHost", "127.0.0.1", "--blobPort", "0", "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose"];
  // In memory, Azurite refuses a --location (it writes nothing).
  const server = await startServer(inMemory ? [...args, "--inMemoryPersistence"] : [...args, "--location", dir], /listens on (http:\/\/127\.0\.0\.1:\d+)/);
  return { ...server, endpoint: server.match[1]!, dir };
}

/** Azurite's well-known development account (documented by Microsoft for the emulator). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** An account SAS query (blob service; container and object; read, write, create) valid for an hour. */
export function azuriteSas(nowMs: number): string {
  const version = "2020-12-06";
  const start = new Date(nowMs - 300_000).toISOString().replace(/\.\d+Z$/, "Z");
  const expiry = new Date(nowMs + 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");
  const fields = { sp: "rwdlac", ss: "b", srt: "co", st: start, se: expiry, spr: "http", sv: version };
  const toSign = [AZURITE_ACCOUNT, fields.sp, fields.ss, fields.srt, fields.st, fields.se, "", fields.spr, fields.sv, "", ""].join("\n");
  const sig = createHmac("sha256", Buffer.from(AZURITE_KEY, "base64")).update(toSign, "utf8").digest("base64");
  return new URLSearchParams({ ...fields, sig }).toString();
}
