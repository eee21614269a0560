// ECS servers through the official ECS and VPC SDKs, the flow a user runs against the cloud: a VPC, a subnet
// and a security group with a rule; three servers with an EIP each, booting through a job on hwlocal's clock;
// ACTIVE with distinct private IPs in the subnet; stop one; delete them with their EIPs and disks; delete the
// subnet and the VPC. Plus the errors a create request meets on the way.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  BatchStartServersOption,
  BatchStartServersRequest,
  BatchStartServersRequestBody,
  BatchStopServersOption,
  BatchStopServersRequest,
  BatchStopServersRequestBody,
  CreatePostPaidServersRequest,
  CreatePostPaidServersRequestBody,
  DeleteServersRequest,
  DeleteServersRequestBody,
  type EcsClient,
  ListServersDetailsRequest,
  PostPaidServer,
  PostPaidServerEip,
  PostPaidServerEipBandwidth,
  PostPaidServerNic,
  PostPaidServerPublicip,
  PostPaidServerRootVolume,
  PostPaidServerSecurityGroup,
  ServerId,
  ShowJobRequest,
  ShowServerLimitsRequest,
  ShowServerRequest,
} from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import {
  CreateSecurityGroupOption,
  CreateSecurityGroupRequest,
  CreateSecurityGroupRequestBody,
  CreateSecurityGroupRuleOption,
  CreateSecurityGroupRuleRequest,
  CreateSecurityGroupRuleRequestBody,
  DeleteSubnetRequest,
  DeleteVpcRequest,
  type VpcClient,
} from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { ecsClient } from "./helpers/ecs-sdk.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;
const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";

interface ServerJson {
  id: string;
  name: string;
  status: string;
  addresses: Record<string, { addr: string; "OS-EXT-IPS:type": string }[]>;
  "os-extended-volumes:volumes_attached": { id: string }[];
  "OS-EXT-STS:power_state": number;
  "OS-EXT-STS:vm_state": string;
  security_groups: { id: string; name: string }[];
}

