// The bad-input barrage: thousands of generated malformed requests against every implemented operation
// (enumerated from the running server, the control plane included). Every answer must be a 4xx with a
// proper error body — never a 5xx, a dropped connection or a hang — and hwlocal must still serve afterwards.
//
// Most requests are validly signed with the seed admin's AK/SK (or carry its token), so the malformed part
// reaches the operation's own parsing instead of stopping at authentication. Inputs that may legitimately
// succeed (unknown fields are ignored, a query parameter the operation does not read…) are counted apart.
// Reproduce with FUZZ_SEED=<seed> (printed in the diagnostics); each failure names its request.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Agent } from "node:http";
import type { BoundService } from "../src/gateway/bind.ts";
import type { HttpMethod, OperationMeta } from "../src/kernel/service.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import type { Credentials } from "./helpers/sign.ts";
import { signRequest } from "./helpers/sign.ts";
import { newAgent, pool, preview, Rng, sendWire, signWire, type WireRequest, type WireResponse } from "./helpers/fuzz.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20260515);
const CONCURRENCY = 16;
const TIMEOUT_MS = 5000;
const MIN_CHECKED_4XX = 1000;
const MIB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------- model

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Expect {
  /** A 2xx/3xx is tolerated (counted apart) rather than a failure. */
  allowSuccess: boolean;
  /** A 501 with a proper error body is acceptable (SM3 signatures only). */
  allow501?: boolean;
  /** The exact status required (of an error answer). */
  status?: number;
  /** The exact error_code required. */
  code?: string;
}

interface Case {
  op: string;
  what: string;
  wire: WireRequest;
  expect: Expect;
}

const MAY_SUCCEED: Expect = { allowSuccess: true };
const NOT_FOUND: Expect = { allowSuccess: false, status: 404, code: "APIGW.0101" };

interface OpInfo {
  service: BoundService;
  meta: OperationMeta;
  prefix: string;
}

interface World {
  hw: TestHwlocal;
  rng: Rng;
  host: string;
  admin: Credentials;
  token: string;
  /** Scoped to projectId. */
  projectToken: string;
  revokedToken: string;
  /** A project of the admin's own domain other than projectId. */
  otherOwnProjectId: string;
  domainId: string;
  userId: string;
  groupId: string;
  roleId: string;
  projectId: string;
  other: { creds: Credentials | undefined; domainId: string; projectId: string };
  /** Keys of the admin's domain that must not authenticate, and a non-admin user's working key. */
  keys: { plain: Credentials; inactive: Credentials; disabledUser: Credentials; consoleUser: Credentials; temporary: Credentials };
}

// ----------------------------------------------------------------------------------- building blocks

const DEEP = 5000;
const HUGE = "a".repeat(100 * 1024);
const deepArrays = "[".repeat(DEEP) + "]".repeat(DEEP);
const deepObjects = '{"a":'.repeat(DEEP) + "1" + "}".repeat(DEEP);
/** Markers replaced in the JSON text after stringify, for values that are impractical as JS values. */
const DEEP_MARK = "\u0001deep\u0001";

/** Request bodies of the right shape, one per operation that reads a body; malformed copies derive from them. */
function sampleBodies(w: World): Record<string, Json> {
  return {
    KeystoneCreateUserTokenByPassword: {
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: w.hw.seed.user.name, password: "Not-The-Password1", domain: { name: w.hw.seed.domain.name } } },
        },
        scope: { project: { name: "cn-north-4" } },
      },
    },
    KeystoneCreateUser: {
      user: { name: "fuzz-user", password: "Fuzz@12345", enabled: true, description: "fuzz", domain_id: w.domainId },
    },
    CreateUser: {
      user: {
        name: "fuzz-os-user",
        domain_id: w.domainId,
        password: "Fuzz@12345",
        email: "fuzz@example.com",
        areacode: "0086",
        phone: "13800000000",
        enabled: true,
        pwd_status: false,
        access_mode: "default",
        description: "fuzz",
      },
    },
    KeystoneUpdateUserByAdmin: { user: { name: "fuzz-renamed", password: "Fuzz@12345", enabled: true, description: "x" } },
    UpdateUser: { user: { name: "fuzz-renamed", email: "a@b.c", enabled: true, access_mode: "programmatic", description: "x" } },
    KeystoneUpdateUserPassword: { user: { password: "Fuzz@54321", original_password: "wrong-original" } },
    KeystoneCreateGroup: { group: { name: "fuzz-group", description: "fuzz", domain_id: w.domainId } },
    KeystoneUpdateGroup: { group: { name: "fuzz-group-2", description: "fuzz", domain_id: w.domainId } },
    KeystoneCreateProject: { project: { name: "cn-north-4_fuzz", parent_id: w.projectId, domain_id: w.domainId, description: "fuzz" } },
    KeystoneUpdateProject: { project: { name: "cn-north-4_fuzz2", description: "fuzz" } },
    CreatePermanentAccessKey: { credential: { user_id: "0".repeat(32), description: "fuzz" } },
    UpdatePermanentAccessKey: { credential: { status: "active", description: "fuzz" } },
    CreateTemporaryAccessKeyByToken: {
      auth: { identity: { methods: ["token"], token: { id: "not-a-token", duration_seconds: 900 } } },
    },
    AdvanceClock: { seconds: 0 },
  };
}

/** Any accepted call wipes the state the barrage relies on (tokens, ids): it only gets requests that must fail. */
const ONLY_FAILING = new Set(["Reset"]);

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

function fillPath(template: string, value: (name: string) => string): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => value(name));
}

/** Ids that exist for reads; ids that do not for writes, so that an accidentally valid write changes nothing. */
function paramValue(w: World, op: OpInfo, name: string): string {
  const read = op.meta.method === "GET" || op.meta.method === "HEAD";
  const real: Record<string, string> = {
    user_id: w.userId,
    group_id: w.groupId,
    role_id: w.roleId,
    project_id: w.projectId,
    domain_id: w.domainId,
    region_id: "cn-north-4",
    access_key: w.admin.ak,
  };
  if (name === "domain_id") return w.domainId;
  if (read && real[name] !== undefined) return real[name];
  if (name === "access_key") return "FUZZNOSUCHACCESSKEY1";
  if (name === "region_id") return "xx-nowhere-1";
  return "f".repeat(32);
}

