#!/usr/bin/env -S node --max-semi-space-size=4
// Runs the bundled CLI (npm ci builds dist/hwlocal.js through the "prepare" script).
import { existsSync } from "node:fs";

const entry = new URL("../dist/hwlocal.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("hwlocal: dist/ is missing; run `npm ci` or `npm run build` first\n");
  process.exit(1);
}
const { run } = await import(entry.href);
run(process.argv).catch((err) => {
  process.stderr.write(`hwlocal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
