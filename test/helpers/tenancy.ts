// Shared by the tenancy tests: a hwlocal with a second tenant ("acme"), password tokens scoped to a project
// or the domain, temporary keys, and the check that a refusal is the service's own 403.
import assert from "node:assert/strict";
import type { CallResult, TestHwlocal } from "./hwlocal.ts";
import { startTestHwlocal } from "./hwlocal.ts";
import type { Credentials } from "./sign.ts";

export const ACME = { ak: "ACMEACCESSKEY0000001", sk: "acme-secret-key-0000000000000001" } as const;
const ACME_USER = { name: "root", password: "Acme@2026", domain: "acme" };
const ADMIN_USER = { name: "admin", password: "Hwlocal@2026", domain: "hwlocal" };

export interface Tenancy {
  hw: TestHwlocal;
  /** The default account's cn-north-4 project: where every test acts. */
  a: string;
  /** The default account's cn-east-3 project: same domain, another project. */
  b: string;
  /** The acme tenant's only project (cn-north-4). */
  x: string;
  acmeDomainId: string;
  /** Password tokens of the default admin scoped to A and to B, and of acme's root scoped to X. */
  tokenA: string;
  tokenB: string;
  tokenX: string;
}

/** A password token; scope a project name (of the user's domain) or "domain". */
export async function passwordToken(hw: TestHwlocal, user: { name: string; password: string; domain: string }, scope: string): Promise<string> {
  const body = {
    auth: {
      identity: { methods: ["password"], password: { user: { name: user.name, password: user.password, domain: { name: user.domain } } } },
      scope: scope === "domain" ? { domain: { name: user.domain } } : { project: { name: scope } },
    },
  };
  const r = await hw.call("POST", "/iam/v3/auth/tokens", { creds: null, body });
  assert.equal(r.status, 201, r.text);
  return r.headers.get("x-subject-token") ?? "";
}

export async function adminToken(hw: TestHwlocal, scope: string): Promise<string> {
  return passwordToken(hw, ADMIN_USER, scope);
}

/** A temporary key (with its security token) issued through /v3.0/OS-CREDENTIAL/securitytokens. */
export async function temporaryKey(hw: TestHwlocal, opts: { token?: string; creds?: Credentials; bodyToken?: string }): Promise<Credentials> {
  const r = await hw.call("POST", "/iam/v3.0/OS-CREDENTIAL/securitytokens", {
    creds: opts.token !== undefined ? null : (opts.creds ?? hw.admin),
    headers: opts.token !== undefined ? { "X-Auth-Token": opts.token } : {},
    body: { auth: { identity: { methods: ["token"], token: { duration_seconds: 900, ...(opts.bodyToken ? { id: opts.bodyToken } : {}) } } } },
  });
  assert.equal(r.status, 201, r.text);
  const c = r.json.credential as { access: string; secret: string; securitytoken: string };
  return { ak: c.access, sk: c.secret, securityToken: c.securitytoken };
}

/** A hwlocal whose seed adds the acme tenant, with the projects and tokens the tenancy tests use. */
export async function startTenancy(): Promise<Tenancy> {
  const hw = await startTestHwlocal({
    seed: {
      tenants: [{ domain: { name: "acme" }, user: { name: ACME_USER.name, password: ACME_USER.password }, access_key: { ...ACME }, regions: [{ id: "cn-north-4" }] }],
    },
  });
  const projects = await hw.call("GET", "/iam/v3/projects", { creds: ACME });
  const x = (projects.json.projects as { id: string }[])[0]!.id;
  const domains = await hw.call("GET", "/iam/v3/auth/domains", { creds: ACME });
  const acmeDomainId = (domains.json.domains as { id: string }[])[0]!.id;
  return {
    hw,
    a: hw.projectId("cn-north-4"),
    b: hw.projectId("cn-east-3"),
    x,
    acmeDomainId,
    tokenA: await adminToken(hw, "cn-north-4"),
    tokenB: await adminToken(hw, "cn-east-3"),
    tokenX: await passwordToken(hw, ACME_USER, "cn-north-4"),
  };
}

/** A refusal: the status, the service's own code, and error_code/error_msg present. */
export function expectRefused(r: CallResult, code: string, status = 403, what = ""): void {
  assert.equal(r.status, status, `${what}: ${r.text}`);
  assert.equal(r.json.error_code, code, `${what}: ${r.text}`);
  assert.equal(typeof r.json.error_msg, "string", `${what}: ${r.text}`);
  assert.ok(String(r.json.error_msg).length > 0, what);
}
