// ECS's catalogue-like operations through the official ECS SDK: flavors, availability zones, limits, nova
// key pairs, server groups and ShowJob's not-found answers; and the servers table the server operations
// will build on, driven directly.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey } from "node:crypto";
import {
  CreateServerGroupOption,
  CreateServerGroupRequest,
  CreateServerGroupRequestBody,
  DeleteServerGroupRequest,
  EcsClient,
  ListFlavorsRequest,
  ListServerAzInfoRequest,
  ListServerGroupsRequest,
  NovaCreateKeypairOption,
  NovaCreateKeypairRequest,
  NovaCreateKeypairRequestBody,
  NovaDeleteKeypairRequest,
  NovaListAvailabilityZonesRequest,
  NovaListKeypairsRequest,
  NovaShowFlavorExtraSpecsRequest,
  NovaShowKeypairRequest,
  ShowJobRequest,
  ShowServerGroupRequest,
  ShowServerLimitsRequest,
} from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import { Jobs } from "../src/engine/jobs.ts";
import { randomIds } from "../src/kernel/ids.ts";
import { EcsStore } from "../src/services/ecs/store.ts";
import type { NewServer } from "../src/services/ecs/store-servers.ts";
import { blobFields, ecsClient, ed25519PublicKey, md5Fingerprint } from "./helpers/ecs-sdk.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";

type Row = Record<string, unknown>;
const rows = (v: unknown) => v as Row[];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const FINGERPRINT = /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/;

