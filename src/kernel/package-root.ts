// The folder of hwlocal's package.json, found from this module's location: src/kernel/ when run from
// source, dist/ when run from the bundle, node_modules/hwlocal/dist/ when installed into a project. Data
// files shipped with the package (catalogue/, package.json) are read relative to it.
import { existsSync } from "node:fs";

function findRoot(start: URL): URL {
  for (let dir = start; ; ) {
    if (existsSync(new URL("package.json", dir))) return dir;
    const up = new URL("..", dir);
    if (up.href === dir.href) throw new Error(`hwlocal: no package.json above ${start.pathname}`);
    dir = up;
  }
}

export const PACKAGE_ROOT: URL = findRoot(new URL(".", import.meta.url));