function basePath(w: World, op: OpInfo): string {
  return op.prefix + fillPath(op.meta.path, (n) => encodeURIComponent(paramValue(w, op, n)));
}

/** The JSON text of a value, with markers expanded. */
function jsonText(v: Json): string {
  return JSON.stringify(v).split(JSON.stringify(DEEP_MARK)).join(deepArrays);
}

function objectPaths(v: Json, prefix: string[] = []): string[][] {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return [];
  const out: string[][] = [];
  for (const [k, child] of Object.entries(v)) {
    out.push([...prefix, k]);
    out.push(...objectPaths(child, [...prefix, k]));
  }
  return out;
}

/** A copy with the value at path replaced (undefined: the key removed). */
function withValue(v: Json, path: string[], value: Json | undefined): Json {
  const copy = structuredClone(v);
  let node: Json = copy;
  for (const k of path.slice(0, -1)) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return copy;
    node = node[k] ?? null;
  }
  const last = path[path.length - 1]!;
  if (node !== null && typeof node === "object" && !Array.isArray(node)) {
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return copy;
}

const FIELD_VARIANTS: [string, Json | undefined][] = [
  ["null", null],
  ["true", true],
  ["false", false],
  ["0", 0],
  ["-1", -1],
  ["1.5", 1.5],
  ["1e308", 1e308],
  ['""', ""],
  ['"x"', "x"],
  ["a 100 KB string", HUGE],
  ["[]", []],
  ['["x",1]', ["x", 1]],
  ["{}", {}],
  ['{"a":{"b":[]}}', { a: { b: [] } }],
  ['"\\u0000"', "\u0000"],
  ["unicode", "😀\u202eñ\u0000\ud7ff"],
  ["a lone surrogate", "\ud800x\udfff"],
  ["5000-deep arrays", DEEP_MARK],
];

// ------------------------------------------------------------------------------------------ auth plans

type Auth =
  | { kind: "aksk"; creds: Credentials; date?: Date; signedHeaders?: string[] }
  | { kind: "token"; token: string }
  | { kind: "none" };

interface Draft {
  method: string;
  path: string;
  query?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  chunked?: boolean;
}

function build(w: World, d: Draft, auth: Auth, tamper?: (r: WireRequest) => void): WireRequest {
  const wire: WireRequest = {
    method: d.method,
    path: d.path,
    query: d.query ?? "",
    headers: { host: w.host, "Content-Type": "application/json", ...d.headers },
    body: d.body === undefined ? undefined : Buffer.from(d.body),
    chunked: d.chunked,
  };
  if (auth.kind === "aksk") wire.headers = signWire(wire, auth.creds, { date: auth.date, signedHeaders: auth.signedHeaders });
  else if (auth.kind === "token") wire.headers["X-Auth-Token"] = auth.token;
  tamper?.(wire);
  return wire;
}

/** The usual caller: the admin by AK/SK, sometimes by token (both must reach the operation). */
function usual(w: World): Auth {
  return w.rng.chance(0.8) ? { kind: "aksk", creds: w.admin } : { kind: "token", token: w.token };
}

function setAuthorization(value: string) {
  return (r: WireRequest) => {
    r.headers.Authorization = value;
  };
}

// ------------------------------------------------------------------------------------------ generators