describe("ECS servers", () => {
  let hw: TestHwlocal;
  let ecs: EcsClient;
  let vpc: VpcClient;
  let vpcId: string;
  let subnetId: string;
  let sgId: string;

  const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
  const server = (opts: { name: string; count?: number; eip?: boolean; flavor?: string; image?: string; subnet?: string; vpc?: string; ip?: string }) => {
    let nic = new PostPaidServerNic().withSubnetId(opts.subnet ?? subnetId);
    if (opts.ip) nic = nic.withIpAddress(opts.ip);
    const s = new PostPaidServer()
      .withName(opts.name)
      .withFlavorRef(opts.flavor ?? "s6.small.1")
      .withImageRef(opts.image ?? UBUNTU)
      .withVpcid(opts.vpc ?? vpcId)
      .withNics([nic])
      .withRootVolume(new PostPaidServerRootVolume().withVolumetype("SSD").withSize(40))
      .withSecurityGroups([new PostPaidServerSecurityGroup().withId(sgId)])
      .withCount(opts.count ?? 1);
    if (opts.eip) {
      s.withPublicip(
        new PostPaidServerPublicip().withEip(
          new PostPaidServerEip().withIptype("5_bgp").withBandwidth(new PostPaidServerEipBandwidth().withSharetype("PER").withSize(5)),
        ),
      );
    }
    return s;
  };
  const create = (s: PostPaidServer, token?: string) => {
    const req = new CreatePostPaidServersRequest().withBody(new CreatePostPaidServersRequestBody().withServer(s));
    if (token) req.withXClientToken(token);
    return ecs.createPostPaidServers(req);
  };
  const job = async (id: string) => wire(await ecs.showJob(new ShowJobRequest().withJobId(id)));
  const show = async (id: string) => wire(await ecs.showServer(new ShowServerRequest().withServerId(id))).server as ServerJson;

  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 30 });
    ecs = ecsClient(hw.url, { ...hw.admin, projectId: hw.projectId() });
    vpc = vpcClient(hw.url, hw.admin, hw.projectId());
    vpcId = (await newVpc(vpc, "192.168.0.0/16", "app")).id;
    subnetId = (await newSubnet(vpc, { vpcId, cidr: "192.168.10.0/24", gatewayIp: "192.168.10.1", name: "app-subnet" })).id;
    const sg = wire(
      await vpc.createSecurityGroup(new CreateSecurityGroupRequest().withBody(new CreateSecurityGroupRequestBody().withSecurityGroup(new CreateSecurityGroupOption().withName("web")))),
    );
    sgId = (sg.security_group as { id: string }).id;
    await vpc.createSecurityGroupRule(
      new CreateSecurityGroupRuleRequest().withBody(
        new CreateSecurityGroupRuleRequestBody().withSecurityGroupRule(
          new CreateSecurityGroupRuleOption().withSecurityGroupId(sgId).withDirection("ingress").withProtocol("tcp").withPortRangeMin(443).withPortRangeMax(443).withRemoteIpPrefix("0.0.0.0/0"),
        ),
      ),
    );
  });
  after(() => hw.close());

  test("three servers with an EIP each boot through a job; stop one; delete them with EIPs and disks; then the network", async () => {
    const created = wire(await create(server({ name: "web", count: 3, eip: true })));
    const ids = created.serverIds as string[];
    assert.equal(ids.length, 3);
    const jobId = String(created.job_id);

    // Before the boot delay has passed the servers are BUILD and the job RUNNING with three sub-jobs.
    await advance(1);
    const running = await job(jobId);
    assert.equal(running.status, "RUNNING");
    assert.equal(running.job_type, "createServer");
    const entities = running.entities as { sub_jobs_total: number; sub_jobs: { job_type: string; entities: { server_id: string } }[] };
    assert.equal(entities.sub_jobs_total, 3);
    assert.deepEqual(entities.sub_jobs.map((s) => s.entities.server_id).sort(), [...ids].sort());
    assert.equal((await show(ids[0]!)).status, "BUILD");

    await advance(30);
    assert.equal((await job(jobId)).status, "SUCCESS");
    const list = wire(await ecs.listServersDetails(new ListServersDetailsRequest().withName("web").withLimit(10)));
    assert.equal(list.count, 3);
    const servers = list.servers as ServerJson[];
    assert.deepEqual(servers.map((s) => s.status), ["ACTIVE", "ACTIVE", "ACTIVE"]);
    assert.deepEqual(servers.map((s) => s.name).sort(), ["web-0001", "web-0002", "web-0003"]);
    const fixed = servers.map((s) => s.addresses[vpcId]!.find((a) => a["OS-EXT-IPS:type"] === "fixed")!.addr);
    const floating = servers.map((s) => s.addresses[vpcId]!.find((a) => a["OS-EXT-IPS:type"] === "floating")?.addr);
    assert.equal(new Set(fixed).size, 3, "distinct private IPs");
    for (const ip of fixed) assert.match(ip, /^192\.168\.10\.\d+$/);
    assert.equal(new Set(floating).size, 3, "an EIP each");
    assert.ok(floating.every((ip) => typeof ip === "string"));
    assert.equal(servers[0]!["os-extended-volumes:volumes_attached"].length, 1, "a system disk each");
    assert.deepEqual(servers[0]!.security_groups, [{ id: sgId, name: "web" }]);
    const publicIps = await hw.call("GET", `/vpc/v1/${hw.projectId()}/publicips`);
    assert.equal((publicIps.json.publicips as { status: string }[]).filter((p) => p.status === "ACTIVE").length, 3);

    // Stop one: SHUTOFF after the delay, power state 4; starting it again brings it back.
    const stop = wire(await ecs.batchStopServers(new BatchStopServersRequest().withBody(new BatchStopServersRequestBody().withOsStop(new BatchStopServersOption().withServers([new ServerId().withId(ids[0]!)])))));
    assert.equal((await show(ids[0]!)).status, "ACTIVE", "still stopping");
    await advance(30);
    assert.equal((await job(String(stop.job_id))).status, "SUCCESS");
    const stopped = await show(ids[0]!);
    assert.equal(stopped.status, "SHUTOFF");
    assert.equal(stopped["OS-EXT-STS:power_state"], 4);
    const stopAgain = await sdkError(ecs.batchStopServers(new BatchStopServersRequest().withBody(new BatchStopServersRequestBody().withOsStop(new BatchStopServersOption().withServers([new ServerId().withId(ids[0]!)])))));
    assert.equal(stopAgain.errorCode, "Ecs.0100");
    await ecs.batchStartServers(new BatchStartServersRequest().withBody(new BatchStartServersRequestBody().withOsStart(new BatchStartServersOption().withServers([new ServerId().withId(ids[0]!)]))));
    await advance(30);
    assert.equal((await show(ids[0]!)).status, "ACTIVE");

    // While servers use it, the subnet cannot go.
    const busy = await sdkError(vpc.deleteSubnet(new DeleteSubnetRequest().withVpcId(vpcId).withSubnetId(subnetId)));
    assert.ok(busy.httpStatusCode >= 400 && busy.httpStatusCode < 500);

    const deleted = wire(
      await ecs.deleteServers(new DeleteServersRequest().withBody(new DeleteServersRequestBody().withServers(ids.map((id) => new ServerId().withId(id))).withDeletePublicip(true).withDeleteVolume(true))),
    );
    await advance(30);
    assert.equal((await job(String(deleted.job_id))).status, "SUCCESS");
    const gone = await sdkError(ecs.showServer(new ShowServerRequest().withServerId(ids[0]!)));
    assert.equal(gone.httpStatusCode, 404);
    assert.equal(gone.errorCode, "Ecs.0114");
    assert.equal(wire(await ecs.listServersDetails(new ListServersDetailsRequest())).count, 0);
    assert.deepEqual((await hw.call("GET", `/vpc/v1/${hw.projectId()}/publicips`)).json.publicips, [], "EIPs released");
    const volumes = await hw.call("GET", `/evs/v2/${hw.projectId()}/cloudvolumes/detail`);
    assert.deepEqual(volumes.json.volumes, [], "disks deleted");

    await vpc.deleteSubnet(new DeleteSubnetRequest().withVpcId(vpcId).withSubnetId(subnetId));
    // VPC deletion waits for the subnet as in the cloud; here the subnet is gone at once.
    await vpc.deleteVpc(new DeleteVpcRequest().withVpcId(vpcId));
    // Recreate the network for the other tests of this file.
    vpcId = (await newVpc(vpc, "192.168.0.0/16", "app2")).id;
    subnetId = (await newSubnet(vpc, { vpcId, cidr: "192.168.20.0/24", gatewayIp: "192.168.20.1" })).id;
  });

  test("create errors: flavor, image, subnet, VPC mismatch, fixed IP outside the subnet, key pair", async () => {
    const cases: [PostPaidServer, string][] = [
      [server({ name: "x", flavor: "s9.huge.99" }), "Ecs.0029"],
      [server({ name: "x", image: "00000000-0000-4000-8000-000000000000" }), "Ecs.0031"],
      [server({ name: "x", subnet: "00000000-0000-4000-8000-000000000000" }), "Ecs.0038"],
      [server({ name: "x", ip: "10.9.9.9" }), "Ecs.0039"],
      [server({ name: "x" }).withKeyName("nope"), "Ecs.0314"],
    ];
    for (const [s, code] of cases) {
      const e = await sdkError(create(s));
      assert.equal(e.httpStatusCode, 400, code);
      assert.equal(e.errorCode, code);
    }
    const otherVpc = (await newVpc(vpc, "10.0.0.0/16", "other")).id;
    assert.equal((await sdkError(create(server({ name: "x", vpc: otherVpc })))).errorCode, "Ecs.0064");
    const missing = await sdkError(ecs.showServer(new ShowServerRequest().withServerId("00000000-0000-4000-8000-000000000000")));
    assert.equal(missing.httpStatusCode, 404);
  });

  test("dry_run checks only (202); X-Client-Token makes a retried create idempotent; a fixed IP in use fails the job", async () => {
    const dry = wire(
      await ecs.createPostPaidServers(new CreatePostPaidServersRequest().withBody(new CreatePostPaidServersRequestBody().withServer(server({ name: "dry" })).withDryRun(true))),
    );
    assert.equal(dry.httpStatusCode, 202);
    assert.equal(wire(await ecs.listServersDetails(new ListServersDetailsRequest().withName("dry"))).count, 0);

    const first = wire(await create(server({ name: "idem", ip: "192.168.20.50" }), "token-123"));
    const again = wire(await create(server({ name: "idem", ip: "192.168.20.50" }), "token-123"));
    assert.deepEqual(again.serverIds, first.serverIds);
    assert.equal(again.job_id, first.job_id);
    await advance(30);
    assert.equal((await job(String(first.job_id))).status, "SUCCESS");

    // The same fixed IP again: the request is valid, the job fails with Ecs.0010 and the server is ERROR.
    const clash = wire(await create(server({ name: "clash", ip: "192.168.20.50" })));
    await advance(30);
    const failed = await job(String(clash.job_id));
    assert.equal(failed.status, "FAIL");
    const sub = (failed.entities as { sub_jobs: Row[] }).sub_jobs[0]!;
    assert.equal(sub.error_code, "Ecs.0010");
    const errored = await show((clash.serverIds as string[])[0]!);
    assert.equal(errored.status, "ERROR");
    assert.equal(errored["OS-EXT-STS:vm_state"], "error");
    assert.deepEqual(errored["os-extended-volumes:volumes_attached"], [], "nothing half-made is left behind");
  });
});

