// Issue 13's "from outside" compute scenarios: a user's program drives a fresh hwlocal only through the
// official ECS and VPC SDKs (EVS has no Node SDK package: its calls are requests signed as the SDK signs),
// polling ShowJob as a program would, and moving hwlocal's clock through its control API where a step takes
// clock time (never sleeping). Each scenario also meets one realistic refusal with Huawei's error code.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  BatchAddServerTag,
  BatchCreateServerTagsRequest,
  BatchCreateServerTagsRequestBody,
  ChangeServerOsWithCloudInitOption,
  ChangeServerOsWithCloudInitRequest,
  ChangeServerOsWithCloudInitRequestBody,
  ChangeSeversOsMetadata,
  CreateServersRequest,
  CreateServersRequestBody,
  type EcsClient,
  ListFlavorsRequest,
  ListResizeFlavorsRequest,
  ListServerTagsRequest,
  ListServersByTagRequest,
  ListServersByTagRequestBody,
  NovaCreateKeypairOption,
  NovaCreateKeypairRequest,
  NovaCreateKeypairRequestBody,
  NovaShowKeypairRequest,
  PrePaidServer,
  PrePaidServerNic,
  PrePaidServerRootVolume,
  PrePaidServerTag,
  ReinstallServerWithCloudInitOption,
  ReinstallServerWithCloudInitRequest,
  ReinstallServerWithCloudInitRequestBody,
  ResizePrePaidServerOption,
  ResizeServerRequest,
  ResizeServerRequestBody,
  ServerTags,
  ShowJobRequest,
  ShowServerRequest,
  ShowServerTagsRequest,
} from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import {
  BatchCreateVpcTagsRequest,
  BatchCreateVpcTagsRequestBody,
  ListTag,
  ListVpcsByTagsRequest,
  ListVpcsByTagsRequestBody,
  ResourceTag,
  type VpcClient,
} from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { ManualClock } from "../src/kernel/clock.ts";
import { ecsClient, ed25519PublicKey, md5Fingerprint } from "./helpers/ecs-sdk.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

// Public images of hwlocal's IMS catalogue (there is no Node IMS SDK to look them up with).
const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const DEBIAN = "74e5db7b-0cb5-4f6b-b556-f1b2e233f2af";
const ZONE = "cn-north-4a";

type Row = Record<string, unknown>;

interface World {
  hw: TestHwlocal;
  ecs: EcsClient;
  vpc: VpcClient;
  advance(seconds: number): Promise<void>;
  /** Polls ShowJob as a program would, moving the clock a few seconds between polls; the finished job. */
  waitJob(jobId: string): Promise<Row>;
  server(id: string): Promise<Row>;
  expectError(p: Promise<unknown>, status: number, code: string): Promise<void>;
}

async function world(): Promise<World> {
  // Real time to start with: SDK signatures must stay within 15 minutes of hwlocal's clock.
  const hw = await startTestHwlocal({ bootDelaySeconds: 30 }, { clock: new ManualClock(Date.now()) });
  const pid = hw.projectId();
  const ecs = ecsClient(hw.url, { ...hw.admin, projectId: pid });
  const advance = async (seconds: number) => {
    const r = await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
    assert.equal(r.status, 200, r.text);
  };
  return {
    hw,
    ecs,
    vpc: vpcClient(hw.url, hw.admin, pid),
    advance,
    async waitJob(jobId) {
      for (let poll = 0; poll < 60; poll++) {
        const job = wire(await ecs.showJob(new ShowJobRequest().withJobId(jobId)));
        if (job.status === "SUCCESS") return job;
        assert.ok(job.status === "INIT" || job.status === "RUNNING", `job ${jobId} ended ${String(job.status)}: ${JSON.stringify(job)}`);
        await advance(5);
      }
      throw new Error(`job ${jobId} did not finish in 5 minutes of hwlocal's clock`);
    },
    async server(id) {
      return wire(await ecs.showServer(new ShowServerRequest().withServerId(id))).server as Row;
    },
    async expectError(p, status, code) {
      const e = await sdkError(p);
      assert.equal(e.httpStatusCode, status, `${code}: ${e.errorMsg}`);
      assert.equal(e.errorCode, code, e.errorMsg);
    },
  };
}