function authCases(w: World, op: OpInfo, body: string | undefined): Case[] {
  const { rng, admin } = w;
  const method = op.meta.method;
  const path = basePath(w, op);
  const d: Draft = { method, path, body };
  // An operation that looks at no credential may answer anything; one that looks must refuse a bad one.
  const checks = op.meta.auth !== "none";
  const bad: Expect = checks ? { allowSuccess: false, status: 401 } : MAY_SUCCEED;
  const anonymous: Expect = op.meta.auth === "required" ? { allowSuccess: false, status: 401 } : MAY_SUCCEED;
  const now = Date.now();
  const fakeSig = rng.hex(64);
  const out: Case[] = [];
  const add = (what: string, wire: WireRequest, expect: Expect) => out.push({ op: op.meta.name, what, wire, expect });

  add(
    "signature with one hex digit changed",
    build(w, d, { kind: "aksk", creds: admin }, (r) => {
      const a = r.headers.Authorization!;
      const i = a.length - 1 - rng.int(64);
      r.headers.Authorization = a.slice(0, i) + (a[i] === "0" ? "1" : "0") + a.slice(i + 1);
    }),
    bad,
  );
  add("unknown AK", build(w, d, { kind: "aksk", creds: { ak: rng.string(20, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), sk: admin.sk } }), bad);
  add("right AK, wrong SK", build(w, d, { kind: "aksk", creds: { ak: admin.ak, sk: `${admin.sk}x` } }), bad);
  add("Authorization: SDK-HMAC-SHA256 Access=", build(w, d, { kind: "none" }, setAuthorization("SDK-HMAC-SHA256 Access=")), bad);
  add("Authorization: SDK-HMAC-SHA256", build(w, d, { kind: "none" }, setAuthorization("SDK-HMAC-SHA256")), bad);
  add(
    "Authorization with a non-hex Signature",
    build(w, d, { kind: "aksk", creds: admin }, (r) => {
      r.headers.Authorization = r.headers.Authorization!.replace(/Signature=.*$/, `Signature=${"zz".repeat(32)}`);
    }),
    bad,
  );
  add("Authorization: Basic", build(w, d, { kind: "none" }, setAuthorization("Basic YWRtaW46SHdsb2NhbEAyMDI2")), bad);
  add("Authorization: 4 KB of garbage", build(w, d, { kind: "none" }, setAuthorization(rng.string(4096, "abc=, ;/+XYZ019"))), bad);
  add(
    "lower-case algorithm name",
    build(w, d, { kind: "aksk", creds: admin }, (r) => {
      r.headers.Authorization = r.headers.Authorization!.replace("SDK-HMAC-SHA256", "sdk-hmac-sha256");
    }),
    bad,
  );
  add(
    "SDK-HMAC-SM3 signature",
    build(w, d, { kind: "none" }, setAuthorization(`SDK-HMAC-SM3 Access=${admin.ak}, SignedHeaders=host;x-sdk-date, Signature=${fakeSig}`)),
    checks ? { allowSuccess: false, allow501: true, status: 501, code: "HWLOCAL.0501" } : MAY_SUCCEED,
  );
  add(
    "V11-HMAC-SHA256 with a made-up signature",
    build(w, d, { kind: "aksk", creds: admin }, (r) => {
      r.headers.Authorization = `V11-HMAC-SHA256 Credential=${admin.ak}/20260101/cn-north-4/iam, SignedHeaders=host;x-sdk-date, Signature=${fakeSig}`;
    }),
    bad,
  );
  add(
    "SignedHeaders naming Object.prototype members",
    build(w, d, { kind: "aksk", creds: admin }, (r) => {
      r.headers.Authorization = r.headers.Authorization!.replace(/SignedHeaders=[^,]*/, "SignedHeaders=__proto__;constructor;host;tostring;x-sdk-date");
    }),
    bad,
  );
  add("X-Sdk-Date 20 minutes ahead", build(w, d, { kind: "aksk", creds: admin, date: new Date(now + 20 * 60_000) }), bad);
  add("X-Sdk-Date 20 minutes behind", build(w, d, { kind: "aksk", creds: admin, date: new Date(now - 20 * 60_000) }), bad);
  add(
    "X-Sdk-Date missing",
    build(w, d, { kind: "aksk", creds: admin }, (r) => {
      delete r.headers["X-Sdk-Date"];
    }),
    bad,
  );
  add(
    "X-Sdk-Date replaced by a malformed one after signing",
    build(w, d, { kind: "aksk", creds: admin }, (r) => {
      r.headers["X-Sdk-Date"] = rng.pick(["not-a-date", "20261399T999999Z", "", "2026-01-01T00:00:00Z"]);
    }),
    bad,
  );
  add("x-sdk-date left out of SignedHeaders", build(w, d, { kind: "aksk", creds: admin, signedHeaders: ["host", "content-type"] }), bad);
  add("host left out of SignedHeaders", build(w, d, { kind: "aksk", creds: admin, signedHeaders: ["x-sdk-date", "content-type"] }), bad);
  add(
    "query added after signing",
    build(w, d, { kind: "aksk", creds: admin }, (r) => {
      r.query = "fuzz=1";
    }),
    bad,
  );
  if (body !== undefined) {
    add(
      "body changed after signing",
      build(w, d, { kind: "aksk", creds: admin }, (r) => {
        r.body = Buffer.from(`${body} `);
      }),
      bad,
    );
  }
  add("signed with an inactive key", build(w, d, { kind: "aksk", creds: w.keys.inactive }), bad);
  add("signed with the key of a disabled user", build(w, d, { kind: "aksk", creds: w.keys.disabledUser }), bad);
  add("signed with the key of a console-only user", build(w, d, { kind: "aksk", creds: w.keys.consoleUser }), bad);
  const { securityToken: _, ...tempWithoutToken } = w.keys.temporary;
  add("temporary key without its X-Security-Token", build(w, d, { kind: "aksk", creds: tempWithoutToken }), bad);
  add(
    "temporary key with a wrong X-Security-Token",
    build(w, d, { kind: "aksk", creds: { ...w.keys.temporary, securityToken: `gQ${rng.string(128, "ABCabc0123-_")}` } }),
    bad,
  );
  add("a revoked token", build(w, d, { kind: "token", token: w.revokedToken }), bad);
  add("X-Auth-Token of garbage", build(w, d, { kind: "token", token: rng.string(40, "abcdef0123456789-_") }), bad);
  add("X-Auth-Token that looks real", build(w, d, { kind: "token", token: `MIIB${rng.string(160, "ABCDEFabcdef0123456789-_")}` }), bad);
  add("the admin token with its last character changed", build(w, d, { kind: "token", token: `${w.token.slice(0, -1)}${w.token.endsWith("A") ? "B" : "A"}` }), bad);
  add(
    "a valid token and a tampered AK/SK signature (the signature wins)",
    build(w, { ...d, headers: { "X-Auth-Token": w.token } }, { kind: "aksk", creds: admin }, (r) => {
      r.headers.Authorization = r.headers.Authorization!.replace(/Signature=[0-9a-f]/, "Signature=g");
    }),
    bad,
  );
  if (!ONLY_FAILING.has(op.meta.name) || !anonymous.allowSuccess) {
    add("no credentials", build(w, d, { kind: "none" }), anonymous);
    add("X-Auth-Token empty", build(w, { ...d, headers: { "X-Auth-Token": "" } }, { kind: "none" }), anonymous);
  }
  return out;
}

function scopeCases(w: World, op: OpInfo, body: string | undefined): Case[] {
  const d: Draft = { method: op.meta.method, path: basePath(w, op), body };
  const checks = op.meta.auth !== "none";
  // A {project_id}/{domain_id} in the path takes precedence over the header of the same meaning.
  const projectInPath = op.meta.path.includes("{project_id}");
  const domainInPath = op.meta.path.includes("{domain_id}");
  const denied: Expect = { allowSuccess: false, status: 403 };
  const projectHeader: Expect = checks && !projectInPath ? denied : MAY_SUCCEED;
  const domainHeader: Expect = checks && !domainInPath ? denied : MAY_SUCCEED;
  const out: Case[] = [];
  const add = (what: string, headers: Record<string, string>, expect: Expect, auth: Auth = usual(w)) =>
    out.push({ op: op.meta.name, what, wire: build(w, { ...d, headers }, auth), expect });
  add("X-Project-Id of an unknown project", { "X-Project-Id": w.rng.hex(32) }, projectHeader);
  add("X-Project-Id of another tenant's project", { "X-Project-Id": w.other.projectId }, projectHeader);
  add("X-Project-Id empty", { "X-Project-Id": "" }, projectHeader);
  add("a project-scoped token with X-Project-Id of another project", { "X-Project-Id": w.otherOwnProjectId }, projectHeader, {
    kind: "token",
    token: w.projectToken,
  });
  add("X-Domain-Id of an unknown domain", { "X-Domain-Id": w.rng.hex(32) }, domainHeader);
  add("X-Domain-Id of another tenant", { "X-Domain-Id": w.other.domainId }, domainHeader);
  if (ONLY_FAILING.has(op.meta.name)) return out.filter((c) => !c.expect.allowSuccess);
  add("X-Security-Token that the key does not have", { "X-Security-Token": w.rng.string(64, "abcXYZ0123") }, MAY_SUCCEED, {
    kind: "aksk",
    creds: w.admin,
  });
  if (w.other.creds) add("signed by another tenant", {}, MAY_SUCCEED, { kind: "aksk", creds: w.other.creds });
  add("signed by a user outside the admin group", {}, MAY_SUCCEED, { kind: "aksk", creds: w.keys.plain });
  add("signed with a temporary key and its security token", {}, MAY_SUCCEED, { kind: "aksk", creds: w.keys.temporary });
  add("Content-Type text/plain", { "Content-Type": "text/plain" }, MAY_SUCCEED);
  add("X-Subject-Token empty", { "X-Subject-Token": "" }, MAY_SUCCEED);
  add("X-Subject-Token of garbage", { "X-Subject-Token": w.rng.string(48, "abcdef0123456789") }, MAY_SUCCEED);
  add("X-Subject-Token of 5 KB", { "X-Subject-Token": `MIIB${w.rng.string(5120, "ABCabc0123-_")}` }, MAY_SUCCEED);
  add("X-Subject-Token of two tokens", { "X-Subject-Token": `${w.rng.hex(20)}, ${w.rng.hex(20)}` }, MAY_SUCCEED);
  return out;
}

