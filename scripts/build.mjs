// `npm run build` (and `npm ci`, through "prepare"): bundles the CLI and everything it imports into one
// ES module, dist/hwlocal.js, with esbuild. One file instead of ~200 modules is most of hwlocal's cold
// start (the module loader dominated it). better-sqlite3 stays outside: it loads a native addon.
// Types are checked by `npm run typecheck`, not here.
import { build } from "esbuild";
import { rmSync } from "node:fs";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: [new URL("../src/cli/main.ts", import.meta.url).pathname],
  outfile: new URL("../dist/hwlocal.js", import.meta.url).pathname,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["better-sqlite3"],
  sourcemap: "linked",
  legalComments: "none",
  minifyWhitespace: true,
  minifySyntax: true,
  // CommonJS dependencies (commander) call require() for Node's built-ins: give the bundle one.
  banner: { js: 'import { createRequire as __hwlocalRequire } from "node:module"; const require = __hwlocalRequire(import.meta.url);' },
  logLevel: "warning",
});