/** A VPC and subnet made through the VPC SDK, then one server on them (CreateServers), waited for ACTIVE. */
async function launch(w: World, opts: { flavor: string; name: string; tags?: [string, string][] }): Promise<{ serverId: string; vpcId: string }> {
  const vpcId = (await newVpc(w.vpc, "192.168.0.0/16", `${opts.name}-vpc`)).id;
  const subnetId = (await newSubnet(w.vpc, { vpcId, cidr: "192.168.1.0/24", gatewayIp: "192.168.1.1", name: `${opts.name}-subnet` })).id;
  let spec = new PrePaidServer()
    .withName(opts.name)
    .withFlavorRef(opts.flavor)
    .withImageRef(UBUNTU)
    .withVpcid(vpcId)
    .withNics([new PrePaidServerNic().withSubnetId(subnetId)])
    .withRootVolume(new PrePaidServerRootVolume().withVolumetype("SSD").withSize(40))
    .withAvailabilityZone(ZONE)
    .withAdminPass("Scenario@2026x");
  if (opts.tags) spec = spec.withServerTags(opts.tags.map(([k, v]) => new PrePaidServerTag().withKey(k).withValue(v)));
  const created = wire(await w.ecs.createServers(new CreateServersRequest().withBody(new CreateServersRequestBody().withServer(spec))));
  const ids = created.serverIds as string[];
  assert.equal(ids.length, 1);
  assert.equal(typeof created.job_id, "string");
  const job = await w.waitJob(String(created.job_id));
  assert.equal(job.job_type, "createServer");
  // A program reads the new server's id from the job's sub-job, as ECS's job API documents.
  const subJobs = (job.entities as { sub_jobs: { entities: Row }[] }).sub_jobs;
  assert.deepEqual(subJobs.map((j) => j.entities.server_id), ids);
  const server = await w.server(ids[0]!);
  assert.equal(server.status, "ACTIVE");
  return { serverId: ids[0]!, vpcId };
}

/** A scenario on a hwlocal of its own, closed whatever happens. */
function scenario(name: string, run: (w: World) => Promise<void>): void {
  test(name, async () => {
    const w = await world();
    try {
      await run(w);
    } finally {
      await w.hw.close();
    }
  });
}