/** Raw query strings; `raw` ones are not percent-decodable, so they cannot be AK/SK-signed (a token carries them). */
function queryMutations(w: World): { q: string; raw?: boolean }[] {
  return [
    { q: "page=-1" },
    { q: "page=0" },
    { q: "page=abc" },
    { q: "page=1.5" },
    { q: "page=1e400" },
    { q: "page=" },
    { q: "per_page=abc" },
    { q: "per_page=0" },
    { q: "per_page=-5" },
    { q: "per_page=99999999999999999999999" },
    { q: "per_page=1&per_page=2" },
    { q: "page=1&page=x" },
    { q: "nocatalog=1" },
    { q: "nocatalog=true&nocatalog=false" },
    { q: "name=a&name=b" },
    { q: "name=%00" },
    { q: `name=${"x".repeat(5120)}` },
    { q: `domain_id=${w.other.domainId}` },
    { q: "domain_id=a&domain_id=b" },
    { q: "user_id=" },
    { q: "user_id=a&user_id=b" },
    { q: `user_id=${w.rng.hex(32)}` },
    { q: "enabled=maybe" },
    { q: "enabled=true&enabled=false" },
    { q: "is_domain=yes" },
    { q: "type=bogus" },
    { q: "permission_type=x" },
    { q: "parent_id%5B%5D=1" },
    { q: "__proto__=x" },
    { q: "__proto__=x&__proto__=y" },
    { q: "constructor=1" },
    { q: "toString=1" },
    { q: "hasOwnProperty=1&valueOf=2" },
    { q: "=" },
    { q: "&&" },
    { q: "a" },
    { q: "name=%F0%9F%98%80%E2%80%AE" },
    { q: "name=+a+b+" },
    { q: "%", raw: true },
    { q: "%zz=1", raw: true },
    { q: "name=%", raw: true },
    { q: "name=%E0%A4%A", raw: true },
    { q: "name=%C3%28", raw: true },
    { q: "page=%FF", raw: true },
  ];
}

function queryCases(w: World, op: OpInfo, body: string | undefined): Case[] {
  const path = basePath(w, op);
  return w.rng.sample(queryMutations(w), 18).map(({ q, raw }) => ({
    op: op.meta.name,
    what: `query ${q.length > 60 ? `${q.slice(0, 60)}…` : q}`,
    wire: build(w, { method: op.meta.method, path, query: q, body }, raw ? { kind: "token", token: w.token } : usual(w)),
    expect: MAY_SUCCEED,
  }));
}

const ODD_SEGMENTS: string[] = [
  "%",
  "%zz",
  "%00",
  "..",
  ".",
  "%2e%2e",
  "%2F",
  "..%2F..%2Fetc%2Fpasswd",
  "%E2%98%83%F0%9F%98%80%E2%80%AE",
  "%C3%28",
  "%FF%FE",
  "%27%20OR%201%3D1--",
  "null",
  "-1",
  "%7Buser_id%7D",
  "__proto__",
  "constructor",
  "a;b,c",
  "%20",
  "~",
  "",
];

