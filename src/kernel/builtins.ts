// Node built-ins that few runs use, loaded on first use rather than at start: each one a cold start loads
// costs its compile time (TLS for an https SMN subscriber, zlib for an aws-chunked CRC32 trailer, child
// processes for --init scripts, ~15 ms; fs/promises, which loads readline, ~5 ms, for OBS's blob files;
// worker_threads for the thread that hashes OBS's large uploads).
import { createRequire } from "node:module";
import type * as ChildProcess from "node:child_process";
import type * as FsPromises from "node:fs/promises";
import type * as Https from "node:https";
import type * as WorkerThreads from "node:worker_threads";
import type * as Zlib from "node:zlib";

const load = createRequire(import.meta.url);

let childProcess: typeof ChildProcess | undefined;
let fsPromises: typeof FsPromises | undefined;
let https: typeof Https | undefined;
let zlib: typeof Zlib | undefined;
let workerThreads: typeof WorkerThreads | undefined;

export function lazyHttps(): typeof Https {
  return (https ??= load("node:https") as typeof Https);
}

export function lazyZlib(): typeof Zlib {
  return (zlib ??= load("node:zlib") as typeof Zlib);
}

export function lazyChildProcess(): typeof ChildProcess {
  return (childProcess ??= load("node:child_process") as typeof ChildProcess);
}

export function lazyFsPromises(): typeof FsPromises {
  return (fsPromises ??= load("node:fs/promises") as typeof FsPromises);
}

export function lazyWorkerThreads(): typeof WorkerThreads {
  return (workerThreads ??= load("node:worker_threads") as typeof WorkerThreads);
}
