// Server actions through the official ECS SDK, on hwlocal's clock: resize (v1, v1.1, batch, the flavors a
// server may take), change and reinstall the OS (key pair or password, cloud-init user data), passwords,
// ECS's metadata API and the instance metadata options, the consoles, and the auto-terminate time.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  BatchResetServersPasswordRequest,
  BatchResetServersPasswordRequestBody,
  BatchResizeServersOption,
  BatchResizeServersReq,
  BatchResizeServersRequest,
  BatchStopServersOption,
  BatchStopServersRequest,
  BatchStopServersRequestBody,
  ChangeServerOsWithCloudInitOption,
  ChangeServerOsWithCloudInitRequest,
  ChangeServerOsWithCloudInitRequestBody,
  ChangeServerOsWithoutCloudInitOption,
  ChangeServerOsWithoutCloudInitRequest,
  ChangeServerOsWithoutCloudInitRequestBody,
  ChangeSeversOsMetadata,
  CreatePostPaidServersRequest,
  CreatePostPaidServersRequestBody,
  DeleteServerMetadataRequest,
  DeleteServerPasswordRequest,
  type EcsClient,
  GetServerRemoteConsoleOption,
  ListResizeFlavorsRequest,
  NovaCreateKeypairOption,
  NovaCreateKeypairRequest,
  NovaCreateKeypairRequestBody,
  PostPaidServer,
  PostPaidServerNic,
  PostPaidServerRootVolume,
  ReinstallServerWithCloudInitOption,
  ReinstallServerWithCloudInitRequest,
  ReinstallServerWithCloudInitRequestBody,
  ReinstallServerWithoutCloudInitOption,
  ReinstallServerWithoutCloudInitRequest,
  ReinstallServerWithoutCloudInitRequestBody,
  ResetServerPasswordOption,
  ResetServerPasswordRequest,
  ResetServerPasswordRequestBody,
  ResizePostPaidServerOption,
  ResizePostPaidServerRequest,
  ResizePostPaidServerRequestBody,
  ResizePrePaidServerOption,
  ResizeServerRequest,
  ResizeServerRequestBody,
  ServerId,
  ShowJobRequest,
  ShowMetadataOptionsRequest,
  ShowResetPasswordFlagRequest,
  ShowSerialConsoleActionsRequest,
  ShowServerPasswordRequest,
  ShowServerRemoteConsoleRequest,
  ShowServerRemoteConsoleRequestBody,
  ShowServerRequest,
  UpdateMetadataOptionsRequest,
  UpdateSerialConsoleOptionsOption,
  UpdateSerialConsoleOptionsRequest,
  UpdateSerialConsoleOptionsRequestBody,
  UpdateServerAutoTerminateTimeRequest,
  UpdateServerAutoTerminateTimeRequestBody,
  UpdateServerMetadataOptionsRequestBody,
  UpdateServerMetadataRequest,
  UpdateServerMetadataRequestBody,
} from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import { ManualClock } from "../src/kernel/clock.ts";
import { ecsClient } from "./helpers/ecs-sdk.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const DEBIAN = "74e5db7b-0cb5-4f6b-b556-f1b2e233f2af";
const WINDOWS = "9d8b2304-d222-4225-ab66-ff3483387bfd";
const MISSING = "00000000-0000-4000-8000-000000000000";

type Row = Record<string, unknown>;

