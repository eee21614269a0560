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

/** The public Ubuntu 22.04 image of hwlocal's IMS catalogue. */
export const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";

/** One project's resources, which other projects' requests try to use. */
export interface World {
  project: string;
  creds: Credentials;
  vpcId: string;
  subnetId: string;
  sgId: string;
  keyName: string;
  eipId: string;
  serverGroupId: string;
  volumeId: string;
  serverId: string;
  portId: string;
  imageId: string;
  topicUrn: string;
  configId: string;
}

/** Creates a second project of the default account in cn-north-4 (same domain and region as A). */
export async function subProject(hw: TestHwlocal, name = "cn-north-4_other"): Promise<string> {
  const r = await hw.call("POST", "/iam/v3/projects", { body: { project: { name } } });
  assert.equal(r.status, 201, r.text);
  return (r.json.project as { id: string }).id;
}

async function advance(hw: TestHwlocal, seconds: number): Promise<void> {
  const r = await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
  assert.equal(r.status, 200, r.text);
}

/**
 * Builds a project's world (in cn-north-4): a VPC 10.0.0.0/16 with a subnet, a security group, a key pair,
 * an EIP, a server group, a volume, a booted server with its port, a private image made from it, an SMN
 * topic and an AS configuration. Names carry `tag` so that no two projects' names meet by chance.
 */
export async function buildWorld(hw: TestHwlocal, project: string, creds: Credentials, tag: string): Promise<World> {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const r = await hw.call(method, path, { body, creds, headers });
    assert.ok(r.status < 300, `${method} ${path}: ${r.text}`);
    return r.json;
  };
  const id = (j: Record<string, unknown>, key: string) => (j[key] as { id: string }).id;
  const vpcId = id(await call("POST", `/vpc/v1/${project}/vpcs`, { vpc: { name: `vpc-${tag}`, cidr: "10.0.0.0/16" } }), "vpc");
  const subnetId = id(
    await call("POST", `/vpc/v1/${project}/subnets`, { subnet: { name: `sn-${tag}`, cidr: "10.0.1.0/24", gateway_ip: "10.0.1.1", vpc_id: vpcId } }),
    "subnet",
  );
  const sgId = id(await call("POST", `/vpc/v1/${project}/security-groups`, { security_group: { name: `sg-${tag}` } }), "security_group");
  const keyName = `kp-${tag}`;
  await call("POST", `/ecs/v2.1/${project}/os-keypairs`, { keypair: { name: keyName } });
  const eipId = id(await call("POST", `/vpc/v1/${project}/publicips`, { publicip: { type: "5_bgp" }, bandwidth: { share_type: "PER", name: `bw-${tag}`, size: 5 } }), "publicip");
  const serverGroupId = id(await call("POST", `/ecs/v1/${project}/cloudservers/os-server-groups`, { server_group: { name: `sg-${tag}`, policies: ["anti-affinity"] } }), "server_group");
  const volumeId = ((await call("POST", `/evs/v2.1/${project}/cloudvolumes`, { volume: { availability_zone: "cn-north-4a", size: 10, volume_type: "SSD", name: `vol-${tag}` } })).volume_ids as string[])[0]!;
  const server = { name: `srv-${tag}`, imageRef: UBUNTU, flavorRef: "s6.medium.2", vpcid: vpcId, nics: [{ subnet_id: subnetId }], root_volume: { volumetype: "SSD" } };
  const serverId = ((await call("POST", `/ecs/v1/${project}/cloudservers`, { server })).serverIds as string[])[0]!;
  const topicUrn = (await call("POST", `/smn/v2/${project}/notifications/topics`, { name: `topic-${tag}`, display_name: tag })).topic_urn as string;
  const configId = (
    await call("POST", `/as/autoscaling-api/v1/${project}/scaling_configuration`, {
      scaling_configuration_name: `cfg-${tag}`,
      instance_config: { flavorRef: "s6.small.1", imageRef: UBUNTU, disk: [{ size: 40, volume_type: "SSD", disk_type: "SYS" }], key_name: keyName },
    })
  ).scaling_configuration_id as string;
  await advance(hw, 5);
  const ports = (await call("GET", `/vpc/v1/${project}/ports`, undefined)).ports as { id: string; device_id: string }[];
  const portId = ports.find((p) => p.device_id === serverId)!.id;
  const job = await call("POST", "/ims/v2/cloudimages/action", { name: `img-${tag}`, instance_id: serverId }, { "X-Project-Id": project });
  await advance(hw, 7);
  const done = await call("GET", `/ims/v1/${project}/jobs/${String(job.job_id)}`);
  const imageId = String((done.entities as { image_id: string }).image_id);
  return { project, creds, vpcId, subnetId, sgId, keyName, eipId, serverGroupId, volumeId, serverId, portId, imageId, topicUrn, configId };
}