function pathCases(w: World, op: OpInfo, body: string | undefined): Case[] {
  const names = [...op.meta.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const out: Case[] = [];
  for (const name of names) {
    const values = [
      "%",
      "%zz",
      "..",
      "%00",
      "%E2%98%83",
      "x".repeat(5120),
      w.rng.hex(32),
      paramValue(w, op, name).toUpperCase(),
      `${encodeURIComponent(paramValue(w, op, name))}%00`,
      ...w.rng.sample(ODD_SEGMENTS, 7),
    ];
    for (const v of new Set(values)) {
      const path = op.prefix + fillPath(op.meta.path, (n) => (n === name ? v : encodeURIComponent(paramValue(w, op, n))));
      out.push({
        op: op.meta.name,
        what: `path {${name}} := ${v.length > 40 ? `${v.slice(0, 20)}… (${v.length} chars)` : JSON.stringify(v)}`,
        wire: build(w, { method: op.meta.method, path, body }, usual(w)),
        expect: MAY_SUCCEED,
      });
    }
  }
  return out;
}

function bodyCases(w: World, op: OpInfo, sample: Json | undefined): Case[] {
  const { rng } = w;
  const path = basePath(w, op);
  const text = sample === undefined ? "{}" : jsonText(sample);
  const out: Case[] = [];
  const add = (what: string, body: Buffer | string, headers: Record<string, string> = {}) =>
    out.push({ op: op.meta.name, what, wire: build(w, { method: op.meta.method, path, body, headers }, usual(w)), expect: MAY_SUCCEED });

  const raw: [string, Buffer | string][] = [
    ["body empty", ""],
    ["body whitespace only", " \n\t "],
    ["body {", "{"],
    ["body }", "}"],
    ['body {"', '{"'],
    ["body truncated", text.slice(0, 1 + rng.int(Math.max(1, text.length - 2)))],
    ["body null", "null"],
    ["body []", "[]"],
    ['body "str"', '"str"'],
    ["body 42", "42"],
    ["body -0", "-0"],
    ["body 1e999", "1e999"],
    ["body true", "true"],
    ["body {}", "{}"],
    ["body {}{}", "{}{}"],
    ["body with a trailing comma", `${text.slice(0, -1)},}`],
    ["body in single quotes", text.replace(/"/g, "'")],
    ["body NaN", "NaN"],
    ["body of 5000-deep arrays", deepArrays],
    ["body of 5000-deep objects", deepObjects],
    ["body a 100 KB string", JSON.stringify(HUGE)],
    ["body with a 100 KB key", `{${JSON.stringify(HUGE)}:1}`],
    ["body with invalid UTF-8", Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('"}')])],
    ["body sample with invalid UTF-8 inside", Buffer.concat([Buffer.from(text.slice(0, -1)), Buffer.from(',"x":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')])],
    ["body with raw NUL bytes", '{"a":"\u0000\u0000"}'],
    ["body of NUL bytes", "\u0000\u0000\u0000\u0000"],
    ["body with a BOM", `\ufeff${text}`],
    ["body in UTF-16", Buffer.from(text, "utf16le")],
    ["body with __proto__", text.replace(/^\{/, '{"__proto__":{"isAdmin":true,"status":"x"},')],
    ["body with constructor.prototype", text.replace(/^\{/, '{"constructor":{"prototype":{"isAdmin":true}},')],
    ["body as an array of the sample", `[${text}]`],
    ["body sample followed by garbage", `${text}xyz`],
    ["body sample with an unknown field", text.replace(/^\{/, '{"fuzz_unknown":[1,{"a":null}],')],
  ];
  for (const [what, body] of raw) add(what, body);
  add("body XML as application/xml", "<user><name>x</name></user>", { "Content-Type": "application/xml" });
  add("body form-encoded", "user=x&name=y", { "Content-Type": "application/x-www-form-urlencoded" });

  if (sample !== undefined) {
    for (const p of objectPaths(sample)) {
      const where = p.join(".");
      add(`body ${where} removed`, jsonText(withValue(sample, p, undefined)));
      for (const [label, value] of rng.sample(FIELD_VARIANTS, 6)) add(`body ${where} := ${label}`, jsonText(withValue(sample, p, value)));
    }
  }
  return out;
}

/** A couple of bodies sent where none is read: they must not matter, nor break anything. */
function strayBodyCases(w: World, op: OpInfo): Case[] {
  const path = basePath(w, op);
  return (
    [
      ["stray body {", "{"],
      ["stray body of 5000-deep arrays", deepArrays],
    ] as const
  ).map(([what, body]) => ({ op: op.meta.name, what, wire: build(w, { method: op.meta.method, path, body }, usual(w)), expect: MAY_SUCCEED }));
}

const OTHER_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND", "TRACE", "PURGE", "MKCOL", "LOCK"];

function methodCases(w: World, ops: OpInfo[], route: RouteKind): Case[] {
  const byPath = new Map<string, OpInfo>();
  for (const op of ops) byPath.set(op.prefix + op.meta.path, op);
  const out: Case[] = [];
  for (const [template, op] of byPath) {
    const path = basePath(w, { ...op, meta: { ...op.meta, method: "GET" } });
    for (const method of w.rng.sample(OTHER_METHODS, 6)) {
      if (route(method, path) !== "none") continue;
      out.push({
        op: op.meta.name,
        what: `method ${method} on ${template}, which does not serve it`,
        wire: build(w, { method, path }, { kind: "aksk", creds: w.admin }),
        expect: NOT_FOUND,
      });
    }
  }
  return out;
}

function unknownPathCases(w: World, route: RouteKind): Case[] {
  const { rng } = w;
  const word = () => rng.string(3 + rng.int(8));
  const shapes: (() => string)[] = [
    () => `/iam/v3/${word()}`,
    () => `/iam/v3/users/${w.userId}/${word()}`,
    () => `/iam/v3/groups/${w.groupId}/users/${w.userId}/${word()}`,
    () => `/iam/${word()}/users`,
    () => `/iam/v3.0/OS-${word().toUpperCase()}/${word()}`,
    () => `/_hwlocal/${word()}`,
    () => `/_hwlocal/clock/${word()}`,
    () => `/${word()}`,
    () => `/${word()}/${word()}/${word()}`,
    () => `/iam//v3//users`,
    () => `/iam/v3/users/${"%2F".repeat(20)}`,
    () => `//${word()}`,
  ];
  const out: Case[] = [];
  for (let i = 0; i < 60; i++) {
    const path = rng.pick(shapes)();
    const method = rng.pick(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]);
    if (route(method, path) !== "none") continue;
    out.push({
      op: "(unknown path)",
      what: `${method} of a path nothing serves`,
      wire: build(w, { method, path, body: method === "POST" ? "{}" : undefined }, { kind: "aksk", creds: w.admin }),
      expect: NOT_FOUND,
    });
  }
  // Host-based routing to a service that has no such path.
  for (const host of ["iam.cn-north-4.myhuaweicloud.com", "iam.myhuaweicloud.com", "nosuchservice.cn-north-4.example.com"]) {
    const wire = build(w, { method: "GET", path: `/v3/${word()}` }, { kind: "none" }, (r) => {
      r.headers.host = host;
      Object.assign(r.headers, signWire({ ...r, headers: { ...r.headers } }, w.admin));
    });
    out.push({ op: "(unknown path)", what: `Host ${host} with a path it does not serve`, wire, expect: NOT_FOUND });
  }
  out.push({
    op: "(unknown path)",
    what: "a 40 KB URI",
    wire: build(w, { method: "GET", path: `/iam/v3/users/${"u".repeat(40 * 1024)}` }, { kind: "aksk", creds: w.admin }),
    expect: { allowSuccess: false, status: 414 },
  });
  return out;
}

// ------------------------------------------------------------------------------------------ routing

type RouteKind = (method: string, path: string) => "implemented" | "catalogue" | "none";

const SERVED = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]);

/** What hwlocal routes a prefixed or bare path to (as src/gateway/resolve-service.ts does, without Host). */
function routeKind(services: BoundService[]): RouteKind {
  const byName = new Map(services.map((s) => [s.name, s]));
  return (method, rawPath) => {
    if (!SERVED.has(method)) return "none";
    const m = method as HttpMethod;
    const second = rawPath.indexOf("/", 1);
    const first = second < 0 ? rawPath.slice(1) : rawPath.slice(1, second);
    const prefixed = byName.get(first);
    const candidates = prefixed
      ? [{ s: prefixed, path: second < 0 ? "/" : rawPath.slice(second) }]
      : services.filter((s) => !s.internal).map((s) => ({ s, path: rawPath }));
    let kind: "implemented" | "catalogue" | "none" = "none";
    for (const { s, path } of candidates) {
      const r = s.router.match(m, path);
      if (r.kind !== "found") continue;
      if (r.value.invoke) return "implemented";
      kind = "catalogue";
    }
    return kind;
  };
}

// ------------------------------------------------------------------------------------------ checking

interface Verdict {
  kind: "4xx" | "501" | "success" | "fail";
  why?: string;
}

const HEX32 = /^[0-9a-f]{32}$/;

function headerOf(r: WireResponse, name: string): string | undefined {
  const v = r.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

function judge(c: Case, r: WireResponse): Verdict {
  const fail = (why: string): Verdict => ({ kind: "fail", why });
  if (r.error !== undefined) return fail(r.error);
  const rid = headerOf(r, "x-request-id");
  if (rid === undefined || !HEX32.test(rid)) return fail(`X-Request-Id is ${JSON.stringify(rid)}, not 32 lower-case hex`);
  const s = r.status;
  if (c.expect.status !== undefined && s !== c.expect.status) return fail(`expected status ${c.expect.status}`);
  if (s < 400) return c.expect.allowSuccess ? { kind: "success" } : fail("expected an error answer, got a success");
  if (s >= 500 && !(s === 501 && c.expect.allow501)) return fail("server error");
  if (s >= 600) return fail("not an HTTP status");
  if (c.wire.method !== "HEAD") {
    const type = headerOf(r, "content-type") ?? "";
    if (!/^application\/json\b/i.test(type)) return fail(`Content-Type is ${JSON.stringify(type)}`);
    let body: unknown;
    try {
      body = JSON.parse(r.body.toString("utf8"));
    } catch {
      return fail("the body is not JSON");
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) return fail("the body is not a JSON object");
    const b = body as Record<string, unknown>;
    if (typeof b.error_code !== "string" || b.error_code === "") return fail("error_code is missing or not a string");
    if (typeof b.error_msg !== "string") return fail("error_msg is missing or not a string");
    if (typeof b.request_id !== "string" || !HEX32.test(b.request_id)) return fail("request_id is missing or not 32 lower-case hex");
    if (b.request_id !== rid) return fail(`request_id ${b.request_id} differs from X-Request-Id ${rid}`);
    if (c.expect.code !== undefined && b.error_code !== c.expect.code) return fail(`expected error_code ${c.expect.code}`);
  }
  return { kind: s === 501 ? "501" : "4xx" };
}

function describe(c: Case, r: WireResponse, why: string): string {
  const h = c.wire.headers;
  const shownHeaders = Object.entries(h)
    .filter(([k]) => !/^(host|content-type)$/i.test(k))
    .map(([k, v]) => `${k}: ${v.length > 90 ? `${v.slice(0, 90)}… (${v.length} chars)` : v}`)
    .join("\n      ");
  const url = `${c.wire.path}${c.wire.query ? `?${c.wire.query}` : ""}`;
  return [
    `✗ ${c.op}: ${c.what} — ${why}`,
    `    sent:     ${c.wire.method} ${url.length > 200 ? `${url.slice(0, 200)}… (${url.length} chars)` : url}`,
    `    headers:  ${shownHeaders || "(none)"}`,
    `    body:     ${preview(c.wire.body)}${c.wire.chunked ? " (chunked)" : ""}`,
    `    received: ${r.status || "no answer"} ${r.error ?? ""} content-type=${headerOf(r, "content-type") ?? "-"} x-request-id=${headerOf(r, "x-request-id") ?? "-"}`,
    `    answer:   ${preview(r.body, 400)}`,
  ].join("\n");
}

// ------------------------------------------------------------------------------------------ the test

let hw: TestHwlocal;
let agent: Agent;
const internalErrors: string[] = [];

before(async () => {
  // A second tenant, so that "another tenant's project/domain/key" are real ones.
  const dir = mkdtempSync(join(tmpdir(), "hwlocal-fuzz-"));
  const seedFile = join(dir, "seed.json");
  writeFileSync(
    seedFile,
    JSON.stringify({
      tenants: [{ domain: { name: "fuzz-other" }, access_key: { ak: "FUZZOTHERTENANTAK001", sk: "fuzzOtherTenantSecretKey000000000000001" } }],
    }),
  );
  hw = await startTestHwlocal({ seedFile }, { log: (line) => internalErrors.push(line) });
  agent = newAgent(CONCURRENCY);
});

after(async () => {
  agent?.destroy();
  await hw?.close();
});

async function makeWorld(rng: Rng): Promise<World> {
  const password = (scope?: Json) => ({
    auth: {
      identity: {
        methods: ["password"],
        password: { user: { name: hw.seed.user.name, password: hw.seed.user.password, domain: { name: hw.seed.domain.name } } },
      },
      ...(scope ? { scope } : {}),
    },
  });
  const tokenRes = await hw.call("POST", "/iam/v3/auth/tokens", { creds: null, query: { nocatalog: "true" }, body: password() });
  assert.equal(tokenRes.status, 201, `setup: password token: ${tokenRes.text}`);
  const token = tokenRes.headers.get("x-subject-token");
  assert.ok(token, "setup: X-Subject-Token");
  const projectTokenRes = await hw.call("POST", "/iam/v3/auth/tokens", {
    creds: null,
    query: { nocatalog: "true" },
    body: password({ project: { id: hw.projectId("cn-north-4") } }),
  });
  const projectToken = projectTokenRes.headers.get("x-subject-token");
  assert.ok(projectTokenRes.status === 201 && projectToken, `setup: project token: ${projectTokenRes.text}`);
  const doomed = await hw.call("POST", "/iam/v3/auth/tokens", { creds: null, query: { nocatalog: "true" }, body: password() });
  const revokedToken = doomed.headers.get("x-subject-token");
  assert.ok(revokedToken, `setup: token to revoke: ${doomed.text}`);
  const revoked = await hw.call("DELETE", "/iam/v3/auth/tokens", { headers: { "X-Subject-Token": revokedToken } });
  assert.equal(revoked.status, 204, `setup: revoke: ${revoked.text}`);
  const groups = await hw.call("GET", "/iam/v3/groups", { query: { name: "admin" } });
  const groupId = (groups.json.groups as { id: string }[] | undefined)?.[0]?.id;
  assert.ok(groupId, `setup: admin group: ${groups.text}`);
  const roles = await hw.call("GET", "/iam/v3/roles");
  const roleId = (roles.json.roles as { id: string }[] | undefined)?.[0]?.id;
  assert.ok(roleId, `setup: a role: ${roles.text}`);
  const tenant = hw.seed.tenants?.[0];

  const created = async (method: string, path: string, body: Json): Promise<Record<string, unknown>> => {
    const r = await hw.call(method, path, { body });
    assert.ok(r.status >= 200 && r.status < 300, `setup: ${method} ${path}: ${r.status} ${r.text}`);
    return r.json;
  };
  const newUser = async (path: string, user: Record<string, Json>): Promise<string> =>
    ((await created("POST", path, { user })).user as { id: string }).id;
  const newKey = async (userId: string): Promise<Credentials> => {
    const c = (await created("POST", "/iam/v3.0/OS-CREDENTIAL/credentials", { credential: { user_id: userId } })).credential as {
      access: string;
      secret: string;
    };
    return { ak: c.access, sk: c.secret };
  };
  const plainUser = await newUser("/iam/v3/users", { name: "fuzz-plain", password: "Plain@12345" });
  const plain = await newKey(plainUser);
  const inactive = await newKey(plainUser);
  await created("PUT", `/iam/v3.0/OS-CREDENTIAL/credentials/${inactive.ak}`, { credential: { status: "inactive" } });
  const disabledUser = await newKey(await newUser("/iam/v3/users", { name: "fuzz-disabled", enabled: false }));
  const consoleUser = await newKey(await newUser("/iam/v3.0/OS-USER/users", { name: "fuzz-console", access_mode: "console" }));
  const temp = (
    await created("POST", "/iam/v3.0/OS-CREDENTIAL/securitytokens", { auth: { identity: { methods: ["token"], token: { id: token } } } })
  ).credential as { access: string; secret: string; securitytoken: string };

  return {
    keys: {
      plain,
      inactive,
      disabledUser,
      consoleUser,
      temporary: { ak: temp.access, sk: temp.secret, securityToken: temp.securitytoken },
    },
    hw,
    rng,
    host: `127.0.0.1:${hw.port}`,
    admin: hw.admin,
    token,
    projectToken,
    revokedToken,
    otherOwnProjectId: hw.projectId("cn-east-3"),
    domainId: hw.seed.domain.id,
    userId: hw.seed.user.id,
    groupId,
    roleId,
    projectId: hw.projectId("cn-north-4"),
    other: {
      creds: tenant ? { ak: tenant.accessKey.ak, sk: tenant.accessKey.sk } : undefined,
      domainId: tenant?.domain.id ?? rng.hex(32),
      projectId: tenant?.regions[0]?.projectId ?? rng.hex(32),
    },
  };
}

function operations(services: BoundService[]): OpInfo[] {
  const ops: OpInfo[] = [];
  for (const service of services) {
    if (!service.served) continue;
    // Non-internal services and the control plane (_hwlocal) alike, each under its path prefix.
    for (const meta of service.implemented) {
      // An event stream (the journal's) answers 200 and never completes, by design: its own tests
      // (control-journal.test.ts) check what it refuses and what it sends.
      if (meta.name === "StreamJournal") continue;
      ops.push({ service, meta, prefix: `/${service.name}` });
    }
  }
  return ops;
}

let barrageDone = false;
let adminToken = "";

test("bad input: ≥1000 malformed requests across every operation all answer a proper 4xx", { timeout: 120_000 }, async (t) => {
  const rng = new Rng(SEED);
  const w = await makeWorld(rng);
  adminToken = w.token;
  const route = routeKind(hw.services);
  const target = { host: "127.0.0.1", port: hw.port, agent };

  // The wire signer must agree with the reference test signer, and the server must accept it: otherwise
  // every "validly signed" request below would stop at authentication.
  const date = new Date();
  const reference = signRequest({
    method: "GET",
    url: new URL(`${hw.url}/iam/v3/projects?name=cn-north-4&page=1`),
    headers: { "Content-Type": "application/json" },
    body: undefined,
    creds: w.admin,
    date,
  });
  const ours = signWire(
    { method: "GET", path: "/iam/v3/projects", query: "name=cn-north-4&page=1", headers: { host: w.host, "Content-Type": "application/json" } },
    w.admin,
    { date },
  );
  assert.equal(ours.Authorization, reference.Authorization, "the wire signer agrees with test/helpers/sign.ts");
  const probe = await sendWire(target, build(w, { method: "GET", path: "/iam/v3/users/%2E%2E" }, { kind: "aksk", creds: w.admin }), TIMEOUT_MS);
  assert.equal(probe.status, 404, `an odd path signed on the wire reaches the operation: ${probe.body.toString()}`);

  const ops = operations(hw.services);
  const names = new Set(ops.map((o) => o.meta.name));
  const samples = sampleBodies(w);
  let cases: Case[] = [];
  for (const op of ops) {
    const sample = samples[op.meta.name];
    const takesBody = BODY_METHODS.has(op.meta.method);
    const bodyText = takesBody ? (sample === undefined ? "{}" : jsonText(sample)) : undefined;
    let mine = [...authCases(w, op, bodyText), ...scopeCases(w, op, bodyText)];
    if (!ONLY_FAILING.has(op.meta.name)) {
      mine.push(...queryCases(w, op, bodyText), ...pathCases(w, op, bodyText));
      mine.push(...(takesBody ? bodyCases(w, op, sample) : strayBodyCases(w, op)));
    }
    // A mutated path that lands on an operation the SDK lists but hwlocal lacks answers a legitimate 501.
    mine = mine.filter((c) => route(c.wire.method, c.wire.path) !== "catalogue");
    cases.push(...mine);
  }
  cases.push(...methodCases(w, ops, route), ...unknownPathCases(w, route));
  cases = rng.shuffle(cases);

  // Over the body limit (12 MiB by default): declared up front, and streamed without a length.
  const create = ops.find((o) => o.meta.name === "KeystoneCreateUser") ?? ops.find((o) => o.meta.method === "POST")!;
  const big = Buffer.alloc(13 * MIB, 0x61);
  for (const chunked of [false, true]) {
    cases.push({
      op: create.meta.name,
      what: `a 13 MiB body${chunked ? ", chunked" : ""}`,
      wire: build(w, { method: "POST", path: basePath(w, create), body: big, chunked }, { kind: "aksk", creds: w.admin }),
      expect: { allowSuccess: false, status: 413, code: "APIGW.0201" },
    });
  }

  const started = performance.now();
  const responses = await pool(cases, CONCURRENCY, (c) => sendWire(target, c.wire, TIMEOUT_MS));
  const seconds = (performance.now() - started) / 1000;

  const counts = { "4xx": 0, "501": 0, success: 0, fail: 0 };
  const byStatus = new Map<number, number>();
  const perOp = new Map<string, number>();
  const failures: string[] = [];
  cases.forEach((c, i) => {
    const r = responses[i]!;
    const v = judge(c, r);
    counts[v.kind]++;
    byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    if (v.kind === "4xx" || v.kind === "501") perOp.set(c.op, (perOp.get(c.op) ?? 0) + 1);
    if (v.kind === "fail") failures.push(describe(c, r, v.why ?? "failed"));
  });

  t.diagnostic(`seed ${SEED}: ${cases.length} requests over ${names.size} operations in ${seconds.toFixed(1)} s`);
  t.diagnostic(`proper 4xx ${counts["4xx"]}, proper 501 (SM3) ${counts["501"]}, tolerated successes ${counts.success}, failures ${counts.fail}`);
  t.diagnostic(`statuses: ${[...byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ")}`);
  barrageDone = true;

  const sent = new Map<string, number>();
  for (const c of cases) sent.set(c.op, (sent.get(c.op) ?? 0) + 1);
  const thin = [...names].filter((n) => (sent.get(n) ?? 0) < 20 || !perOp.has(n));
  assert.deepEqual(thin, [], "every implemented operation got at least 20 requests and one checked error answer");
  assert.ok(counts["4xx"] >= MIN_CHECKED_4XX, `only ${counts["4xx"]} answers were checked 4xx (need ${MIN_CHECKED_4XX})`);
  assert.equal(
    failures.length,
    0,
    `${failures.length} of ${cases.length} requests got a wrong answer (seed ${SEED}); the first 25:\n${failures.slice(0, 25).join("\n")}`,
  );
  assert.deepEqual(internalErrors, [], "hwlocal logged no internal error");
});

test("after the barrage hwlocal still answers health and a signed request", async () => {
  assert.ok(barrageDone, "the barrage ran");
  const health = await hw.call("GET", "/_hwlocal/health", { creds: null });
  assert.equal(health.status, 200, health.text);
  assert.equal(health.json.status, "ok");
  const domains = await hw.call("GET", "/iam/v3/auth/domains");
  assert.equal(domains.status, 200, domains.text);
  const list = domains.json.domains as { id: string }[];
  assert.equal(list[0]?.id, hw.seed.domain.id);
  // The admin's token, used throughout the barrage, still works too.
  const projects = await hw.call("GET", "/iam/v3/auth/projects", { creds: null, headers: { "X-Auth-Token": adminToken } });
  assert.equal(projects.status, 200, projects.text);
});

// Below the HTTP parser: requests Node itself rejects never reach the gateway, so hwlocal must answer them
// from the server's clientError path, still with a request id and the JSON error body.
const PROTOCOL_GARBAGE: [string, string][] = [
  ["a method no HTTP parser knows", "FOO /iam/v3/users HTTP/1.1\r\nHost: x\r\n\r\n"],
  ["Content-Length: abc", "POST /iam/v3/users HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"],
  ["Content-Length and Transfer-Encoding together", "POST /iam/v3/users HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}"],
  ["two different Content-Lengths", "POST /iam/v3/users HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"],
  ["a control character in a header name", "GET /iam/v3/users HTTP/1.1\r\nHost: x\r\nX-Bad\u0001: y\r\n\r\n"],
  ["HTTP/1.1 without Host", "GET /iam/v3/users HTTP/1.1\r\n\r\n"],
  ["a binary request line", "\u0000\u0001\u0002 / HTTP/1.1\r\n\r\n"],
];

function rawExchange(port: number, data: string): Promise<{ head: string; body: string; error?: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, "127.0.0.1", () => socket.write(data, "latin1"));
    const finish = (error?: string) => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString("latin1");
      const cut = text.indexOf("\r\n\r\n");
      resolve({ head: cut < 0 ? text : text.slice(0, cut), body: cut < 0 ? "" : text.slice(cut + 4), error });
    };
    const timer = setTimeout(() => finish(`no answer within ${TIMEOUT_MS} ms`), TIMEOUT_MS);
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("end", () => finish());
    socket.on("error", (e) => finish(e.message));
  });
}

