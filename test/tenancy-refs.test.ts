// Issue 8 §1: ids inside request bodies must name the caller's own resources. Project A (cn-north-4), a
// second project S of the same account in the same region, and another tenant's project X each get the same
// world (VPC, subnet, security group, key pair, EIP, server group, volume, server, private image); every
// reference from A to S's or X's resources — ECS create and attach, EVS from an image, IMS from a server,
// VPC ports, subnets, rules and private IPs, EIP binds — is refused with the service's documented code, and
// nothing is made; the same reference to A's own resource works.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { CallResult, TestHwlocal } from "./helpers/hwlocal.ts";
import { ACME, buildWorld, expectRefused, startTenancy, subProject, type Tenancy, type World } from "./helpers/tenancy.ts";

type Row = Record<string, unknown>;

describe("tenancy: references inside bodies are the caller's own (ECS, EVS, IMS, VPC, EIP)", () => {
  let t: Tenancy;
  let hw: TestHwlocal;
  let a: World;
  let foreign: World[];
  before(async () => {
    t = await startTenancy();
    hw = t.hw;
    const s = await subProject(hw);
    a = await buildWorld(hw, t.a, hw.admin, "a");
    foreign = [await buildWorld(hw, s, hw.admin, "s"), await buildWorld(hw, t.x, ACME, "x")];
  });
  after(() => hw.close());

  const inA = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => hw.call(method, path, { body, headers });
  const count = async (path: string, key: string): Promise<number> => {
    const r = await inA("GET", path);
    assert.equal(r.status, 200, r.text);
    return (r.json[key] as unknown[]).length;
  };
  const refused = (r: CallResult, code: string, status: number, what: string) => expectRefused(r, code, status, what);

  test("ECS create: another project's VPC, subnet, security group, image, key pair, EIP or server group is refused", async () => {
    const server = (over: Row = {}, extra: Row = {}): Row => ({
      server: {
        name: "refs",
        imageRef: a.imageId,
        flavorRef: "s6.medium.2",
        vpcid: a.vpcId,
        nics: [{ subnet_id: a.subnetId }],
        security_groups: [{ id: a.sgId }],
        key_name: a.keyName,
        root_volume: { volumetype: "SSD" },
        publicip: { id: a.eipId },
        "os:scheduler_hints": { group: a.serverGroupId },
        ...over,
      },
      ...extra,
    });
    const servers = () => count(`/ecs/v1/${t.a}/cloudservers/detail`, "servers");
    const before = await servers();
    for (const w of foreign) {
      const cases: [string, Row, string, number][] = [
        ["vpcid", { vpcid: w.vpcId }, "Ecs.0014", 400],
        ["nics.subnet_id", { nics: [{ subnet_id: w.subnetId }] }, "Ecs.0038", 400],
        ["security_groups", { security_groups: [{ id: w.sgId }] }, "Ecs.0014", 400],
        ["imageRef", { imageRef: w.imageId }, "Ecs.0031", 400],
        ["key_name", { key_name: w.keyName }, "Ecs.0314", 400],
        ["publicip.id", { publicip: { id: w.eipId } }, "Ecs.0005", 400],
        ["os:scheduler_hints.group", { "os:scheduler_hints": { group: w.serverGroupId } }, "Ecs.0005", 404],
      ];
      for (const [what, over, code, status] of cases) {
        refused(await inA("POST", `/ecs/v1/${t.a}/cloudservers`, server(over)), code, status, `${w.project} ${what}`);
        refused(await inA("POST", `/ecs/v1.1/${t.a}/cloudservers`, server(over)), code, status, `${w.project} ${what} (v1.1)`);
      }
    }
    assert.equal(await servers(), before, "nothing was created");
    const ok = await inA("POST", `/ecs/v1/${t.a}/cloudservers`, server());
    assert.equal(ok.status, 200, ok.text);
  });

  test("ECS nova create (/v2.1/servers): another project's network, security group, image or key pair is refused", async () => {
    const server = (over: Row = {}): Row => ({
      server: { name: "nova-refs", imageRef: a.imageId, flavorRef: "s6.medium.2", networks: [{ uuid: a.subnetId }], security_groups: [{ name: a.sgId }], key_name: a.keyName, ...over },
    });
    const servers = () => count(`/ecs/v1/${t.a}/cloudservers/detail`, "servers");
    const before = await servers();
    for (const w of foreign) {
      const cases: [string, Row, string][] = [
        ["networks.uuid", { networks: [{ uuid: w.subnetId }] }, "Ecs.0038"],
        ["security_groups", { security_groups: [{ name: w.sgId }] }, "Ecs.0014"],
        ["imageRef", { imageRef: w.imageId }, "Ecs.0031"],
        ["key_name", { key_name: w.keyName }, "Ecs.0314"],
      ];
      for (const [what, over, code] of cases) {
        const r = await inA("POST", `/ecs/v2.1/${t.a}/servers`, server(over));
        assert.equal(r.status, 400, `${w.project} ${what}: ${r.text}`);
        assert.equal(r.json.error_code, code, `${w.project} ${what}: ${r.text}`);
      }
    }
    assert.equal(await servers(), before, "nothing was created");
    const ok = await inA("POST", `/ecs/v2.1/${t.a}/servers`, server());
    assert.ok(ok.status < 300, ok.text);
  });

  test("ECS attach: another project's volume is refused; the project's own attaches", async () => {
    for (const w of foreign) {
      const r = await inA("POST", `/ecs/v1/${t.a}/cloudservers/${a.serverId}/attachvolume`, { volumeAttachment: { volumeId: w.volumeId } });
      refused(r, "Ecs.0005", 400, `attach ${w.project}'s volume`);
      const nova = await inA("POST", `/ecs/v2.1/${t.a}/servers/${a.serverId}/os-volume_attachments`, { volumeAttachment: { volumeId: w.volumeId } });
      assert.ok(nova.status === 400 || nova.status === 404, nova.text);
    }
    for (const w of foreign) {
      const vol = await hw.call("GET", `/evs/v2/${w.project}/cloudvolumes/${w.volumeId}`, { creds: w.creds });
      assert.equal((vol.json.volume as Row).status, "available", "the other project's volume is untouched");
    }
    const own = await inA("POST", `/ecs/v1/${t.a}/cloudservers/${a.serverId}/attachvolume`, { volumeAttachment: { volumeId: a.volumeId } });
    assert.equal(own.status, 200, own.text);
  });

  test("EVS: a volume from another project's private image is refused; from the project's own it is made", async () => {
    const volumes = () => count(`/evs/v2/${t.a}/cloudvolumes/detail`, "volumes");
    const before = await volumes();
    const body = (imageRef: string) => ({ volume: { availability_zone: "cn-north-4a", size: 40, volume_type: "SSD", imageRef } });
    for (const w of foreign) {
      refused(await inA("POST", `/evs/v2.1/${t.a}/cloudvolumes`, body(w.imageId)), "EVS.2046", 400, `${w.project}'s image`);
      refused(await inA("POST", `/evs/v3/${t.a}/cloudvolumes`, body(w.imageId)), "EVS.2046", 400, `${w.project}'s image (v3)`);
    }
    // hwlocal has no snapshots: any snapshot_id, another project's included, is EVS.2045.
    refused(await inA("POST", `/evs/v2.1/${t.a}/cloudvolumes`, { volume: { availability_zone: "cn-north-4a", size: 40, volume_type: "SSD", snapshot_id: a.volumeId } }), "EVS.2045", 400, "snapshot");
    assert.equal(await volumes(), before);
    const own = await inA("POST", `/evs/v2.1/${t.a}/cloudvolumes`, body(a.imageId));
    assert.ok(own.status < 300, own.text);
  });

  test("IMS: an image from another project's server is refused (IMG.0005), and none is made", async () => {
    const images = async () => (await inA("GET", "/ims/v2/cloudimages", undefined, { "X-Project-Id": t.a })).json.images as Row[];
    const before = (await images()).length;
    for (const w of foreign) {
      const r = await inA("POST", "/ims/v2/cloudimages/action", { name: "stolen", instance_id: w.serverId }, { "X-Project-Id": t.a });
      refused(r, "IMG.0005", 400, `${w.project}'s server`);
    }
    assert.equal((await images()).length, before);
    // Nor can A see, change or delete their private images by id.
    for (const w of foreign) {
      const h = { "X-Project-Id": t.a };
      refused(await inA("GET", `/ims/v2/images/${w.imageId}`, undefined, h), "IMG.0027", 404, "show");
      refused(await inA("PATCH", `/ims/v2/cloudimages/${w.imageId}`, [{ op: "replace", path: "/name", value: "mine" }], h), "IMG.0027", 404, "update");
      refused(await inA("DELETE", `/ims/v2/images/${w.imageId}`, undefined, h), "IMG.0027", 404, "delete");
      const theirs = await hw.call("GET", `/ims/v2/images/${w.imageId}`, { creds: w.creds, headers: { "X-Project-Id": w.project } });
      assert.equal(theirs.json.name, `img-${w === foreign[0] ? "s" : "x"}`, theirs.text);
    }
  });

  test("VPC: ports, subnets, rules and private IPs naming another project's subnet, VPC or security group are refused", async () => {
    const ports = () => count(`/vpc/v1/${t.a}/ports`, "ports");
    const before = await ports();
    for (const w of foreign) {
      refused(await inA("POST", `/vpc/v1/${t.a}/ports`, { port: { network_id: w.subnetId } }), "VPC.0202", 404, `port on ${w.project}'s subnet`);
      const withSg = await inA("POST", `/vpc/v1/${t.a}/ports`, { port: { network_id: a.subnetId, security_groups: [w.sgId] } });
      refused(withSg, "VPC.0603", 404, `port with ${w.project}'s security group`);
      const subnet = { subnet: { name: "x", cidr: "10.0.9.0/24", gateway_ip: "10.0.9.1", vpc_id: w.vpcId } };
      refused(await inA("POST", `/vpc/v1/${t.a}/subnets`, subnet), "VPC.0003", 404, `subnet in ${w.project}'s VPC`);
      const rule = (sg: string, remote?: string) => ({ security_group_rule: { security_group_id: sg, direction: "ingress", ...(remote ? { remote_group_id: remote } : {}) } });
      refused(await inA("POST", `/vpc/v1/${t.a}/security-group-rules`, rule(w.sgId)), "VPC.0603", 404, `rule in ${w.project}'s group`);
      refused(await inA("POST", `/vpc/v1/${t.a}/security-group-rules`, rule(a.sgId, w.sgId)), "VPC.0603", 404, `rule naming ${w.project}'s group`);
      const v3 = await inA("POST", `/vpc/v3/${t.a}/vpc/security-group-rules`, { security_group_rule: { security_group_id: a.sgId, direction: "ingress", remote_group_id: w.sgId } });
      assert.equal(v3.status, 404, v3.text);
      const pip = await inA("POST", `/vpc/v1/${t.a}/privateips`, { privateips: [{ subnet_id: w.subnetId }] });
      refused(pip, "VPC.0202", 404, `private IP in ${w.project}'s subnet`);
      refused(await inA("PUT", `/vpc/v1/${t.a}/ports/${a.portId}`, { port: { security_groups: [w.sgId] } }), "VPC.0603", 404, `update to ${w.project}'s group`);
    }
    assert.equal(await ports(), before, "no port was made");
    const own = await inA("POST", `/vpc/v1/${t.a}/ports`, { port: { network_id: a.subnetId, security_groups: [a.sgId] } });
    assert.equal(own.status, 200, own.text);
  });

  test("EIP: binding to another project's port is refused and leaves both untouched", async () => {
    const eip = await inA("POST", `/vpc/v1/${t.a}/publicips`, { publicip: { type: "5_bgp" }, bandwidth: { share_type: "PER", name: "bind", size: 5 } });
    const eipId = (eip.json.publicip as Row).id as string;
    for (const w of foreign) {
      const r = await inA("PUT", `/vpc/v1/${t.a}/publicips/${eipId}`, { publicip: { port_id: w.portId } });
      refused(r, "VPC.0202", 404, `bind to ${w.project}'s port`);
      const theirs = await hw.call("GET", `/vpc/v1/${w.project}/publicips`, { creds: w.creds, query: { port_id: w.portId } });
      assert.deepEqual(theirs.json.publicips, [], "nothing is bound to their port");
    }
    assert.equal(((await inA("GET", `/vpc/v1/${t.a}/publicips/${eipId}`)).json.publicip as Row).status, "DOWN");
    // An EIP on another project's shared bandwidth is answered as on one that does not exist.
    const eips = () => count(`/vpc/v1/${t.a}/publicips`, "publicips");
    const before = await eips();
    const onBandwidth = (id: string) => inA("POST", `/vpc/v1/${t.a}/publicips`, { publicip: { type: "5_bgp" }, bandwidth: { share_type: "WHOLE", id } });
    const missing = await onBandwidth("6b0d36d2-0000-4000-8000-000000000000");
    assert.equal(missing.status, 404, missing.text);
    for (const w of foreign) {
      const bw = await hw.call("POST", `/vpc/v2.0/${w.project}/bandwidths`, { creds: w.creds, body: { bandwidth: { name: "shared", size: 10 } } });
      assert.equal(bw.status, 200, bw.text);
      const shared = (bw.json.bandwidth as Row).id as string;
      refused(await onBandwidth(shared), String(missing.json.error_code), 404, `${w.project}'s shared bandwidth`);
    }
    assert.equal(await eips(), before);
    const own = await inA("PUT", `/vpc/v1/${t.a}/publicips/${eipId}`, { publicip: { port_id: a.portId } });
    assert.equal(own.status, 200, own.text);
  });
});
