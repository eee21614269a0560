// Helpers shared by the resources kept as documents: typed reads (each model's zod shape), not-found
// answers naming the resource, and address forms (an IPv4 address, CIDR or range; IPv6 loosely).
import { isIPv6 } from "node:net";
import type { z } from "../../../kernel/zod.ts";
import type { Env, ProjectScope } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import { isIpv6Cidr, parseCidr, parseIpv4 } from "../ip.ts";
import type { DocKind, DocRow } from "../store/index.ts";

export interface Doc<T> {
  row: DocRow;
  doc: T;
}

export function docsOf<T>(env: Env, project: ProjectScope, kind: DocKind, schema: z.ZodType<T>): Doc<T>[] {
  return env.store.documents.all(project.projectId, kind).map((row) => ({ row, doc: schema.parse(row.doc) }));
}

export function requireDoc<T>(env: Env, project: ProjectScope, kind: DocKind, schema: z.ZodType<T>, id: string, type: string): Doc<T> {
  const row = env.store.documents.get(project.projectId, kind, id);
  if (!row) throw vpcErrors.resourceNotFound(type, id);
  return { row, doc: schema.parse(row.doc) };
}

/** An IPv4 address, CIDR (host bits allowed) or range "a-b" (a ≤ b), or for version 6 an IPv6 address or CIDR. */
export function isAddressEntry(s: string, version: 4 | 6): boolean {
  if (version === 6) return isIPv6(s) || isIpv6Cidr(s);
  if (parseIpv4(s) !== undefined || parseCidr(s, false) !== undefined) return true;
  const dash = s.indexOf("-");
  if (dash < 0) return false;
  const lo = parseIpv4(s.slice(0, dash));
  const hi = parseIpv4(s.slice(dash + 1));
  return lo !== undefined && hi !== undefined && lo <= hi;
}
