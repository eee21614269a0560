// Node built-ins that few runs use, loaded on first use rather than at start: each one a cold start loads
// costs its compile time (TLS for an https SMN subscriber, zlib for an aws-chunked CRC32 trailer).
import { createRequire } from "node:module";
import type * as Https from "node:https";
import type * as Zlib from "node:zlib";

const load = createRequire(import.meta.url);

let https: typeof Https | undefined;
let zlib: typeof Zlib | undefined;

export function lazyHttps(): typeof Https {
  return (https ??= load("node:https") as typeof Https);
}

export function lazyZlib(): typeof Zlib {
  return (zlib ??= load("node:zlib") as typeof Zlib);
}
