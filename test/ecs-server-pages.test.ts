// A page of servers (ListServersDetails, NovaListServersDetails) gathers every server's ports, EIPs, disks
// and security group names with one query of each kind for the whole page: each server of a page must still
// show exactly its own parts, byte for byte what ShowServer / NovaShowServer answer for it, whatever mix of
// NICs, EIPs, data disks (kept or deleted with the server) and groups the page holds.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreatePostPaidServersRequest,
  CreatePostPaidServersRequestBody,
  type EcsClient,
  ListServersDetailsRequest,
  PostPaidServer,
  PostPaidServerDataVolume,
  PostPaidServerEip,
  PostPaidServerEipBandwidth,
  PostPaidServerNic,
  PostPaidServerPublicip,
  PostPaidServerRootVolume,
  PostPaidServerSecurityGroup,
  ShowJobRequest,
  ShowServerRequest,
} from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import { CreateSecurityGroupOption, CreateSecurityGroupRequest, CreateSecurityGroupRequestBody } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { ecsClient } from "./helpers/ecs-sdk.ts";
import { wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";

interface Detail {
  id: string;
  name: string;
  addresses: Record<string, { addr: string; "OS-EXT-IPS:type": string; "OS-EXT-IPS:port_id": string }[]>;
  "os-extended-volumes:volumes_attached": { id: string; delete_on_termination: string; bootIndex: string | null; device: string }[];
  security_groups: { id: string; name: string }[];
  network_interfaces: { subnet_id: string; ip_addresses: string[]; association: { public_ip_address: string } | null }[];
}

describe("ECS server pages", () => {
  let hw: TestHwlocal;
  let ecs: EcsClient;
  let projectId: string;
  let subnets: string[];
  let groups: { id: string; name: string }[];

  const created = async (s: PostPaidServer): Promise<string[]> => {
    const r = wire(await ecs.createPostPaidServers(new CreatePostPaidServersRequest().withBody(new CreatePostPaidServersRequestBody().withServer(s))));
    await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 1 } });
    assert.equal(wire(await ecs.showJob(new ShowJobRequest().withJobId(String(r.job_id)))).status, "SUCCESS");
    return r.serverIds as string[];
  };
  const showText = async (path: string) => {
    const r = await hw.call("GET", path);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };

  before(async () => {
    hw = await startTestHwlocal();
    projectId = hw.projectId();
    ecs = ecsClient(hw.url, { ...hw.admin, projectId });
    const vpc = vpcClient(hw.url, hw.admin, projectId);
    const vpcId = (await newVpc(vpc, "10.0.0.0/8", "pages")).id;
    subnets = [
      (await newSubnet(vpc, { vpcId, cidr: "10.1.0.0/24", gatewayIp: "10.1.0.1" })).id,
      (await newSubnet(vpc, { vpcId, cidr: "10.2.0.0/24", gatewayIp: "10.2.0.1" })).id,
    ];
    groups = [];
    for (const name of ["web", "db"]) {
      const option = new CreateSecurityGroupOption().withName(name);
      const sg = wire(await vpc.createSecurityGroup(new CreateSecurityGroupRequest().withBody(new CreateSecurityGroupRequestBody().withSecurityGroup(option))));
      groups.push({ id: (sg.security_group as { id: string }).id, name });
    }
    const base = (name: string, count: number) =>
      new PostPaidServer()
        .withName(name)
        .withFlavorRef("s6.small.1")
        .withImageRef(UBUNTU)
        .withVpcid(vpcId)
        .withRootVolume(new PostPaidServerRootVolume().withVolumetype("SSD").withSize(40))
        .withCount(count);
    // Plain servers, servers with two NICs, an EIP, two groups and two data disks (one kept on deletion),
    // and one with a single data disk, created in that order (so listed newest first in the reverse one).
    await created(base("plain", 3).withNics([new PostPaidServerNic().withSubnetId(subnets[0]!)]).withSecurityGroups([new PostPaidServerSecurityGroup().withId(groups[0]!.id)]));
    await created(
      base("rich", 2)
        .withNics([new PostPaidServerNic().withSubnetId(subnets[0]!), new PostPaidServerNic().withSubnetId(subnets[1]!)])
        .withSecurityGroups(groups.map((g) => new PostPaidServerSecurityGroup().withId(g.id)))
        .withPublicip(
          new PostPaidServerPublicip().withEip(
            new PostPaidServerEip().withIptype("5_bgp").withBandwidth(new PostPaidServerEipBandwidth().withSharetype("PER").withSize(5)),
          ),
        )
        .withDataVolumes([
          new PostPaidServerDataVolume().withVolumetype("SSD").withSize(10),
          new PostPaidServerDataVolume().withVolumetype("SAS").withSize(20).withDeleteOnTermination(false),
        ]),
    );
    await created(
      base("disk", 1)
        .withNics([new PostPaidServerNic().withSubnetId(subnets[1]!)])
        .withSecurityGroups([new PostPaidServerSecurityGroup().withId(groups[1]!.id)])
        .withDataVolumes([new PostPaidServerDataVolume().withVolumetype("SSD").withSize(10)]),
    );
  });
  after(() => hw.close());

  test("each server of a page shows its own NICs, EIP, disks and groups, as ShowServer does", async () => {
    const list = wire(await ecs.listServersDetails(new ListServersDetailsRequest().withLimit(100)));
    const servers = list.servers as Detail[];
    assert.equal(list.count, 6);
    assert.deepEqual(servers.map((s) => s.name), ["disk", "rich-0002", "rich-0001", "plain-0003", "plain-0002", "plain-0001"]);
    for (const s of servers) {
      const shown = wire(await ecs.showServer(new ShowServerRequest().withServerId(s.id))).server;
      assert.deepEqual(s, shown, `${s.name}: the page and ShowServer agree`);
    }

    const rich = servers.find((s) => s.name === "rich-0001")!;
    assert.deepEqual(rich.network_interfaces.map((n) => n.subnet_id), subnets);
    assert.ok(rich.network_interfaces[0]!.association?.public_ip_address, "the EIP on the first NIC");
    assert.equal(rich.network_interfaces[1]!.association, null);
    assert.deepEqual(Object.values(rich.addresses)[0]!.map((a) => a["OS-EXT-IPS:type"]), ["fixed", "floating", "fixed"]);
    assert.deepEqual(rich.security_groups, groups);
    const volumes = rich["os-extended-volumes:volumes_attached"];
    // Disks attached at one instant come in attachment id order, so by device here.
    const byDevice = [...volumes].sort((a, b) => a.device.localeCompare(b.device));
    assert.deepEqual(byDevice.map((v) => [v.device, v.bootIndex, v.delete_on_termination]), [
      ["/dev/vda", "0", "true"],
      ["/dev/vdb", null, "true"],
      ["/dev/vdc", null, "false"],
    ]);
    const other = servers.find((s) => s.name === "rich-0002")!;
    assert.notDeepEqual(other.network_interfaces, rich.network_interfaces);
    assert.equal(new Set([...volumes, ...other["os-extended-volumes:volumes_attached"]].map((v) => v.id)).size, 6, "disks of their own");

    const plain = servers.find((s) => s.name === "plain-0001")!;
    assert.equal(plain.network_interfaces.length, 1);
    assert.equal(plain.network_interfaces[0]!.association, null);
    assert.deepEqual(plain.security_groups, [groups[0]]);
    assert.equal(plain["os-extended-volumes:volumes_attached"].length, 1);
    const disk = servers.find((s) => s.name === "disk")!;
    assert.deepEqual(disk["os-extended-volumes:volumes_attached"].map((v) => v.delete_on_termination), ["true", "true"]);

    // Later pages and the IP filters gather the same way.
    const page2 = wire(await ecs.listServersDetails(new ListServersDetailsRequest().withLimit(2).withOffset(2))).servers;
    assert.deepEqual(page2, servers.slice(2, 4));
    const secondIp = rich.network_interfaces[1]!.ip_addresses[0]!;
    const byIp = wire(await ecs.listServersDetails(new ListServersDetailsRequest().withIpEq(secondIp))).servers;
    assert.deepEqual(byIp, [rich]);
    const bySubnet = wire(await ecs.listServersDetails(new ListServersDetailsRequest().withIp("10.2.0."))).servers as Detail[];
    assert.deepEqual(bySubnet.map((s) => s.name), ["disk", "rich-0002", "rich-0001"]);
  });

  test("nova: each server of a detail page is what NovaShowServer answers for it", async () => {
    const page = await showText(`/ecs/v2.1/${projectId}/servers/detail`);
    const servers = page.servers as { id: string; name: string }[];
    assert.equal(servers.length, 6);
    for (const s of servers) assert.deepEqual(s, (await showText(`/ecs/v2.1/${projectId}/servers/${s.id}`)).server, s.name);
    const byIp = (await showText(`/ecs/v2.1/${projectId}/servers/detail?ip=10.2.0.`)).servers as { name: string }[];
    assert.deepEqual(byIp.map((s) => s.name), ["disk", "rich-0002", "rich-0001"]);
  });
});
