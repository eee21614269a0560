// The API-call files of `hwlocal start --init DIR` (init.ts runs them): JSON or YAML, a list of calls (or
// an object whose `calls` is that list). Each call names a service and one of its operations by Huawei's
// operationId and gives what the operation reads:
//
//   - service: vpc
//     operation: CreateVpc
//     version: v3                   # optional: the API version when one name serves two (else the oldest)
//     region: cn-north-4            # optional: the seed's first region
//     as: main                      # optional: a name later calls (and later files) use for this result
//     path: { vpc_id: "..." }       # template parameters other than project_id and domain_id
//     query: { limit: 10 }
//     body: { vpc: { name: web, cidr: 10.0.0.0/16 } }
//   - service: vpc
//     operation: CreateSubnet
//     body: { subnet: { name: a, vpc_id: "${results.0.vpc.id}", cidr: 10.0.0.0/24, gateway_ip: 10.0.0.1 } }
//
// References, in any string of path, query or body: ${results.N.<path>} is the answer of the file's Nth
// call (from 0), ${<as>.<path>} the answer of the call named so (in this file or an earlier one), and
// ${project_id}, ${region}, ${domain_id} the call's own. A string that is one reference alone takes the
// referenced value as it is (a number stays a number); inside longer text it is written out.
import { createRequire } from "node:module";
import { z } from "../kernel/zod.ts";

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

export const InitCall = z
  .object({
    service: z.string().min(1),
    operation: z.string().min(1),
    version: z.string().regex(/^v[0-9][0-9.]*$/).optional(),
    region: z.string().min(1).optional(),
    as: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/).optional(),
    path: z.record(z.string(), Scalar).optional(),
    query: z.record(z.string(), z.union([Scalar, z.array(Scalar)])).optional(),
    body: z.unknown().optional(),
  })
  .strict();
export type InitCall = z.output<typeof InitCall>;

const Calls = z.array(InitCall);

const loadModule = createRequire(import.meta.url);

/** Parses a calls file's text; throws an Error naming what is wrong. */
export async function parseCalls(text: string, yaml: boolean): Promise<InitCall[]> {
  let doc: unknown;
  try {
    // The YAML parser is loaded only when a YAML file is read: nothing of it at start. A require, not an
    // import(): the bin runs the bundle as a vm.Script, which has no dynamic import.
    doc = yaml ? (loadModule("yaml") as typeof import("yaml")).parse(text) : JSON.parse(text);
  } catch (err) {
    throw new Error(`not valid ${yaml ? "YAML" : "JSON"}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const wrapped = doc !== null && typeof doc === "object" && !Array.isArray(doc) && "calls" in doc;
  const list: unknown = wrapped ? (doc as { calls: unknown }).calls : (doc ?? []);
  const r = Calls.safeParse(list);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`not a list of calls: ${i ? `${i.path.join(".") || "(root)"}: ${i.message}` : "invalid"}`);
  }
  return r.data;
}

export interface RefScope {
  /** This file's answers so far. */
  results: unknown[];
  /** Answers named by `as`, across files. */
  named: Map<string, unknown>;
  vars: Record<string, string>;
}

const REF = /\$\{([^}]+)\}/g;

function lookup(ref: string, s: RefScope): unknown {
  const parts = ref.trim().split(".");
  const head = parts.shift()!;
  let v: unknown;
  if (head === "results") {
    const n = Number(parts.shift());
    if (!Number.isInteger(n) || n < 0 || n >= s.results.length) throw new Error(`\${${ref}}: no earlier call ${n} in this file`);
    v = s.results[n];
  } else if (parts.length === 0 && head in s.vars) {
    return s.vars[head];
  } else if (s.named.has(head)) {
    v = s.named.get(head);
  } else {
    throw new Error(`\${${ref}}: no earlier call is named ${head}`);
  }
  for (const p of parts) {
    if (v === null || typeof v !== "object") throw new Error(`\${${ref}}: the answer has no ${p}`);
    v = Array.isArray(v) ? v[Number(p)] : (v as Record<string, unknown>)[p];
    if (v === undefined) throw new Error(`\${${ref}}: the answer has no ${p}`);
  }
  return v;
}

/** `value` with every reference replaced (see the header). */
export function resolveRefs(value: unknown, s: RefScope): unknown {
  if (typeof value === "string") {
    const whole = /^\$\{([^}]+)\}$/.exec(value);
    if (whole) return lookup(whole[1]!, s);
    return value.replace(REF, (_m, ref: string) => {
      const v = lookup(ref, s);
      return typeof v === "string" ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, s));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, s)]));
  }
  return value;
}