describe("compute scenarios through the official SDKs", () => {
  scenario("resize a running server: pick a flavor the server may take, wait for the job, see the new flavor", async (w) => {
    // The user lists the zone's flavors and starts on a small one.
    const flavors = wire(await w.ecs.listFlavors(new ListFlavorsRequest().withAvailabilityZone(ZONE))).flavors as Row[];
    assert.ok(flavors.some((f) => f.id === "s6.small.1"), "s6.small.1 is sold in the zone");
    const { serverId } = await launch(w, { flavor: "s6.small.1", name: "resize-me" });
    assert.equal(((await w.server(serverId)).flavor as Row).id, "s6.small.1");

    // Where may it go? The server's own flavor is not offered.
    const targets = wire(await w.ecs.listResizeFlavors(new ListResizeFlavorsRequest().withInstanceUuid(serverId))).flavors as Row[];
    const ids = targets.map((f) => String(f.id));
    assert.ok(ids.includes("s6.large.2"));
    assert.ok(!ids.includes("s6.small.1"));

    const resize = (flavor: string) =>
      w.ecs.resizeServer(
        new ResizeServerRequest()
          .withServerId(serverId)
          .withBody(new ResizeServerRequestBody().withResize(new ResizePrePaidServerOption().withFlavorRef(flavor).withMode("withStopServer"))),
      );
    // Refusal: the flavor it already has (Ecs.0005, as the ECS header comment documents).
    await w.expectError(resize("s6.small.1"), 400, "Ecs.0005");
    // Refusal: a running server without withStopServer (Ecs.0100: the server's state does not allow it).
    await w.expectError(
      w.ecs.resizeServer(
        new ResizeServerRequest().withServerId(serverId).withBody(new ResizeServerRequestBody().withResize(new ResizePrePaidServerOption().withFlavorRef("s6.large.2"))),
      ),
      400,
      "Ecs.0100",
    );

    const accepted = wire(await resize("s6.large.2"));
    const during = await w.server(serverId);
    assert.equal(during.status, "RESIZE");
    assert.equal(during["OS-EXT-STS:task_state"], "resize_migrating");
    const job = await w.waitJob(String(accepted.job_id));
    assert.equal(job.job_type, "resizeServer");

    const done = await w.server(serverId);
    assert.equal(done.status, "ACTIVE", "a server resized while running comes back running");
    assert.equal(done["OS-EXT-STS:task_state"], null, "no task left (null when idle)");
    const flavor = done.flavor as Row;
    assert.deepEqual([flavor.id, flavor.vcpus, flavor.ram], ["s6.large.2", "2", "4096"]);
    // The new flavor's own figures, as ListFlavors tells them.
    const listed = flavors.find((f) => f.id === "s6.large.2")!;
    assert.deepEqual([String(listed.vcpus), String(listed.ram)], [flavor.vcpus, flavor.ram]);
  });

  scenario("rebuild with a key pair: import a public key, reinstall the OS with it, change the OS keeping it", async (w) => {
    const { serverId } = await launch(w, { flavor: "s6.medium.2", name: "rebuild-me" });
    assert.equal((await w.server(serverId)).key_name, "", "made with a password, no key pair");

    const key = ed25519PublicKey();
    const imported = wire(
      await w.ecs.novaCreateKeypair(
        new NovaCreateKeypairRequest()
          .withOpenStackAPIVersion("compute 2.60")
          .withBody(new NovaCreateKeypairRequestBody().withKeypair(new NovaCreateKeypairOption().withName("laptop").withPublicKey(key.text))),
      ),
    ).keypair as Row;
    assert.equal(imported.fingerprint, md5Fingerprint(key.blob));
    assert.equal(imported.private_key, undefined, "an imported key pair has no private key");
    const shownKey = wire(await w.ecs.novaShowKeypair(new NovaShowKeypairRequest().withKeypairName("laptop"))).keypair as Row;
    assert.equal(shownKey.public_key, key.text);

    const reinstall = (keyname: string) =>
      w.ecs.reinstallServerWithCloudInit(
        new ReinstallServerWithCloudInitRequest()
          .withServerId(serverId)
          .withBody(new ReinstallServerWithCloudInitRequestBody().withOsReinstall(new ReinstallServerWithCloudInitOption().withKeyname(keyname).withMode("withStopServer"))),
      );
    // Refusal: a key pair name the project does not have (Ecs.0314).
    await w.expectError(reinstall("desktop"), 400, "Ecs.0314");

    const accepted = wire(await reinstall("laptop"));
    assert.equal((await w.server(serverId)).status, "REBUILD");
    const job = await w.waitJob(String(accepted.job_id));
    assert.equal(job.job_type, "reinstallOS");
    const done = await w.server(serverId);
    assert.deepEqual([done.status, done.key_name, (done.image as Row).id], ["ACTIVE", "laptop", UBUNTU]);

    // Then another image, with the same key pair and cloud-init user data.
    const userData = Buffer.from("#cloud-config\npackages: [nginx]\n").toString("base64");
    const changed = wire(
      await w.ecs.changeServerOsWithCloudInit(
        new ChangeServerOsWithCloudInitRequest()
          .withServerId(serverId)
          .withBody(
            new ChangeServerOsWithCloudInitRequestBody().withOsChange(
              new ChangeServerOsWithCloudInitOption().withImageid(DEBIAN).withKeyname("laptop").withMode("withStopServer").withMetadata(new ChangeSeversOsMetadata().withUserData(userData)),
            ),
          ),
      ),
    );
    assert.equal((await w.waitJob(String(changed.job_id))).job_type, "changeOS");
    const debian = await w.server(serverId);
    assert.deepEqual([debian.status, debian.key_name, (debian.image as Row).id, debian["OS-EXT-SRV-ATTR:user_data"]], ["ACTIVE", "laptop", DEBIAN, userData]);
  });

  scenario("tag a server, a VPC and a volume, and find each back by its tags", async (w) => {
    const { serverId, vpcId } = await launch(w, { flavor: "s6.small.1", name: "tagged", tags: [["env", "staging"]] });
    const { serverId: other } = await launch(w, { flavor: "s6.small.1", name: "untagged" });

    // Server: tags given at creation plus a batch; ListServersByTag finds it and not the other one.
    await w.ecs.batchCreateServerTags(
      new BatchCreateServerTagsRequest()
        .withServerId(serverId)
        .withBody(new BatchCreateServerTagsRequestBody().withAction("create").withTags([new BatchAddServerTag().withKey("app").withValue("shop")])),
    );
    const serverTags = wire(await w.ecs.showServerTags(new ShowServerTagsRequest().withServerId(serverId))).tags as Row[];
    assert.deepEqual(serverTags.map((t) => `${String(t.key)}=${String(t.value)}`).sort(), ["app=shop", "env=staging"]);
    // Refusal: a tag key over 36 characters (Ecs.0005).
    await w.expectError(
      w.ecs.batchCreateServerTags(
        new BatchCreateServerTagsRequest()
          .withServerId(other)
          .withBody(new BatchCreateServerTagsRequestBody().withAction("create").withTags([new BatchAddServerTag().withKey("k".repeat(37)).withValue("v")])),
      ),
      400,
      "Ecs.0005",
    );
    const found = wire(
      await w.ecs.listServersByTag(
        new ListServersByTagRequest().withBody(
          new ListServersByTagRequestBody().withAction("filter").withTags([new ServerTags().withKey("app").withValues(["shop"]), new ServerTags().withKey("env").withValues([])]),
        ),
      ),
    );
    assert.equal(found.total_count, 1);
    assert.deepEqual((found.resources as Row[]).map((r) => [r.resource_id, r.resource_name]), [[serverId, "tagged"]]);
    const projectKeys = wire(await w.ecs.listServerTags(new ListServerTagsRequest())).tags as Row[];
    assert.deepEqual(projectKeys.find((t) => t.key === "app"), { key: "app", values: ["shop"] });

    // VPC: batch tags, then ListVpcsByTags.
    await w.vpc.batchCreateVpcTags(
      new BatchCreateVpcTagsRequest()
        .withVpcId(vpcId)
        .withBody(new BatchCreateVpcTagsRequestBody().withAction("create").withTags([new ResourceTag().withKey("app").withValue("shop")])),
    );
    const vpcs = wire(
      await w.vpc.listVpcsByTags(new ListVpcsByTagsRequest().withBody(new ListVpcsByTagsRequestBody().withAction("filter").withTags([new ListTag().withKey("app").withValues(["shop"])]))),
    );
    assert.equal(vpcs.total_count, 1);
    assert.deepEqual((vpcs.resources as Row[]).map((r) => [r.resource_id, r.resource_name]), [[vpcId, "tagged-vpc"]]);

    // Volume (EVS: signed requests, no Node SDK): tags at creation and by batch; ListVolumesByTags.
    const pid = w.hw.projectId();
    const made = await w.hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, {
      body: { volume: { name: "shop-data", availability_zone: ZONE, volume_type: "SSD", size: 20, tags: { env: "staging" } } },
    });
    assert.equal(made.status, 202, made.text);
    const volumeId = (made.json.volume_ids as string[])[0]!;
    const tagged = await w.hw.call("POST", `/evs/v2/${pid}/cloudvolumes/${volumeId}/tags/action`, { body: { action: "create", tags: [{ key: "app", value: "shop" }] } });
    assert.equal(tagged.status, 204, tagged.text);
    const volumes = await w.hw.call("POST", `/evs/v2/${pid}/cloudvolumes/resource_instances/action`, {
      body: { action: "filter", tags: [{ key: "app", values: ["shop"] }] },
    });
    assert.equal(volumes.status, 200, volumes.text);
    const resources = volumes.json.resources as Row[];
    assert.deepEqual(resources.map((r) => [r.resource_id, r.resource_name]), [[volumeId, "shop-data"]]);
    const volumeTags = (resources[0]!.tags as Row[]).map((t) => `${String(t.key)}=${String(t.value)}`).sort();
    assert.deepEqual(volumeTags, ["app=shop", "env=staging"]);
  });
});
