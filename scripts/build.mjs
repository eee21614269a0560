// `npm run build` (and `npm ci`, through "prepare"): bundles the CLI and everything it imports into one
// CommonJS file, dist/hwlocal.cjs, with esbuild, then makes V8's code cache for it (dist/hwlocal.cjs.cache)
// by starting it once through the bin and answering one request. One file instead of ~200 modules was most
// of hwlocal's cold start (the module loader); compiling that file was the next largest part, which the
// cache removes (bin/hwlocal.js; a cache made by another Node version is simply not used). better-sqlite3
// stays outside: it loads a native addon. Types are checked by `npm run typecheck`, not here.
import { build } from "esbuild";
import { spawn } from "node:child_process";
import { copyFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { request } from "node:http";
import { clearTimeout, setTimeout } from "node:timers";
import { fileURLToPath } from "node:url";

const dist = new URL("../dist", import.meta.url);

// commander requires node:child_process when it loads, for subcommands that are separate executables, which
// hwlocal has none of; loading it (and what it loads) was ~10 ms of every cold start. Its require gets an
// object that loads the module on first use.
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "lazy-builtin" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, () => ({
      contents: 'let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require("node:child_process"))[k] });',
      loader: "js",
    }));
  },
};
// Services start when first used (src/engine/service-host.ts), and their code is evaluated then too: the
// registry's namespace imports of the services (src/services/index.ts) become requires made on first read,
// which esbuild bundles as modules initialised when first required. Evaluating every service's modules at
// start was about a third of a cold start.
const REGISTRY = /[\\/]src[\\/]services[\\/]index\.ts$/;
const SERVICE_IMPORT = /^import \* as (\w+) from "(\.\/[\w-]+\/index\.ts)";$/gm;
const lazyServices = {
  name: "lazy-services",
  setup(b) {
    b.onLoad({ filter: REGISTRY }, async (args) => {
      const source = await readFile(args.path, "utf8");
      let count = 0;
      const contents = source.replace(SERVICE_IMPORT, (_, name, path) => {
        count++;
        return `const ${name} = new Proxy({}, { get: (_, k) => require(${JSON.stringify(path)})[k] });`;
      });
      if (count === 0 || /from "\.\/[\w-]+\/index\.ts"/.test(contents)) {
        throw new Error('build: src/services/index.ts must import each service as `import * as xModule from "./x/index.ts"`');
      }
      return { contents, loader: "ts" };
    });
  },
};
rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: [fileURLToPath(new URL("../src/cli/main.ts", import.meta.url))],
  outfile: fileURLToPath(new URL("../dist/hwlocal.cjs", import.meta.url)),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // better-sqlite3 loads a native addon. yaml (hwlocal start --init) and busboy (OBS form uploads) are
  // loaded from node_modules when first used: bundled, their ~190 KB were read and checked at every start.
  external: ["better-sqlite3", "yaml", "busboy"],
  plugins: [lazyChildProcess, lazyServices],
  sourcemap: "linked",
  legalComments: "none",
  minifyWhitespace: true,
  minifySyntax: true,
  // The sources are ES modules that find their package through import.meta.url.
  define: { "import.meta.url": "__hwlocalUrl" },
  // The file is CommonJS's own wrapper around the bundle, which bin/hwlocal.js compiles as it is: no 1.4 MB
  // string to build at every start. esbuild writes ASCII only, so the bin reads it as latin1 (no UTF-8
  // decoding).
  banner: {
    js: '(function (exports, require, module, __filename, __dirname) {"use strict";const __hwlocalUrl = require("node:url").pathToFileURL(__filename).href;',
  },
  footer: { js: "})" },
  charset: "ascii",
  logLevel: "warning",
});

// The web console (console/, served at /_hwlocal/console by src/control/console.ts): its own small bundle
// for the browser (Preact and the console's TypeScript in one minified file) and its static files, in
// dist/console/. Nothing of it is loaded by the server until a browser asks.
await build({
  entryPoints: [fileURLToPath(new URL("../console/src/main.tsx", import.meta.url))],
  outfile: fileURLToPath(new URL("../dist/console/console.js", import.meta.url)),
  bundle: true,
  platform: "browser",
  format: "esm",
  target: ["chrome111", "firefox111", "safari16"],
  jsx: "automatic",
  jsxImportSource: "preact",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
for (const file of ["index.html", "console.css", "favicon.svg"]) {
  copyFileSync(new URL(`../console/${file}`, import.meta.url), new URL(`../dist/console/${file}`, import.meta.url));
}

/** Starts the bundle through the bin with HWLOCAL_WRITE_CODE_CACHE set, asks for its health, stops it. */
function warm() {
  return new Promise((resolve, reject) => {
    const bin = fileURLToPath(new URL("../bin/hwlocal.js", import.meta.url));
    const child = spawn(process.execPath, ["--max-semi-space-size=4", bin, "start", "--in-memory", "--port", "0"], {
      env: { ...process.env, HWLOCAL_WRITE_CODE_CACHE: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (s) => {
      out += s;
      const m = /endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m || child.signalCode !== null || out === "done") return;
      out = "done";
      request(`${m[1]}/_hwlocal/health`, (res) => {
        res.resume();
        res.on("end", () => child.kill("SIGTERM"));
      })
        .on("error", () => child.kill("SIGTERM"))
        .end();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`the warm-up run ended with ${code}`));
    });
  });
}

try {
  await warm();
} catch (err) {
  // Without a cache hwlocal only starts a little slower.
  process.stderr.write(`build: no code cache (${err instanceof Error ? err.message : String(err)})\n`);
}
