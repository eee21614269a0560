// Issue 8 §1: a request acts in exactly one project, and every credential agrees on which. For each served
// service a read, a write and a delete are sent with the path's {project_id}, X-Project-Id and a
// project-scoped token naming different projects — two projects of the caller's own domain (cn-north-4 A
// and cn-east-3 B), or another tenant's (acme's X) — and each must be the service's own 403 with
// error_code/error_msg, with nothing read, created or deleted in any of the three projects.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { NovaListKeypairsRequest } from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import { ListVpcsRequest } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { ecsClient } from "./helpers/ecs-sdk.ts";
import type { CallResult } from "./helpers/hwlocal.ts";
import { sdkError } from "./helpers/sdk.ts";
import { ACME, expectRefused, startTenancy, type Tenancy } from "./helpers/tenancy.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;
const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";

interface Req {
  method: string;
  path: string;
  body?: unknown;
  query?: Record<string, string>;
  /** Set by path-less operations (IMS): the project goes in X-Project-Id. */
  headers?: Record<string, string>;
}

interface ServiceCase {
  name: string;
  /** The service's forbidden code (its errors.ts `forbidden`). */
  code: string;
  /** A resource made in project A by the admin; its id. */
  seed(t: Tenancy): Promise<string>;
  /** What "the project's resources" are, for the before/after snapshots. */
  list(p: string): Req;
  ids(json: Row): unknown[];
  read(p: string): Req;
  write(p: string): Req;
  del(p: string, id: string): Req;
}

/** How a request is made to disagree with itself: which project the path, header and token name. */
interface Mismatch {
  name: string;
  /** The project that goes in the path (or, path-less, X-Project-Id). */
  project: (t: Tenancy) => string;
  headers: (t: Tenancy) => Record<string, string>;
  /** Sign with these credentials; null when a token authenticates. */
  creds: (t: Tenancy) => typeof ACME | null | undefined;
  /** Not for path-less operations (the header is the only project there). */
  needsPath?: boolean;
}

const MISMATCHES: Mismatch[] = [
  { name: "path A, X-Project-Id B", project: (t) => t.a, headers: (t) => ({ "X-Project-Id": t.b }), creds: () => undefined, needsPath: true },
  { name: "path A, token scoped to B", project: (t) => t.a, headers: (t) => ({ "X-Auth-Token": t.tokenB }), creds: () => null },
  { name: "X-Project-Id A, token scoped to B", project: (t) => t.a, headers: (t) => ({ "X-Project-Id": t.a, "X-Auth-Token": t.tokenB }), creds: () => null },
  { name: "path X of another domain", project: (t) => t.x, headers: () => ({}), creds: () => undefined },
  { name: "path A, X-Project-Id X of another domain", project: (t) => t.a, headers: (t) => ({ "X-Project-Id": t.x }), creds: () => undefined },
  { name: "path A, another domain's token", project: (t) => t.a, headers: (t) => ({ "X-Auth-Token": t.tokenX }), creds: () => null },
  { name: "path A, another domain's AK/SK", project: (t) => t.a, headers: () => ({}), creds: () => ACME },
  { name: "path A, X-Domain-Id of another domain", project: (t) => t.a, headers: (t) => ({ "X-Domain-Id": t.acmeDomainId }), creds: () => undefined },
];

const alarmBody = (name: string) => ({
  alarm_name: name,
  metric: { namespace: "MINE.APP", metric_name: "latency", dimensions: [{ name: "host", value: "web-1" }] },
  condition: { period: 300, filter: "average", comparison_operator: ">", value: 1, count: 1 },
  alarm_action_enabled: false,
});
const asConfig = (name: string) => ({
  scaling_configuration_name: name,
  instance_config: { flavorRef: "s6.small.1", imageRef: UBUNTU, disk: [{ size: 40, volume_type: "SSD", disk_type: "SYS" }], metadata: { admin_pass: "Passw0rd!x" } },
});
const eipBody = { publicip: { type: "5_bgp" }, bandwidth: { share_type: "PER", name: "bw", size: 5 } };
const volumeBody = (az: string) => ({ volume: { availability_zone: az, size: 10, volume_type: "SSD", name: "v" } });
const pluck = (key: string, id: string) => (json: Row) => ((json[key] as Row[] | undefined) ?? []).map((x) => x[id]);