describe("ECS server actions", () => {
  let hw: TestHwlocal;
  let clock: ManualClock;
  let ecs: EcsClient;
  let vpcId: string;
  let subnetId: string;

  const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
  const job = async (id: string) => wire(await ecs.showJob(new ShowJobRequest().withJobId(id)));
  const server = async (id: string) => wire(await ecs.showServer(new ShowServerRequest().withServerId(id))).server as Row;
  const expectError = async (p: Promise<unknown>, status: number, code: string) => {
    const e = await sdkError(p);
    assert.equal(e.httpStatusCode, status, `${code}: ${e.errorMsg}`);
    assert.equal(e.errorCode, code, e.errorMsg);
  };
  const newServers = async (count: number, flavor = "s6.small.1"): Promise<string[]> => {
    const s = new PostPaidServer()
      .withName("act")
      .withFlavorRef(flavor)
      .withImageRef(UBUNTU)
      .withVpcid(vpcId)
      .withNics([new PostPaidServerNic().withSubnetId(subnetId)])
      .withRootVolume(new PostPaidServerRootVolume().withVolumetype("SSD"))
      .withCount(count);
    const created = wire(await ecs.createPostPaidServers(new CreatePostPaidServersRequest().withBody(new CreatePostPaidServersRequestBody().withServer(s))));
    await advance(31);
    return created.serverIds as string[];
  };
  const resize = (id: string, flavor: string, mode?: string) => {
    const o = new ResizePostPaidServerOption().withFlavorRef(flavor);
    if (mode) o.withMode(mode);
    return ecs.resizePostPaidServer(new ResizePostPaidServerRequest().withServerId(id).withBody(new ResizePostPaidServerRequestBody().withResize(o)));
  };

  before(async () => {
    // Real time: SDK signatures must stay within 15 minutes of hwlocal's clock, so the tests advance it little.
    clock = new ManualClock(Date.now());
    hw = await startTestHwlocal({ bootDelaySeconds: 30 }, { clock });
    const pid = hw.projectId();
    ecs = ecsClient(hw.url, { ...hw.admin, projectId: pid });
    const vpc = vpcClient(hw.url, hw.admin, pid);
    vpcId = (await newVpc(vpc, "192.168.0.0/16", "actions")).id;
    subnetId = (await newSubnet(vpc, { vpcId, cidr: "192.168.8.0/24", gatewayIp: "192.168.8.1" })).id;
  });
  after(() => hw.close());

  test("resize: a running server with withStopServer, a stopped one, v1.1 and batch; flavor checks; resize flavors", async () => {
    const [a, b, c] = await newServers(3);
    const flavors = wire(await ecs.listResizeFlavors(new ListResizeFlavorsRequest().withInstanceUuid(a!))).flavors as Row[];
    const ids = flavors.map((f) => f.id);
    assert.ok(ids.includes("s6.large.2") && !ids.includes("s6.small.1"), "the server's own flavor is not offered");
    assert.ok(!ids.some((id) => String(id).startsWith("kc1.")), "an Arm flavor cannot replace an x86 one");
    assert.equal(typeof (flavors[0]!.extra_specs as Row)["ecs:generation"], "string");
    const bySource = wire(await ecs.listResizeFlavors(new ListResizeFlavorsRequest().withSourceFlavorId("s6.small.1").withLimit(2))).flavors as Row[];
    assert.equal(bySource.length, 2);
    await expectError(ecs.listResizeFlavors(new ListResizeFlavorsRequest()), 400, "Ecs.0005");

    await expectError(resize(a!, "s6.large.2"), 400, "Ecs.0100");
    await expectError(resize(a!, "nope.large.2", "withStopServer"), 400, "Ecs.0029");
    await expectError(resize(a!, "s6.small.1", "withStopServer"), 400, "Ecs.0005");
    await expectError(resize(a!, "kc1.large.2", "withStopServer"), 400, "Ecs.0005");
    await expectError(resize(MISSING, "s6.large.2", "withStopServer"), 404, "Ecs.0114");

    const jobId = String(wire(await resize(a!, "s6.large.2", "withStopServer")).job_id);
    const during = await server(a!);
    assert.equal(during.status, "RESIZE");
    assert.equal(during["OS-EXT-STS:task_state"], "resize_migrating");
    await expectError(resize(a!, "s6.large.4", "withStopServer"), 501, "Ecs.0603");
    assert.equal((await job(jobId)).job_type, "resizeServer");
    await advance(31);
    assert.equal((await job(jobId)).status, "SUCCESS");
    const done = await server(a!);
    assert.equal(done.status, "ACTIVE");
    assert.deepEqual([(done.flavor as Row).id, (done.flavor as Row).vcpus, (done.flavor as Row).ram], ["s6.large.2", "2", "4096"]);

    // v1.1 on a stopped server: it stays stopped.
    await ecs.batchStopServers(
      new BatchStopServersRequest().withBody(new BatchStopServersRequestBody().withOsStop(new BatchStopServersOption().withServers([new ServerId().withId(b!)]))),
    );
    await advance(31);
    const v11 = wire(await ecs.resizeServer(new ResizeServerRequest().withServerId(b!).withBody(new ResizeServerRequestBody().withResize(new ResizePrePaidServerOption().withFlavorRef("c7.large.2")))));
    await advance(31);
    assert.equal((await job(String(v11.job_id))).status, "SUCCESS");
    const stopped = await server(b!);
    assert.deepEqual([stopped.status, (stopped.flavor as Row).id], ["SHUTOFF", "c7.large.2"]);

    const batch = (flavor: string, ids: string[]) =>
      ecs.batchResizeServers(
        new BatchResizeServersRequest().withBody(
          new BatchResizeServersReq().withResize(new BatchResizeServersOption().withFlavorRef(flavor).withMode("withStopServer").withServers(ids.map((id) => new ServerId().withId(id)))),
        ),
      );
    await expectError(batch("s6.medium.2", [c!, MISSING]), 404, "Ecs.0614");
    const batched = wire(await batch("s6.medium.2", [a!, c!]));
    await advance(31);
    const parent = await job(String(batched.job_id));
    assert.equal(parent.status, "SUCCESS");
    assert.equal((parent.entities as Row).sub_jobs_total, 2);
    assert.equal(((await server(c!)).flavor as Row).id, "s6.medium.2");
  });

  test("change and reinstall the OS: key pair or password, cloud-init user data, checks", async () => {
    const [s] = await newServers(1);
    const kp = new NovaCreateKeypairOption().withName("rebuild-key");
    await ecs.novaCreateKeypair(new NovaCreateKeypairRequest().withOpenStackAPIVersion("compute 2.60").withBody(new NovaCreateKeypairRequestBody().withKeypair(kp)));
    const userData = Buffer.from("#!/bin/sh\necho hi\n").toString("base64");
    const change = (o: ChangeServerOsWithCloudInitOption) =>
      ecs.changeServerOsWithCloudInit(new ChangeServerOsWithCloudInitRequest().withServerId(s!).withBody(new ChangeServerOsWithCloudInitRequestBody().withOsChange(o)));

    await expectError(change(new ChangeServerOsWithCloudInitOption().withImageid(DEBIAN).withKeyname("rebuild-key")), 400, "Ecs.0100");
    await expectError(change(new ChangeServerOsWithCloudInitOption().withImageid(MISSING).withKeyname("rebuild-key").withMode("withStopServer")), 400, "Ecs.0031");
    await expectError(change(new ChangeServerOsWithCloudInitOption().withImageid(DEBIAN).withKeyname("absent").withMode("withStopServer")), 400, "Ecs.0314");
    await expectError(change(new ChangeServerOsWithCloudInitOption().withImageid(DEBIAN).withAdminpass("short").withMode("withStopServer")), 400, "Ecs.0005");
    await expectError(change(new ChangeServerOsWithCloudInitOption().withImageid(DEBIAN).withMode("withStopServer")), 400, "Ecs.0005");
    await expectError(change(new ChangeServerOsWithCloudInitOption().withImageid(WINDOWS).withAdminpass("Hwlocal@2026x").withMode("withStopServer")), 400, "Ecs.0005");

    const changed = wire(
      await change(
        new ChangeServerOsWithCloudInitOption()
          .withImageid(DEBIAN)
          .withKeyname("rebuild-key")
          .withMode("withStopServer")
          .withMetadata(new ChangeSeversOsMetadata().withUserData(userData)),
      ),
    );
    assert.equal((await server(s!)).status, "REBUILD");
    assert.equal((await job(String(changed.job_id))).job_type, "changeOS");
    await advance(31);
    let shown = await server(s!);
    assert.deepEqual([shown.status, (shown.image as Row).id, shown.key_name, shown["OS-EXT-SRV-ATTR:user_data"]], ["ACTIVE", DEBIAN, "rebuild-key", userData]);

    // v1 change (no cloud-init): a password instead of the key pair.
    await ecs.changeServerOsWithoutCloudInit(
      new ChangeServerOsWithoutCloudInitRequest()
        .withServerId(s!)
        .withBody(new ChangeServerOsWithoutCloudInitRequestBody().withOsChange(new ChangeServerOsWithoutCloudInitOption().withImageid(UBUNTU).withAdminpass("Hwlocal@2026x").withMode("withStopServer"))),
    );
    await advance(31);
    shown = await server(s!);
    assert.deepEqual([(shown.image as Row).id, shown.key_name], [UBUNTU, ""]);

    const re = wire(
      await ecs.reinstallServerWithCloudInit(
        new ReinstallServerWithCloudInitRequest()
          .withServerId(s!)
          .withBody(new ReinstallServerWithCloudInitRequestBody().withOsReinstall(new ReinstallServerWithCloudInitOption().withKeyname("rebuild-key").withMode("withStopServer"))),
      ),
    );
    assert.equal((await job(String(re.job_id))).job_type, "reinstallOS");
    await expectError(
      ecs.reinstallServerWithoutCloudInit(
        new ReinstallServerWithoutCloudInitRequest()
          .withServerId(s!)
          .withBody(new ReinstallServerWithoutCloudInitRequestBody().withOsReinstall(new ReinstallServerWithoutCloudInitOption().withAdminpass("Hwlocal@2026x"))),
      ),
      501,
      "Ecs.0603",
    );
    await advance(31);
    shown = await server(s!);
    assert.deepEqual([shown.status, (shown.image as Row).id, shown.key_name], ["ACTIVE", UBUNTU, "rebuild-key"]);
  });

  test("passwords: one-click reset, batch reset, the reset flag, the Windows password API", async () => {
    const [s, t] = await newServers(2);
    const reset = (id: string, pw: string, check?: boolean) => {
      const o = new ResetServerPasswordOption().withNewPassword(pw);
      if (check !== undefined) o.withIsCheckPassword(check);
      return ecs.resetServerPassword(new ResetServerPasswordRequest().withServerId(id).withBody(new ResetServerPasswordRequestBody().withResetPassword(o)));
    };
    assert.equal(wire(await reset(s!, "Hwlocal@2026x")).httpStatusCode, 204);
    for (const bad of ["Aa1!", "alllowercase1", "Root@12345x", "Hwlocal 2026x"]) await expectError(reset(s!, bad), 400, "Ecs.0005");
    assert.equal(wire(await reset(s!, "simple-but-unchecked", false)).httpStatusCode, 204);
    await expectError(reset(MISSING, "Hwlocal@2026x"), 404, "Ecs.0114");

    const batch = (ids: string[], dryRun?: boolean) => {
      const b = new BatchResetServersPasswordRequestBody().withNewPassword("Hwlocal@2026y").withServers(ids.map((id) => new ServerId().withId(id)));
      if (dryRun !== undefined) b.withDryRun(dryRun);
      return ecs.batchResetServersPassword(new BatchResetServersPasswordRequest().withBody(b));
    };
    assert.deepEqual(wire(await batch([s!, t!])).response, [{ id: s }, { id: t }]);
    await expectError(batch([s!, MISSING]), 404, "Ecs.0614");

    assert.equal(wire(await ecs.showResetPasswordFlag(new ShowResetPasswordFlagRequest().withServerId(s!))).resetpwd_flag, "True");
    assert.equal(wire(await ecs.showServerPassword(new ShowServerPasswordRequest().withServerId(s!))).password, "");
    assert.equal(wire(await ecs.deleteServerPassword(new DeleteServerPasswordRequest().withServerId(s!))).httpStatusCode, 204);
    await expectError(ecs.showServerPassword(new ShowServerPasswordRequest().withServerId(MISSING)), 404, "Ecs.0114");
  });

  test("metadata, metadata options, consoles and the auto-terminate time", async () => {
    const [s] = await newServers(1);
    const meta = wire(await ecs.updateServerMetadata(new UpdateServerMetadataRequest().withServerId(s!).withBody(new UpdateServerMetadataRequestBody().withMetadata({ role: "web", tier: "1" })))).metadata;
    assert.deepEqual(meta, { role: "web", tier: "1" });
    assert.equal(((await server(s!)).metadata as Row).role, "web");
    assert.equal(wire(await ecs.deleteServerMetadata(new DeleteServerMetadataRequest().withServerId(s!).withKey("role"))).httpStatusCode, 204);
    assert.equal(((await server(s!)).metadata as Row).role, undefined);
    await expectError(ecs.deleteServerMetadata(new DeleteServerMetadataRequest().withServerId(s!).withKey("role")), 404, "Ecs.0005");
    await expectError(ecs.updateServerMetadata(new UpdateServerMetadataRequest().withServerId(s!).withBody(new UpdateServerMetadataRequestBody().withMetadata({ "bad key": "x" }))), 400, "Ecs.0005");

    assert.deepEqual(wire(await ecs.showMetadataOptions(new ShowMetadataOptionsRequest().withServerId(s!))), { httpStatusCode: 200, http_endpoint: "enabled", http_tokens: "optional" });
    await ecs.updateMetadataOptions(new UpdateMetadataOptionsRequest().withServerId(s!).withBody(new UpdateServerMetadataOptionsRequestBody().withHttpTokens("required")));
    assert.equal(wire(await ecs.showMetadataOptions(new ShowMetadataOptionsRequest().withServerId(s!))).http_tokens, "required");
    await expectError(ecs.updateMetadataOptions(new UpdateMetadataOptionsRequest().withServerId(s!).withBody(new UpdateServerMetadataOptionsRequestBody().withHttpTokens("always"))), 400, "Ecs.0005");

    const vnc = wire(
      await ecs.showServerRemoteConsole(
        new ShowServerRemoteConsoleRequest().withServerId(s!).withBody(new ShowServerRemoteConsoleRequestBody().withRemoteConsole(new GetServerRemoteConsoleOption().withProtocol("vnc").withType("novnc"))),
      ),
    ).remote_console as Row;
    assert.equal(vnc.type, "novnc");
    assert.match(String(vnc.url), /^http.*vnc_auto\.html\?token=[0-9a-f-]{36}/);
    await expectError(
      ecs.showServerRemoteConsole(
        new ShowServerRemoteConsoleRequest().withServerId(s!).withBody(new ShowServerRemoteConsoleRequestBody().withRemoteConsole(new GetServerRemoteConsoleOption().withProtocol("spice").withType("novnc"))),
      ),
      400,
      "Ecs.0005",
    );
    await expectError(ecs.showSerialConsoleActions(new ShowSerialConsoleActionsRequest().withServerId(s!)), 400, "Ecs.0005");
    await ecs.updateSerialConsoleOptions(
      new UpdateSerialConsoleOptionsRequest().withServerId(s!).withBody(new UpdateSerialConsoleOptionsRequestBody().withSerialConsoleOptions(new UpdateSerialConsoleOptionsOption().withEnabled(true))),
    );
    const serial = wire(await ecs.showSerialConsoleActions(new ShowSerialConsoleActionsRequest().withServerId(s!))).serial_console as Row;
    assert.match(String(serial.url), /serial_console\.html\?token=/);

    const terminate = (at: string) =>
      ecs.updateServerAutoTerminateTime(new UpdateServerAutoTerminateTimeRequest().withServerId(s!).withBody(new UpdateServerAutoTerminateTimeRequestBody().withAutoTerminateTime(at)));
    await expectError(terminate("tomorrow"), 400, "Ecs.0005");
    await expectError(terminate("2020-01-01T00:00:00Z"), 400, "Ecs.0005");
    const at = new Date(clock.now() + 120_000).toISOString().slice(0, 17) + "00Z";
    assert.equal(wire(await terminate(at)).httpStatusCode, 204);
    assert.equal((await server(s!)).auto_terminate_time, at);
    await advance(45);
    assert.equal((await server(s!)).status, "ACTIVE");
    await advance(120);
    await expectError(ecs.showServer(new ShowServerRequest().withServerId(s!)), 404, "Ecs.0114");
  });
});
