// The official SDKs' operation lists (catalogue/*.ops.tsv, extracted from the generated SDK clients):
// the denominator of the coverage report, and the names that "not implemented" answers give.
import { readFileSync } from "node:fs";
import { PACKAGE_ROOT } from "./package-root.ts";
import type { HttpMethod } from "./service.ts";

/** OPTIONS appears only in OBS's list (CORS preflight), which is counted by name and never routed. */
export type CatalogueMethod = HttpMethod | "OPTIONS";

export interface CatalogueEntry {
  /** PascalCase, as Huawei's operationIds are spelled (the SDK method name with a capital first letter). */
  name: string;
  method: CatalogueMethod;
  /** A path template; OBS's list adds its sub-resource marker (`/{bucket}?acl`), since its operations are told apart by query. */
  path: string;
}

const METHODS = new Set<string>(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]);

export function isHttpMethod(m: string): m is HttpMethod {
  return METHODS.has(m);
}

function isMethod(m: string): m is CatalogueMethod {
  return m === "OPTIONS" || isHttpMethod(m);
}

const cache = new Map<string, CatalogueEntry[]>();

export function loadCatalogue(file: string): CatalogueEntry[] {
  const hit = cache.get(file);
  if (hit) return hit;
  const text = readFileSync(new URL(`catalogue/${file}`, PACKAGE_ROOT), "utf8");
  const entries: CatalogueEntry[] = [];
  for (const line of text.split("\n")) {
    const [name, route] = line.split("\t");
    if (!name || !route) continue;
    const [method, path] = route.split(" ");
    if (!method || !path || !isMethod(method)) continue;
    entries.push({ name: name[0]!.toUpperCase() + name.slice(1), method, path });
  }
  cache.set(file, entries);
  return entries;
}

/** A template's shape with parameter names erased, to compare "/a/{x}" with "/a/{y}". */
export function routeKey(method: string, path: string): string {
  const shape = path
    .replace(/\{[^}]+\}/g, "{}")
    .replace(/\/+$/, "");
  return `${method} ${shape === "" ? "/" : shape}`;
}
