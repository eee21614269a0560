// The OpenStack CLI (Debian's python3-openstackclient) against hwlocal for compute, image and volume, as a user
// runs it: a server made from the CLI's own flavor, image and network lists goes ACTIVE, is shown, listed and
// deleted with --wait; images are listed and shown; a volume is created, becomes available on hwlocal's clock,
// is listed and deleted. Each resource made through OpenStack is read back through Huawei's own APIs (the
// ECS SDK, EVS's signed API), and the reverse: what Huawei's APIs make, the CLI lists.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { type EcsClient, ShowServerRequest } from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import { ManualClock } from "../src/kernel/clock.ts";
import { ecsClient } from "./helpers/ecs-sdk.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openstackCli, openstackEnv, runOpenstack } from "./helpers/openstack-cli.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;

describe("OpenStack CLI: servers, flavors, images, volumes", () => {
  let hw: TestHwlocal;
  let ecs: EcsClient;
  let pid: string;
  let subnetId: string;
  const cli = (...args: string[]) => openstackCli(hw, args);
  const cliRows = async (...args: string[]) => (await cli(...args)) as Row[];
  const cliRow = async (...args: string[]) => (await cli(...args)) as Row;
  const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });

  before(async () => {
    // Servers boot at once (no boot delay); EVS's volume jobs wait for the clock.
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    pid = hw.projectId();
    ecs = ecsClient(hw.url, { ...hw.admin, projectId: pid });
    const vpc = vpcClient(hw.url, hw.admin, pid);
    const vpcId = (await newVpc(vpc, "192.168.0.0/16", "cli")).id;
    subnetId = (await newSubnet(vpc, { vpcId, cidr: "192.168.1.0/24", gatewayIp: "192.168.1.1", name: "cli-subnet" })).id;
  });
  after(() => hw.close());

  test("flavor list/show: ECS's catalogue; availability zone list falls back to the plain list", async () => {
    const flavors = await cliRows("flavor", "list");
    const small = flavors.find((f) => f.ID === "s6.small.1");
    assert.ok(small, "s6.small.1 is listed");
    assert.deepEqual([small.Name, small.RAM, small.VCPUs, small.Disk, small["Is Public"]], ["s6.small.1", 1024, 1, 0, true]);
    const shown = await cliRow("flavor", "show", "c7.large.2");
    assert.deepEqual([shown.vcpus, shown.ram], [2, 4096]);
    const zones = await cliRows("availability", "zone", "list", "--compute");
    assert.ok(zones.some((z) => z["Zone Name"] === "cn-north-4a" && z["Zone Status"] === "available"), JSON.stringify(zones));
  });

  test("image list/show: IMS's catalogue", async () => {
    const images = await cliRows("image", "list");
    const ubuntu = images.find((i) => i.Name === "Ubuntu 22.04 server 64bit");
    assert.ok(ubuntu, JSON.stringify(images.map((i) => i.Name)));
    assert.equal(ubuntu.Status, "active");
    const shown = await cliRow("image", "show", String(ubuntu.ID));
    assert.deepEqual([shown.id, shown.visibility, shown.min_disk], [ubuntu.ID, "public", 40]);

    const file = join(mkdtempSync(join(tmpdir(), "hwlocal-image-")), "disk.qcow2");
    writeFileSync(file, Buffer.alloc(64 * 1024, 1));
    await cli("image", "create", "--file", file, "--disk-format", "qcow2", "--property", "__os_version=Ubuntu 22.04 server 64bit", "cli-image");
    const uploaded = await cliRow("image", "show", "cli-image");
    assert.deepEqual([uploaded.status, uploaded.disk_format, uploaded.visibility], ["active", "qcow2", "private"]);
    const ims = await hw.call("GET", "/ims/v2/cloudimages", { headers: { "X-Project-Id": hw.projectId() }, query: { name: "cli-image" } });
    assert.equal((ims.json.images as Row[])[0]!.__image_size, String(64 * 1024), "IMS's own API lists the uploaded image");
    assert.equal((await runOpenstack(hw, ["image", "delete", "cli-image"])).code, 0);
    assert.ok(!(await cliRows("image", "list")).some((i) => i.Name === "cli-image"));
  });

  test("server create from the CLI's lists → ACTIVE → show → list → delete --wait; ECS's API sees each step", async () => {
    const flavor = (await cliRows("flavor", "list")).find((f) => f.ID === "s6.small.1")!;
    const image = (await cliRows("image", "list")).find((i) => i.Name === "Ubuntu 22.04 server 64bit")!;
    const network = (await cliRows("network", "list")).find((n) => n.ID === subnetId);
    assert.ok(network, "the VPC subnet is a network");
    const made = await cliRow("server", "create", "--flavor", String(flavor.ID), "--image", String(image.ID), "--network", String(network.ID), "--wait", "cli-server");
    assert.equal(made.status, "ACTIVE");
    assert.equal(made.name, "cli-server");
    const id = String(made.id);

    const v1 = wire(await ecs.showServer(new ShowServerRequest().withServerId(id))).server as { name: string; status: string; flavor: { id: string } };
    assert.deepEqual([v1.name, v1.status, v1.flavor.id], ["cli-server", "ACTIVE", "s6.small.1"], "ECS v1 shows the CLI's server");

    const shown = await cliRow("server", "show", "cli-server");
    assert.equal(shown.id, id);
    assert.equal(shown.status, "ACTIVE");
    assert.match(String(JSON.stringify(shown.addresses)), /192\.168\.1\.\d+/);
    const listed = await cliRows("server", "list");
    assert.deepEqual(listed.map((s) => s.Name), ["cli-server"]);

    await openstackCli(hw, ["server", "stop", id], { json: false });
    assert.equal((await cliRow("server", "show", id)).status, "SHUTOFF");

    const deleted = await runOpenstack(hw, ["server", "delete", "--wait", id]);
    assert.equal(deleted.code, 0, deleted.stderr);
    const gone = await sdkError(ecs.showServer(new ShowServerRequest().withServerId(id)));
    assert.equal(gone.httpStatusCode, 404);
    assert.deepEqual(await cliRows("server", "list"), []);
    const missing = await runOpenstack(hw, ["server", "show", "no-such-server"]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /No server with a name or ID of 'no-such-server' exists/);
  });

  test("volume create → available → list → delete; EVS's API shows it, and the CLI lists EVS's volumes", async () => {
    const made = await cliRow("volume", "create", "--size", "10", "--availability-zone", "cn-north-4a", "cli-volume");
    assert.equal(made.status, "creating");
    const id = String(made.id);
    await advance(5);
    const shown = await cliRow("volume", "show", "cli-volume");
    assert.deepEqual([shown.id, shown.status, shown.size, shown.availability_zone], [id, "available", 10, "cn-north-4a"]);
    const evs = await hw.call("GET", `/evs/v2/${pid}/cloudvolumes/${id}`);
    assert.equal((evs.json.volume as Row).name, "cli-volume", "EVS's own API shows the CLI's volume");

    const native = await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, { body: { volume: { availability_zone: "cn-north-4b", volume_type: "SSD", size: 20, name: "evs-volume" } } });
    assert.equal(native.status, 202, native.text);
    await advance(5);
    const listed = await cliRows("volume", "list");
    assert.deepEqual(listed.map((v) => [v.Name, v.Status, v.Size]).sort(), [["cli-volume", "available", 10], ["evs-volume", "available", 20]]);

    const types = await cliRows("volume", "type", "list");
    assert.ok(types.some((t) => t.Name === "SSD"));
    const limits = await cliRows("limits", "show", "--absolute");
    const limit = (name: string) => limits.find((l) => l.Name === name)?.Value;
    assert.deepEqual([limit("maxTotalInstances"), limit("totalVolumesUsed"), limit("totalGigabytesUsed")], [100, 2, 30], JSON.stringify(limits));

    const noZone = await runOpenstack(hw, ["volume", "create", "--size", "10", "zoneless"]);
    assert.notEqual(noZone.code, 0, "Huawei requires the zone");
    assert.match(noZone.stderr, /availability zone/i);

    const deleted = await runOpenstack(hw, ["volume", "delete", "cli-volume"]);
    assert.equal(deleted.code, 0, deleted.stderr);
    await advance(5);
    assert.deepEqual((await cliRows("volume", "list")).map((v) => v.Name), ["evs-volume"]);
    const gone = await hw.call("GET", `/evs/v2/${pid}/cloudvolumes/${id}`);
    assert.equal(gone.status, 404);
    const missing = await runOpenstack(hw, ["volume", "delete", "no-such-volume"]);
    assert.notEqual(missing.code, 0);
  });
});

