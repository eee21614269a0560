#!/usr/bin/env -S node --max-semi-space-size=4
// Runs the bundled CLI (npm ci builds dist/ through the "prepare" script). CommonJS (bin/package.json) so
// that Node starts it without its ES module loader. The bundle is compiled with V8's code cache that the
// build made (dist/hwlocal.cjs.cache): compiling 1.4 MB of JavaScript was the largest part of a cold start
// after loading it. A cache from another Node version is rejected by V8 and the bundle is compiled as usual.
// HWLOCAL_WRITE_CODE_CACHE=1 (the build's warm-up run) writes the cache at exit, with every function that
// run compiled.
"use strict";
const { existsSync, readFileSync, writeFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { dirname, join } = require("node:path");
const { Script } = require("node:vm");

const file = join(__dirname, "..", "dist", "hwlocal.cjs");
if (!existsSync(file)) {
  process.stderr.write("hwlocal: dist/ is missing; run `npm ci` or `npm run build` first\n");
  process.exit(1);
}
const cacheFile = `${file}.cache`;
const writeCache = process.env.HWLOCAL_WRITE_CODE_CACHE === "1";
let cachedData = !writeCache && existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
// The build wrote the bundle inside CommonJS's wrapper, in ASCII: latin1 is the cheapest way to read it.
const script = new Script(readFileSync(file, "latin1"), { filename: file, ...(cachedData ? { cachedData } : {}) });
cachedData = undefined; // consumed by the compile: about 1 MB less resident
const mod = { exports: {} };
script.runInThisContext()(mod.exports, createRequire(file), mod, file, dirname(file));
if (writeCache) process.once("exit", () => writeFileSync(cacheFile, script.createCachedData()));
mod.exports.run(process.argv).catch((err) => {
  process.stderr.write(`hwlocal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