describe("ECS catalogue operations through the SDK", () => {
  let hw: TestHwlocal;
  let ecs: EcsClient;
  before(async () => {
    hw = await startTestHwlocal();
    ecs = ecsClient(hw.url, { ...hw.admin, projectId: hw.projectId() });
  });
  after(() => hw.close());

  const createKeypair = (name: string, publicKey?: string) => {
    const option = new NovaCreateKeypairOption().withName(name);
    if (publicKey !== undefined) option.withPublicKey(publicKey);
    return ecs.novaCreateKeypair(
      new NovaCreateKeypairRequest().withOpenStackAPIVersion("compute 2.60").withBody(new NovaCreateKeypairRequestBody().withKeypair(option)),
    );
  };
  const createGroup = (name: string, policies = ["anti-affinity"]) =>
    ecs.createServerGroup(
      new CreateServerGroupRequest().withBody(
        new CreateServerGroupRequestBody().withServerGroup(new CreateServerGroupOption().withName(name).withPolicies(policies)),
      ),
    );

  test("listFlavors: the catalogue with Huawei's fields, sold in the region's zones", async () => {
    const res = wire(await ecs.listFlavors(new ListFlavorsRequest()));
    assert.equal(res.httpStatusCode, 200);
    const flavors = rows(res.flavors);
    const byId = new Map(flavors.map((f) => [f.id as string, f]));
    for (const id of ["s6.small.1", "s6.medium.2", "s6.large.2", "s6.xlarge.2", "s6.2xlarge.2", "c7.large.2", "c7.xlarge.2", "c7.2xlarge.4", "m7.large.8", "t6.small.1"]) {
      assert.ok(byId.has(id), `${id} is listed`);
    }
    const c7 = byId.get("c7.2xlarge.4")!;
    assert.equal(c7.name, "c7.2xlarge.4");
    assert.equal(c7.vcpus, "8");
    assert.equal(c7.ram, 32768);
    assert.equal(c7.disk, "0");
    assert.equal(c7["os-flavor-access:is_public"], true);
    assert.equal(c7["OS-FLV-DISABLED:disabled"], false);
    const specs = c7.os_extra_specs as Row;
    assert.equal(specs["ecs:performancetype"], "computingv3");
    assert.equal(specs["ecs:generation"], "c7");
    assert.equal(specs["ecs:instance_architecture"], "x86");
    assert.equal(specs["cond:operation:status"], "normal");
    assert.equal(specs["cond:operation:az"], "cn-north-4a(normal),cn-north-4b(normal),cn-north-4c(normal)");
    assert.equal((byId.get("m7.large.8")!.os_extra_specs as Row)["cond:operation:az"], "cn-north-4a(normal),cn-north-4b(normal)");
    assert.equal(byId.get("s6.small.1")!.ram, 1024);
    assert.equal(byId.get("s6.medium.2")!.vcpus, "1");
    const quantity = c7.attachableQuantity as Row;
    assert.equal(typeof quantity.free_nic, "number");
    assert.equal(typeof quantity.free_scsi, "number");
    const links = rows(c7.links);
    assert.deepEqual(links.map((l) => l.rel), ["self", "bookmark"]);
    assert.match(String(links[0]!.href), new RegExp(`/${hw.projectId()}/flavors/c7\\.2xlarge\\.4$`));
  });

  test("listFlavors filters by zone and flavor id, and pages by marker", async () => {
    const all = rows(wire(await ecs.listFlavors(new ListFlavorsRequest())).flavors);
    const inA = rows(wire(await ecs.listFlavors(new ListFlavorsRequest().withAvailabilityZone("cn-north-4a"))).flavors);
    const inC = rows(wire(await ecs.listFlavors(new ListFlavorsRequest().withAvailabilityZone("cn-north-4c"))).flavors);
    assert.equal(inA.length, all.length);
    assert.ok(inC.length < all.length);
    assert.ok(!inC.some((f) => String(f.id).startsWith("m7.")), "m7 is not sold in zone c");
    assert.ok(inC.every((f) => String((f.os_extra_specs as Row)["cond:operation:az"]).includes("cn-north-4c(normal)")));
    const elsewhere = wire(await ecs.listFlavors(new ListFlavorsRequest().withAvailabilityZone("cn-east-3a")));
    assert.deepEqual(elsewhere.flavors, [], "another region's zone sells nothing here");
    const one = rows(wire(await ecs.listFlavors(new ListFlavorsRequest().withFlavorId("t6.small.1"))).flavors);
    assert.deepEqual(one.map((f) => f.id), ["t6.small.1"]);
    const first = rows(wire(await ecs.listFlavors(new ListFlavorsRequest().withLimit(3))).flavors);
    const next = rows(wire(await ecs.listFlavors(new ListFlavorsRequest().withLimit(3).withMarker(String(first[2]!.id)))).flavors);
    assert.deepEqual([...first, ...next].map((f) => f.id), all.slice(0, 6).map((f) => f.id));
    const bad = await sdkError(ecs.listFlavors(new ListFlavorsRequest().withMarker("no.such.flavor")));
    assert.equal(bad.httpStatusCode, 400);
    assert.equal(bad.errorCode, "Ecs.0005");
  });

  test("flavors seen from another region's project name that region's zones", async () => {
    const east = ecsClient(hw.url, { ...hw.admin, projectId: hw.projectId("cn-east-3") });
    const f = rows(wire(await east.listFlavors(new ListFlavorsRequest().withFlavorId("s6.large.2"))).flavors)[0]!;
    assert.equal((f.os_extra_specs as Row)["cond:operation:az"], "cn-east-3a(normal),cn-east-3b(normal),cn-east-3c(normal)");
  });

  test("novaShowFlavorExtraSpecs answers a flavor's specs, 404 for an unknown one", async () => {
    const res = wire(await ecs.novaShowFlavorExtraSpecs(new NovaShowFlavorExtraSpecsRequest().withFlavorId("kc1.large.2")));
    const specs = res.extra_specs as Row;
    assert.equal(specs["ecs:instance_architecture"], "arm64");
    assert.equal(specs["ecs:generation"], "kc1");
    const missing = await sdkError(ecs.novaShowFlavorExtraSpecs(new NovaShowFlavorExtraSpecsRequest().withFlavorId("x9.huge.1")));
    assert.equal(missing.httpStatusCode, 404);
    assert.equal(missing.errorCode, "Ecs.0029");
  });

  test("availability zones in the v1 and the nova spellings", async () => {
    const v1 = wire(await ecs.listServerAzInfo(new ListServerAzInfoRequest()));
    const zones = rows(v1.availability_zones);
    assert.deepEqual(zones.map((z) => z.availability_zone_id), ["cn-north-4a", "cn-north-4b", "cn-north-4c"]);
    assert.equal(zones[0]!.type, "core");
    const nova = wire(await ecs.novaListAvailabilityZones(new NovaListAvailabilityZonesRequest()));
    const info = rows(nova.availabilityZoneInfo);
    assert.deepEqual(info.map((z) => z.zoneName), ["cn-north-4a", "cn-north-4b", "cn-north-4c"]);
    assert.deepEqual(info[0]!.zoneState, { available: true });
  });

  test("showServerLimits: the seeded quota and what is used", async () => {
    const res = wire(await ecs.showServerLimits(new ShowServerLimitsRequest()));
    const abs = res.absolute as Row;
    assert.equal(abs.maxTotalInstances, 100);
    assert.equal(abs.maxTotalKeypairs, 100);
    assert.equal(abs.maxServerGroups, 10);
    assert.equal(abs.maxServerGroupMembers, 16);
    assert.equal(typeof abs.maxTotalCores, "number");
    assert.equal(typeof abs.maxTotalRAMSize, "number");
    assert.equal(abs.totalInstancesUsed, 0);
    assert.equal(abs.totalCoresUsed, 0);
    assert.deepEqual(abs.limit_by_flavor, []);
  });

  test("key pairs: generated with a private key once, imported without, listed, shown, deleted", async () => {
    const made = wire(await createKeypair("ci-generated"));
    assert.equal(made.httpStatusCode, 200);
    const k = made.keypair as Row;
    assert.equal(k.name, "ci-generated");
    assert.equal(k.user_id, hw.seed.user.id);
    assert.equal(k.type, "ssh");
    assert.match(String(k.private_key), /^-----BEGIN RSA PRIVATE KEY-----\n/);
    const [type, data] = String(k.public_key).split(" ");
    assert.equal(type, "ssh-rsa");
    const blob = Buffer.from(data!, "base64");
    assert.equal(k.fingerprint, md5Fingerprint(blob));
    assert.match(String(k.fingerprint), FINGERPRINT);
    // The private key is the public key's other half.
    const jwk = createPublicKey(createPrivateKey(String(k.private_key))).export({ format: "jwk" });
    const n = blobFields(blob)[2]!;
    assert.equal(n.subarray(n[0] === 0 ? 1 : 0).toString("base64url"), jwk.n);

    const ed = ed25519PublicKey();
    const imported = wire(await createKeypair("ci-imported", ed.text)).keypair as Row;
    assert.equal(imported.private_key, undefined);
    assert.equal(imported.public_key, ed.text);
    assert.equal(imported.fingerprint, md5Fingerprint(ed.blob));

    const list = wire(await ecs.novaListKeypairs(new NovaListKeypairsRequest().withOpenStackAPIVersion("compute 2.60")));
    const listed = rows(list.keypairs).map((e) => e.keypair as Row);
    assert.deepEqual(listed.map((e) => e.name), ["ci-generated", "ci-imported"]);
    assert.equal(listed[1]!.fingerprint, imported.fingerprint);
    assert.equal(listed[0]!.private_key, undefined, "the private key is never shown again");
    const page = wire(await ecs.novaListKeypairs(new NovaListKeypairsRequest().withLimit(1).withMarker("ci-generated")));
    assert.deepEqual(rows(page.keypairs).map((e) => (e.keypair as Row).name), ["ci-imported"]);

    const shown = wire(await ecs.novaShowKeypair(new NovaShowKeypairRequest().withKeypairName("ci-imported"))).keypair as Row;
    assert.equal(shown.public_key, ed.text);
    assert.equal(shown.deleted, false);
    assert.equal(typeof shown.id, "number");
    assert.match(String(shown.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    assert.equal(shown.private_key, undefined);

    const deleted = wire(await ecs.novaDeleteKeypair(new NovaDeleteKeypairRequest().withKeypairName("ci-generated")));
    assert.equal(deleted.httpStatusCode, 204);
    const gone = await sdkError(ecs.novaShowKeypair(new NovaShowKeypairRequest().withKeypairName("ci-generated")));
    assert.equal(gone.httpStatusCode, 404);
    assert.equal(gone.errorCode, "Ecs.0314");
    const again = await sdkError(ecs.novaDeleteKeypair(new NovaDeleteKeypairRequest().withKeypairName("ci-generated")));
    assert.equal(again.httpStatusCode, 404);
    await ecs.novaDeleteKeypair(new NovaDeleteKeypairRequest().withKeypairName("ci-imported"));
  });

  test("key pairs: duplicates, bad names, bad keys, and another user's keys", async () => {
    const ed = ed25519PublicKey();
    await createKeypair("ci-dup", ed.text);
    const dup = await sdkError(createKeypair("ci-dup", ed.text));
    assert.equal(dup.httpStatusCode, 409);
    assert.equal(dup.errorCode, "Ecs.0005");
    for (const name of ["", "has space", "x".repeat(65), "semi;colon"]) {
      const bad = await sdkError(createKeypair(name, ed.text));
      assert.equal(bad.httpStatusCode, 400, `name ${JSON.stringify(name)}`);
    }
    for (const key of ["not a key", "ssh-rsa !!!!", `ssh-rsa ${ed.blob.toString("base64")}`, "ssh-foo AAAA", `ssh-ed25519 ${ed.blob.subarray(0, 20).toString("base64")}`]) {
      const bad = await sdkError(createKeypair("ci-bad-key", key));
      assert.equal(bad.httpStatusCode, 400, key);
      assert.equal(bad.errorCode, "Ecs.0005");
    }
    const x509 = await sdkError(
      ecs.novaCreateKeypair(
        new NovaCreateKeypairRequest().withBody(
          new NovaCreateKeypairRequestBody().withKeypair(new NovaCreateKeypairOption().withName("ci-x509").withType("x509")),
        ),
      ),
    );
    assert.equal(x509.httpStatusCode, 400);
    const empty = await hw.call("POST", `/ecs/v2.1/${hw.projectId()}/os-keypairs`, { body: {} });
    assert.equal(empty.status, 400);
    assert.deepEqual(empty.json.error, { code: "Ecs.0005", message: empty.json.error_msg });

    // Another IAM user of the account has key pairs of its own.
    const user = await hw.call("POST", "/iam/v3/users", { body: { user: { name: "ci-keys-other", password: "Other@12345" } } });
    const userId = (user.json.user as Row).id as string;
    // In the admin group, so that IAM's policies let it call ECS: what stays apart is its key pairs.
    const groups = await hw.call("GET", "/iam/v3/groups", { query: { name: "admin" } });
    const adminGroup = (groups.json.groups as Row[])[0]!.id as string;
    assert.equal((await hw.call("PUT", `/iam/v3/groups/${adminGroup}/users/${userId}`)).status, 204);
    const cred = await hw.call("POST", "/iam/v3.0/OS-CREDENTIAL/credentials", { body: { credential: { user_id: userId } } });
    const c = cred.json.credential as { access: string; secret: string };
    const other = ecsClient(hw.url, { ak: c.access, sk: c.secret, projectId: hw.projectId() });
    const hidden = await sdkError(other.novaShowKeypair(new NovaShowKeypairRequest().withKeypairName("ci-dup")));
    assert.equal(hidden.httpStatusCode, 404);
    assert.deepEqual(wire(await other.novaListKeypairs(new NovaListKeypairsRequest())).keypairs, []);
    const forOther = await sdkError(
      ecs.novaCreateKeypair(
        new NovaCreateKeypairRequest().withBody(
          new NovaCreateKeypairRequestBody().withKeypair(new NovaCreateKeypairOption().withName("ci-x").withUserId(userId)),
        ),
      ),
    );
    assert.equal(forOther.httpStatusCode, 403);
  });

  test("key pairs: the quota of 100 per user", async () => {
    const existing = rows(wire(await ecs.novaListKeypairs(new NovaListKeypairsRequest())).keypairs).map((e) => (e.keypair as Row).name as string);
    const ed = ed25519PublicKey();
    const names = Array.from({ length: 100 - existing.length }, (_, i) => `ci-quota-${i}`);
    for (const name of names) await createKeypair(name, ed.text);
    const over = await sdkError(createKeypair("ci-quota-over", ed.text));
    assert.equal(over.httpStatusCode, 400);
    assert.equal(over.errorCode, "Ecs.0001");
    for (const name of [...names, ...existing]) await ecs.novaDeleteKeypair(new NovaDeleteKeypairRequest().withKeypairName(name));
    assert.deepEqual(wire(await ecs.novaListKeypairs(new NovaListKeypairsRequest())).keypairs, []);
  });

  test("server groups: create, list, show, delete, with Huawei's errors and quota", async () => {
    const made = wire(await createGroup("ci-group"));
    assert.equal(made.httpStatusCode, 200);
    const g = made.server_group as Row;
    assert.match(String(g.id), UUID);
    assert.equal(g.name, "ci-group");
    assert.deepEqual(g.policies, ["anti-affinity"]);
    assert.deepEqual(g.members, []);
    assert.deepEqual(g.metadata, {});
    const shown = wire(await ecs.showServerGroup(new ShowServerGroupRequest().withServerGroupId(String(g.id))));
    assert.deepEqual(shown.server_group, g);
    const listed = rows(wire(await ecs.listServerGroups(new ListServerGroupsRequest())).server_groups);
    assert.deepEqual(listed.map((x) => x.id), [g.id]);

    const affinity = await sdkError(createGroup("ci-affinity", ["affinity"]));
    assert.equal(affinity.httpStatusCode, 400);
    assert.equal(affinity.errorCode, "Ecs.0005");
    assert.equal((await sdkError(createGroup(""))).httpStatusCode, 400);
    assert.equal((await sdkError(createGroup("x".repeat(256)))).httpStatusCode, 400);

    const more: string[] = [];
    for (let i = 1; i < 10; i++) more.push(String((wire(await createGroup(`ci-group-${i}`)).server_group as Row).id));
    const over = await sdkError(createGroup("ci-group-over"));
    assert.equal(over.httpStatusCode, 400);
    assert.equal(over.errorCode, "Ecs.0001");
    const limits = wire(await ecs.showServerLimits(new ShowServerLimitsRequest())).absolute as Row;
    assert.equal(limits.totalServerGroupsUsed, 10);

    const page = wire(await ecs.listServerGroups(new ListServerGroupsRequest().withLimit(4)));
    assert.equal(rows(page.server_groups).length, 4);
    const marker = (page.page_info as Row).next_marker as string;
    const rest = wire(await ecs.listServerGroups(new ListServerGroupsRequest().withMarker(marker)));
    assert.equal(rows(rest.server_groups).length, 6);
    assert.equal(rest.page_info, undefined);

    for (const id of [String(g.id), ...more]) {
      const deleted = wire(await ecs.deleteServerGroup(new DeleteServerGroupRequest().withServerGroupId(id)));
      assert.equal(deleted.httpStatusCode, 204);
    }
    const missing = await sdkError(ecs.showServerGroup(new ShowServerGroupRequest().withServerGroupId(String(g.id))));
    assert.equal(missing.httpStatusCode, 404);
    assert.equal(missing.errorCode, "Ecs.0005");
    const again = await sdkError(ecs.deleteServerGroup(new DeleteServerGroupRequest().withServerGroupId(String(g.id))));
    assert.equal(again.httpStatusCode, 404);
  });

  test("showJob: 404 for an unknown job, another project's and another service's; an ECS job of the project shows", async () => {
    const unknown = await sdkError(ecs.showJob(new ShowJobRequest().withJobId("ff808081" + "0".repeat(24))));
    assert.equal(unknown.httpStatusCode, 404);
    assert.equal(unknown.errorCode, "Ecs.0005");
    const raw = await hw.call("GET", `/ecs/v1/${hw.projectId()}/jobs/nope`);
    assert.equal(raw.status, 404);
    assert.deepEqual(raw.json.error, { code: "Ecs.0005", message: raw.json.error_msg });

    // Jobs come from server operations later; here they are written straight into the engine's table,
    // due far in the future so that the engine leaves them in INIT.
    const jobs = new Jobs(hw.db, hw.clock, randomIds);
    const later = hw.clock.now() + 365 * 24 * 3600 * 1000;
    const east = jobs.submit({ service: "ecs", projectId: hw.projectId("cn-east-3"), jobType: "createServer", dueAt: later });
    const evs = jobs.submit({ service: "evs", projectId: hw.projectId(), jobType: "createVolume", dueAt: later });
    for (const id of [east, evs]) {
      const e = await sdkError(ecs.showJob(new ShowJobRequest().withJobId(id)));
      assert.equal(e.httpStatusCode, 404, id);
    }
    const mine = jobs.submit({ service: "ecs", projectId: hw.projectId(), jobType: "createServer" }, [
      { jobType: "createSingleServer", entities: { server_id: "s-1" }, dueAt: later },
    ]);
    const shown = wire(await ecs.showJob(new ShowJobRequest().withJobId(mine)));
    assert.equal(shown.job_id, mine);
    assert.equal(shown.job_type, "createServer");
    assert.equal(shown.status, "INIT");
    const entities = shown.entities as Row;
    assert.equal(entities.sub_jobs_total, 1);
    assert.equal((rows(entities.sub_jobs)[0]!.entities as Row).server_id, "s-1");
  });
});

describe("the servers table, for the server operations to come", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal();
    hw.startService("ecs"); // its table is written directly below
  });
  after(() => hw.close());

  const server = (over: Partial<NewServer>): NewServer => ({
    id: randomIds.uuid(),
    project_id: hw.projectId(),
    user_id: hw.seed.user.id,
    name: "web",
    description: "",
    status: "ACTIVE",
    vm_state: "active",
    task_state: null,
    power_state: 1,
    flavor_id: "s6.large.2",
    image_id: randomIds.uuid(),
    vpc_id: randomIds.uuid(),
    availability_zone: "cn-north-4a",
    key_name: null,
    user_data: null,
    metadata: { os_type: "Linux" },
    tags: [],
    security_group_ids: [],
    root_volume_id: null,
    server_group_id: null,
    host_id: randomIds.hex32(),
    reservation_id: "r-abc12345",
    launch_index: 0,
    enterprise_project_id: "0",
    client_token: null,
    created_at: hw.clock.now(),
    ...over,
  });

  test("insert, get, count, list pages and filters; limits count cores and RAM by flavor", async () => {
    const store = new EcsStore(hw.db);
    const p = hw.projectId();
    const a = store.servers.insert(server({ name: "web-0001", tags: [{ key: "env", value: "prod" }], client_token: "tok-1" }));
    const b = store.servers.insert(server({ name: "web-0002", flavor_id: "c7.xlarge.2", client_token: "tok-1", launch_index: 1, created_at: a.created_at + 1 }));
    store.servers.insert(server({ name: "db", status: "DELETED", vm_state: "deleted", created_at: a.created_at + 2 }));
    store.servers.insert(server({ project_id: hw.projectId("cn-east-3"), name: "elsewhere" }));
    assert.match(a.instance_name, /^instance-[0-9a-f]{8}$/);
    assert.notEqual(a.instance_name, b.instance_name);
    assert.deepEqual(store.servers.get(p, a.id)?.tags, [{ key: "env", value: "prod" }]);
    assert.equal(store.servers.get(hw.projectId("cn-east-3"), a.id), undefined);
    assert.equal(store.servers.countInProject(p), 2);
    assert.deepEqual(store.servers.byClientToken(p, "tok-1").map((s) => s.id), [a.id, b.id]);
    const page1 = store.servers.list(p, {}, { page: 1, limit: 1 });
    assert.equal(page1.count, 2);
    assert.deepEqual(page1.servers.map((s) => s.id), [b.id], "newest first");
    assert.deepEqual(store.servers.list(p, {}, { page: 2, limit: 1 }).servers.map((s) => s.id), [a.id]);
    assert.deepEqual(store.servers.list(p, {}, { page: 0, limit: 1 }).servers.map((s) => s.id), [b.id], "page 0 is page 1");
    assert.equal(store.servers.list(p, { status: "DELETED" }, { page: 1, limit: 25 }).count, 1);
    assert.deepEqual(store.servers.list(p, { tags: ["env=prod"] }, { page: 1, limit: 25 }).servers.map((s) => s.id), [a.id]);
    assert.deepEqual(store.servers.list(p, { notTags: ["env"] }, { page: 1, limit: 25 }).servers.map((s) => s.id), [b.id]);
    assert.deepEqual(store.servers.list(p, { name: "0002" }, { page: 1, limit: 25 }).servers.map((s) => s.id), [b.id]);
    assert.deepEqual(store.servers.list(p, { flavorId: "s6.large.2" }, { page: 1, limit: 25 }).servers.map((s) => s.id), [a.id]);

    const ecs = ecsClient(hw.url, { ...hw.admin, projectId: p });
    const abs = wire(await ecs.showServerLimits(new ShowServerLimitsRequest())).absolute as Row;
    assert.equal(abs.totalInstancesUsed, 2);
    assert.equal(abs.totalCoresUsed, 2 + 4);
    assert.equal(abs.totalRAMUsed, 4096 + 8192);
  });
});