describe("tenancy: every credential agrees on one project", () => {
  let t: Tenancy;
  let iamGroup = "";
  let iamRole = "";
  let imsServer = "";
  before(async () => {
    t = await startTenancy();
  });
  after(() => t.hw.close());

  const advance = async (seconds: number) => {
    assert.equal((await t.hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);
  };
  const ok = async (r: Promise<CallResult>): Promise<Row> => {
    const res = await r;
    assert.ok(res.status < 300, res.text);
    return res.json;
  };
  const send = (req: Req, headers: Record<string, string> = {}, creds?: typeof ACME | null) =>
    t.hw.call(req.method, req.path, { body: req.body, query: req.query, headers: { ...req.headers, ...headers }, creds });

  /** A snapshot of the case's list in A, B and X (each read with its own tenant's key). */
  const snapshot = async (c: ServiceCase) => {
    const out: string[] = [];
    for (const [p, creds] of [[t.a, undefined], [t.b, undefined], [t.x, ACME]] as const) {
      const r = await send(c.list(p), {}, creds);
      out.push(`${r.status} ${JSON.stringify(r.status < 300 ? c.ids(r.json).map(String).sort() : r.json.error_code)}`);
    }
    return out;
  };

  const CASES: ServiceCase[] = [
    {
      name: "ECS",
      code: "Ecs.0003",
      seed: async () => {
        await ok(t.hw.call("POST", `/ecs/v2.1/${t.a}/os-keypairs`, { body: { keypair: { name: "kp-seed" } } }));
        return "kp-seed";
      },
      list: (p) => ({ method: "GET", path: `/ecs/v2.1/${p}/os-keypairs` }),
      ids: (j) => ((j.keypairs as { keypair: Row }[] | undefined) ?? []).map((k) => k.keypair.name),
      read: (p) => ({ method: "GET", path: `/ecs/v1/${p}/cloudservers/detail` }),
      write: (p) => ({ method: "POST", path: `/ecs/v2.1/${p}/os-keypairs`, body: { keypair: { name: "kp-refused" } } }),
      del: (p, id) => ({ method: "DELETE", path: `/ecs/v2.1/${p}/os-keypairs/${id}` }),
    },
    {
      name: "VPC",
      code: "VPC.2201",
      seed: async () => ((await ok(t.hw.call("POST", `/vpc/v1/${t.a}/vpcs`, { body: { vpc: { name: "seed", cidr: "10.0.0.0/16" } } }))).vpc as Row).id as string,
      list: (p) => ({ method: "GET", path: `/vpc/v1/${p}/vpcs` }),
      ids: pluck("vpcs", "id"),
      read: (p) => ({ method: "GET", path: `/vpc/v1/${p}/subnets` }),
      write: (p) => ({ method: "POST", path: `/vpc/v1/${p}/vpcs`, body: { vpc: { name: "refused", cidr: "192.168.0.0/16" } } }),
      del: (p, id) => ({ method: "DELETE", path: `/vpc/v1/${p}/vpcs/${id}` }),
    },
    {
      name: "EIP",
      code: "VPC.2201",
      seed: async () => ((await ok(t.hw.call("POST", `/eip/v1/${t.a}/publicips`, { body: eipBody }))).publicip as Row).id as string,
      list: (p) => ({ method: "GET", path: `/eip/v1/${p}/publicips` }),
      ids: pluck("publicips", "id"),
      read: (p) => ({ method: "GET", path: `/eip/v3/${p}/eip/publicips` }),
      write: (p) => ({ method: "POST", path: `/eip/v1/${p}/publicips`, body: eipBody }),
      del: (p, id) => ({ method: "DELETE", path: `/eip/v1/${p}/publicips/${id}` }),
    },
    {
      name: "EVS",
      code: "EVS.5403",
      seed: async () => {
        const ids = (await ok(t.hw.call("POST", `/evs/v2.1/${t.a}/cloudvolumes`, { body: volumeBody("cn-north-4a") }))).volume_ids as string[];
        await advance(5);
        return ids[0]!;
      },
      list: (p) => ({ method: "GET", path: `/evs/v2/${p}/cloudvolumes/detail` }),
      ids: pluck("volumes", "id"),
      read: (p) => ({ method: "GET", path: `/evs/v2/${p}/cloudvolumes/detail` }),
      write: (p) => ({ method: "POST", path: `/evs/v2.1/${p}/cloudvolumes`, body: volumeBody("cn-north-4a") }),
      del: (p, id) => ({ method: "DELETE", path: `/evs/v2/${p}/cloudvolumes/${id}` }),
    },
    {
      name: "IMS",
      code: "IMG.0030",
      seed: async () => {
        const v1 = vpcClient(t.hw.url, t.hw.admin, t.a);
        const vpcId = (await newVpc(v1, "10.9.0.0/16", "ims-vpc")).id;
        const subnetId = (await newSubnet(v1, { vpcId, cidr: "10.9.1.0/24", gatewayIp: "10.9.1.1" })).id;
        const server = { name: "ims-src", imageRef: UBUNTU, flavorRef: "s6.medium.2", vpcid: vpcId, nics: [{ subnet_id: subnetId }], root_volume: { volumetype: "SSD" } };
        imsServer = ((await ok(t.hw.call("POST", `/ecs/v1/${t.a}/cloudservers`, { body: { server } }))).serverIds as string[])[0]!;
        await advance(2);
        const job = await ok(t.hw.call("POST", "/ims/v2/cloudimages/action", { headers: { "X-Project-Id": t.a }, body: { name: "seed-image", instance_id: imsServer } }));
        await advance(7);
        const done = await ok(t.hw.call("GET", `/ims/v1/${t.a}/jobs/${String(job.job_id)}`));
        return String((done.entities as Row).image_id);
      },
      list: (p) => ({ method: "GET", path: "/ims/v2/cloudimages", query: { __imagetype: "private" }, headers: { "X-Project-Id": p } }),
      ids: pluck("images", "id"),
      read: (p) => ({ method: "GET", path: "/ims/v2/cloudimages", query: { __imagetype: "private" }, headers: { "X-Project-Id": p } }),
      write: (p) => ({ method: "POST", path: "/ims/v2/cloudimages/action", headers: { "X-Project-Id": p }, body: { name: "refused", instance_id: imsServer } }),
      del: (p, id) => ({ method: "DELETE", path: `/ims/v2/images/${id}`, headers: { "X-Project-Id": p } }),
    },
    {
      name: "AS",
      code: "AS.0011",
      seed: async () => (await ok(t.hw.call("POST", `/as/autoscaling-api/v1/${t.a}/scaling_configuration`, { body: asConfig("seed") }))).scaling_configuration_id as string,
      list: (p) => ({ method: "GET", path: `/as/autoscaling-api/v1/${p}/scaling_configuration` }),
      ids: pluck("scaling_configurations", "scaling_configuration_id"),
      read: (p) => ({ method: "GET", path: `/as/autoscaling-api/v1/${p}/scaling_group` }),
      write: (p) => ({ method: "POST", path: `/as/autoscaling-api/v1/${p}/scaling_configuration`, body: asConfig("refused") }),
      del: (p, id) => ({ method: "DELETE", path: `/as/autoscaling-api/v1/${p}/scaling_configuration/${id}` }),
    },
    {
      name: "CES",
      code: "ces.0017",
      seed: async () => (await ok(t.hw.call("POST", `/ces/V1.0/${t.a}/alarms`, { body: alarmBody("seed") }))).alarm_id as string,
      list: (p) => ({ method: "GET", path: `/ces/V1.0/${p}/alarms` }),
      ids: pluck("metric_alarms", "alarm_id"),
      read: (p) => ({ method: "GET", path: `/ces/V1.0/${p}/metrics` }),
      write: (p) => ({ method: "POST", path: `/ces/V1.0/${p}/alarms`, body: alarmBody("refused") }),
      del: (p, id) => ({ method: "DELETE", path: `/ces/V1.0/${p}/alarms/${id}` }),
    },
    {
      name: "SMN",
      code: "SMN.0001",
      seed: async () =>
        (await ok(t.hw.call("POST", `/smn/v2/${t.a}/notifications/topics`, { body: { name: "seed", display_name: "seed" } }))).topic_urn as string,
      list: (p) => ({ method: "GET", path: `/smn/v2/${p}/notifications/topics` }),
      ids: pluck("topics", "topic_urn"),
      read: (p) => ({ method: "GET", path: `/smn/v2/${p}/notifications/subscriptions` }),
      write: (p) => ({ method: "POST", path: `/smn/v2/${p}/notifications/topics`, body: { name: "refused", display_name: "refused" } }),
      del: (p, id) => ({ method: "DELETE", path: `/smn/v2/${p}/notifications/topics/${id}` }),
    },
    {
      name: "IAM",
      code: "IAM.0002",
      seed: async () => {
        iamGroup = ((await ok(t.hw.call("POST", "/iam/v3/groups", { body: { group: { name: "tenancy" } } }))).group as Row).id as string;
        const roles = (await ok(t.hw.call("GET", "/iam/v3/roles"))).roles as Row[];
        const xa = roles.filter((r) => r.type === "XA");
        iamRole = String(xa[1]!.id);
        await ok(t.hw.call("PUT", `/iam/v3/projects/${t.a}/groups/${iamGroup}/roles/${String(xa[0]!.id)}`));
        return String(xa[0]!.id);
      },
      list: (p) => ({ method: "GET", path: `/iam/v3/projects/${p}/groups/${iamGroup}/roles` }),
      ids: pluck("roles", "id"),
      read: (p) => ({ method: "GET", path: `/iam/v3/projects/${p}` }),
      write: (p) => ({ method: "PUT", path: `/iam/v3/projects/${p}/groups/${iamGroup}/roles/${iamRole}` }),
      del: (p, id) => ({ method: "DELETE", path: `/iam/v3/projects/${p}/groups/${iamGroup}/roles/${id}` }),
    },
  ];

  for (const c of CASES) {
    test(`${c.name}: a read, a write and a delete whose project credentials disagree are 403 ${c.code}, and change nothing`, async () => {
      const id = await c.seed(t);
      const before = await snapshot(c);
      assert.ok(before[0]!.includes(JSON.stringify(id)), `the seeded resource is listed: ${before[0]}`);
      for (const m of MISMATCHES) {
        for (const [op, make] of [["read", c.read], ["write", c.write], ["delete", (p: string) => c.del(p, id)]] as const) {
          const req = make(m.project(t));
          if (m.needsPath && req.headers?.["X-Project-Id"] !== undefined) continue;
          expectRefused(await send(req, m.headers(t), m.creds(t)), c.code, 403, `${c.name} ${op} with ${m.name}`);
        }
      }
      assert.deepEqual(await snapshot(c), before, "nothing was created or deleted in A, B or X");
      // The same calls with agreeing credentials work: the refusals were about the disagreement alone.
      assert.ok((await send(c.read(t.a), { "X-Project-Id": t.a })).status < 300);
      assert.ok((await send(c.read(t.a), { "X-Auth-Token": t.tokenA }, null)).status < 300);
    });
  }

  test("IMS: a path naming A with X-Project-Id B is refused on IMS's project paths too", async () => {
    const r = await t.hw.call("GET", `/ims/v1/${t.a}/jobs/00000000000000000000000000000000`, { headers: { "X-Project-Id": t.b } });
    expectRefused(r, "IMG.0030");
  });

  test("IAM: a {domain_id} path or X-Domain-Id of another domain is 403 IAM.0002", async () => {
    expectRefused(await t.hw.call("GET", `/iam/v3/domains/${t.acmeDomainId}/groups/${iamGroup || "g"}/roles`), "IAM.0002");
    expectRefused(await t.hw.call("GET", "/iam/v3/groups", { headers: { "X-Domain-Id": t.acmeDomainId } }), "IAM.0002");
  });

  test("through the official SDKs: a client built for another tenant's project gets the service's 403", async () => {
    const ecs = ecsClient(t.hw.url, { ...t.hw.admin, projectId: t.x });
    const e = await sdkError(ecs.novaListKeypairs(new NovaListKeypairsRequest()));
    assert.deepEqual([e.httpStatusCode, e.errorCode], [403, "Ecs.0003"]);
    const vpc = vpcClient(t.hw.url, ACME, t.a);
    const v = await sdkError(vpc.listVpcs(new ListVpcsRequest()));
    assert.deepEqual([v.httpStatusCode, v.errorCode], [403, "VPC.2201"]);
    // Each client in its own tenant's project works.
    const own = await ecsClient(t.hw.url, { ...ACME, projectId: t.x }).novaListKeypairs(new NovaListKeypairsRequest());
    assert.deepEqual((own as unknown as { keypairs: unknown[] }).keypairs, []);
  });
});
