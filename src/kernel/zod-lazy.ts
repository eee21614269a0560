// Schemas built on first use. hwlocal defines ~4,000 zod schemas at module level (every operation's
// query, headers and body); building them all was ~40% of evaluating the bundle at a cold start, though a
// run uses a few. Each builder here returns a stand-in that records how to build the schema; the stand-in
// builds it (and the schemas it is made of) the first time anything but a chaining method is asked of it,
// and from then on answers with the real schema's members. Chaining methods (`.optional()`, `.max(5)`, …)
// return another stand-in. Types are zod's own, so callers cannot tell the difference.

/** A builder function of zod's (z.string, z.object, …) or a method of a schema. */
type Build = (...args: unknown[]) => unknown;

interface Pending {
  build: () => object;
  real: object | undefined;
}

const pending = new WeakMap<object, Pending>();

/** The methods of a zod schema that return a new schema: these chain without building anything. */
const CHAIN = new Set([
  "optional", "nullable", "nullish", "default", "catch", "prefault", "array", "or", "and", "pipe",
  "transform", "refine", "superRefine", "check", "overwrite", "describe", "brand", "readonly",
  "min", "max", "length", "nonempty", "int", "positive", "nonnegative", "negative", "nonpositive",
  "finite", "gt", "gte", "lt", "lte", "multipleOf", "step",
  "regex", "trim", "toLowerCase", "toUpperCase", "startsWith", "endsWith", "includes", "lowercase", "uppercase",
  "loose", "strict", "strip", "passthrough", "extend", "safeExtend", "merge", "pick", "omit", "partial",
  "required", "catchall", "url", "email", "uuid", "ip", "cidr", "datetime", "date", "time", "base64", "hex", "jwt",
  "nanoid", "cuid", "emoji", "normalize", "unwrap", "keyof", "exclude", "extract", "nonoptional",
]);

/** The real schema behind a stand-in (built now if it was not yet); anything else unchanged. */
export function built<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  const p = pending.get(value);
  if (!p) return value;
  p.real ??= p.build();
  return p.real as T;
}

/** An argument to a builder: a stand-in, or an array or plain object (a shape) holding stand-ins. */
function resolve(arg: unknown): unknown {
  if (typeof arg !== "object" || arg === null) return arg;
  if (pending.has(arg)) return built(arg);
  if (Array.isArray(arg)) return arg.some((v) => typeof v === "object" && v !== null && pending.has(v)) ? arg.map(resolve) : arg;
  if (Object.getPrototypeOf(arg) !== Object.prototype) return arg;
  const entries = Object.entries(arg);
  if (!entries.some(([, v]) => typeof v === "object" && v !== null && pending.has(v))) return arg;
  return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v)]));
}

const handler: ProxyHandler<object> = {
  get(target, key) {
    const p = pending.get(target)!;
    if (typeof key === "string" && CHAIN.has(key) && p.real === undefined) {
      return (...args: unknown[]) => standIn(() => callMember(built(target), key, args));
    }
    p.real ??= p.build();
    return Reflect.get(p.real, key) as unknown;
  },
  has(target, key) {
    return Reflect.has(built(target), key);
  },
};

function callMember(real: object, key: string, args: unknown[]): object {
  const fn = Reflect.get(real, key) as Build;
  return fn.apply(real, args.map(resolve)) as object;
}

function standIn(build: () => object): object {
  const target = {};
  const proxy = new Proxy(target, handler);
  const p: Pending = { build, real: undefined };
  pending.set(target, p);
  pending.set(proxy, p);
  return proxy;
}

/** A zod builder whose schemas are built on first use. */
export function lazily<F>(fn: F): F {
  const f = fn as Build;
  return ((...args: unknown[]) => standIn(() => f(...args.map(resolve)) as object)) as F;
}

/** A namespace of zod builders (z.coerce, z.iso), each made lazy. */
export function lazyNamespace<N extends object>(ns: N): N {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ns)) out[k] = typeof v === "function" ? lazily(v) : v;
  return out as N;
}