/**
 * Runs a Python snippet with Debian's openstacksdk (installed with python3-openstackclient), connected as the
 * OS_* variables say, and returns what it prints as JSON on its last line.
 */
function openstackSdk(hw: TestHwlocal, body: string): Promise<Row> {
  const script = `import json, openstack\nconn = openstack.connect()\nout = {}\n${body}\nprint(json.dumps(out))\n`;
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", LANG: "C.UTF-8", ...openstackEnv(hw) };
  return new Promise((resolve, reject) => {
    execFile("/usr/bin/python3", ["-c", script], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`openstacksdk: ${stderr || err.message}`));
      resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Row);
    });
  });
}

describe("openstacksdk: compute, image, network and block storage as a user's script", () => {
  let hw: TestHwlocal;
  const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
  });
  after(() => hw.close());

  test("server and volume made, attached, detached and deleted through openstacksdk on hwlocal's clock", async () => {
    const made = await openstackSdk(
      hw,
      [
        'net = conn.network.create_network(name="sdk-net")',
        'conn.network.create_subnet(network_id=net.id, cidr="10.20.1.0/24", ip_version=4, name="sdk-sub")',
        'img = [i for i in conn.image.images() if i.name == "Ubuntu 22.04 server 64bit"][0]',
        'flv = conn.compute.find_flavor("s6.small.1")',
        'srv = conn.compute.create_server(name="sdk-srv", flavor_id=flv.id, image_id=img.id, networks=[{"uuid": net.id}])',
        'vol = conn.block_storage.create_volume(size=10, name="sdk-vol", availability_zone="cn-north-4a")',
        'out.update(server=srv.id, volume=vol.id, volume_status=vol.status, flavors=len(list(conn.compute.flavors())))',
        'out.update(zones=[z.name for z in conn.block_storage.availability_zones()], types=[t.name for t in conn.block_storage.types()])',
      ].join("\n"),
    );
    assert.equal(made.volume_status, "creating");
    assert.ok((made.flavors as number) > 20);
    assert.deepEqual(made.zones, ["cn-north-4a", "cn-north-4b", "cn-north-4c"]);
    assert.ok((made.types as string[]).includes("SSD"));
    await advance(5);
    const ids = `srv = conn.compute.get_server("${String(made.server)}")\nvol = conn.block_storage.get_volume("${String(made.volume)}")`;
    const attached = await openstackSdk(
      hw,
      `${ids}\nout.update(server_status=srv.status, volume_status=vol.status, az=srv.availability_zone)\natt = conn.compute.create_volume_attachment(srv, volume_id=vol.id)\nout.update(device=att.device)`,
    );
    assert.deepEqual([attached.server_status, attached.volume_status, attached.az, attached.device], ["ACTIVE", "available", "cn-north-4a", "/dev/vdb"]);
    const detached = await openstackSdk(
      hw,
      `${ids}\nout.update(in_use=vol.status, attachments=[a.volume_id for a in conn.compute.volume_attachments(srv)])\nconn.compute.delete_volume_attachment(vol.id, srv)`,
    );
    assert.equal(detached.in_use, "in-use");
    assert.ok((detached.attachments as string[]).includes(String(made.volume)));
    const deleted = await openstackSdk(
      hw,
      `${ids}\nout.update(after_detach=vol.status)\nconn.compute.delete_server(srv)\nconn.block_storage.delete_volume(vol)`,
    );
    assert.equal(deleted.after_detach, "available");
    await advance(5);
    const gone = await openstackSdk(
      hw,
      [
        `out.update(server=conn.compute.find_server("${String(made.server)}"), volume=conn.block_storage.find_volume("${String(made.volume)}"))`,
        'try:\n    conn.compute.get_server("nope")\nexcept openstack.exceptions.ResourceNotFound as e:\n    out.update(missing=str(e))',
      ].join("\n"),
    );
    assert.deepEqual([gone.server, gone.volume], [null, null]);
    assert.match(String(gone.missing), /could not be found/);
  });
});