describe("ECS quotas", () => {
  test("the server quota (--ecs-max-servers) refuses with Ecs.0001 and ShowServerLimits reports it", async () => {
    const hw = await startTestHwlocal({ ecsMaxServers: 2 });
    try {
      const ecs = ecsClient(hw.url, { ...hw.admin, projectId: hw.projectId() });
      const vpc = vpcClient(hw.url, hw.admin, hw.projectId());
      const vpcId = (await newVpc(vpc, "10.1.0.0/16")).id;
      const subnetId = (await newSubnet(vpc, { vpcId, cidr: "10.1.0.0/24", gatewayIp: "10.1.0.1" })).id;
      const s = (count: number) =>
        new PostPaidServer()
          .withName("q")
          .withFlavorRef("s6.small.1")
          .withImageRef(UBUNTU)
          .withVpcid(vpcId)
          .withNics([new PostPaidServerNic().withSubnetId(subnetId)])
          .withRootVolume(new PostPaidServerRootVolume().withVolumetype("SSD"))
          .withCount(count);
      const over = await sdkError(ecs.createPostPaidServers(new CreatePostPaidServersRequest().withBody(new CreatePostPaidServersRequestBody().withServer(s(3)))));
      assert.equal(over.httpStatusCode, 400);
      assert.equal(over.errorCode, "Ecs.0001");
      await ecs.createPostPaidServers(new CreatePostPaidServersRequest().withBody(new CreatePostPaidServersRequestBody().withServer(s(2))));
      const limits = wire(await ecs.showServerLimits(new ShowServerLimitsRequest())).absolute as Record<string, number>;
      assert.equal(limits.maxTotalInstances, 2);
      assert.equal(limits.totalInstancesUsed, 2);
      assert.equal(limits.totalCoresUsed, 2);
      assert.equal((await sdkError(ecs.createPostPaidServers(new CreatePostPaidServersRequest().withBody(new CreatePostPaidServersRequestBody().withServer(s(1)))))).errorCode, "Ecs.0001");
    } finally {
      await hw.close();
    }
  });
});