test("requests the HTTP parser rejects also get a 4xx with X-Request-Id and the JSON error body", async () => {
  const failures: string[] = [];
  for (const [what, data] of PROTOCOL_GARBAGE) {
    const r = await rawExchange(hw.port, data);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(r.head)?.[1] ?? 0);
    const rid = /\r\nx-request-id: *([^\r]*)/i.exec(r.head)?.[1];
    const type = /\r\ncontent-type: *([^\r]*)/i.exec(r.head)?.[1] ?? "";
    let body: Record<string, unknown> = {};
    const chunked = /\r\ntransfer-encoding: *chunked/i.test(r.head);
    const text = chunked ? r.body.replace(/^[0-9a-f]+\r\n|\r\n[0-9a-f]+\r\n|\r\n0\r\n\r\n$/gi, "") : r.body;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = {};
    }
    const ok =
      status >= 400 &&
      status < 500 &&
      rid !== undefined &&
      HEX32.test(rid) &&
      /^application\/json\b/i.test(type) &&
      typeof body.error_code === "string" &&
      typeof body.error_msg === "string" &&
      body.request_id === rid;
    if (!ok) {
      failures.push(`✗ ${what}\n    sent:     ${JSON.stringify(data)}\n    received: ${JSON.stringify(r.head)} ${r.error ?? ""}\n    answer:   ${preview(r.body, 300)}`);
    }
  }
  assert.equal(failures.length, 0, `${failures.length} of ${PROTOCOL_GARBAGE.length} protocol-level requests got a bare answer:\n${failures.join("\n")}`);
});
