// Fine-grained authorization on every request (issue 12): a user outside the admin group acts only as its
// groups' policies allow, through the official IAM, ECS and VPC SDKs. ECS ReadOnlyAccess on cn-north-4 lists
// servers there, is refused creating one (403 Pdp.0001) and is refused in cn-east-3; a custom Deny of
// vpc:subnets:delete wins over VPC FullAccess (403 VPC.2201); a Condition on g:UserName picks who; a change
// of membership takes effect at once for a key already in use; log mode allows and logs; the journal names
// the deciding statement.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateCloudServiceCustomPolicyRequest,
  CreateCloudServiceCustomPolicyRequestBody,
  CreateCredentialOption,
  CreatePermanentAccessKeyRequest,
  CreatePermanentAccessKeyRequestBody,
  IamClient,
  KeystoneAddUserToGroupRequest,
  KeystoneAssociateGroupWithProjectPermissionRequest,
  KeystoneCreateGroupOption,
  KeystoneCreateGroupRequest,
  KeystoneCreateGroupRequestBody,
  KeystoneCreateUserOption,
  KeystoneCreateUserRequest,
  KeystoneCreateUserRequestBody,
  KeystoneListPermissionsRequest,
  KeystoneRemoveUserFromGroupRequest,
  ServicePolicy,
  ServicePolicyRoleOption,
  ServiceStatement,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import { DeleteSubnetRequest, ListVpcsRequest } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import {
  CreatePostPaidServersRequest,
  CreatePostPaidServersRequestBody,
  ListServersDetailsRequest,
  PostPaidServer,
  PostPaidServerNic,
  PostPaidServerRootVolume,
} from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import { ecsClient } from "./helpers/ecs-sdk.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { iamClient, iamProjectClient, sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;
type Creds = { ak: string; sk: string };
const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";

/** The IAM steps every scenario takes: groups, users with keys, grants on a project. */
function iamSteps(admin: IamClient, onProject: (projectId: string) => IamClient) {
  const roleId = async (displayName: string) =>
    String(((wire(await admin.keystoneListPermissions(new KeystoneListPermissionsRequest().withDisplayName(displayName))).roles as Row[])[0] as Row).id);
  const group = async (name: string) =>
    String((wire(await admin.keystoneCreateGroup(new KeystoneCreateGroupRequest().withBody(new KeystoneCreateGroupRequestBody().withGroup(new KeystoneCreateGroupOption().withName(name))))).group as Row).id);
  const user = async (name: string, groupId: string): Promise<Creds & { id: string }> => {
    const body = new KeystoneCreateUserRequestBody().withUser(new KeystoneCreateUserOption().withName(name).withPassword("Passw0rd#2026"));
    const id = String((wire(await admin.keystoneCreateUser(new KeystoneCreateUserRequest().withBody(body))).user as Row).id);
    await admin.keystoneAddUserToGroup(new KeystoneAddUserToGroupRequest().withGroupId(groupId).withUserId(id));
    const key = wire(
      await admin.createPermanentAccessKey(
        new CreatePermanentAccessKeyRequest().withBody(new CreatePermanentAccessKeyRequestBody().withCredential(new CreateCredentialOption().withUserId(id))),
      ),
    ).credential as { access: string; secret: string };
    return { id, ak: key.access, sk: key.secret };
  };
  const grant = async (groupId: string, projectId: string, role: string) => {
    // The SDK takes the project from its credentials (/v3/projects/{project_id}/groups/{group_id}/roles/{role_id}).
    await onProject(projectId).keystoneAssociateGroupWithProjectPermission(new KeystoneAssociateGroupWithProjectPermissionRequest().withGroupId(groupId).withRoleId(role));
  };
  const customPolicy = async (name: string, statements: ServiceStatement[]) =>
    String(
      (
        wire(
          await admin.createCloudServiceCustomPolicy(
            new CreateCloudServiceCustomPolicyRequest().withBody(
              new CreateCloudServiceCustomPolicyRequestBody().withRole(
                new ServicePolicyRoleOption().withDisplayName(name).withType("XA").withDescription(name).withPolicy(new ServicePolicy().withVersion("1.1").withStatement(statements)),
              ),
            ),
          ),
        ).role as Row
      ).id,
    );
  return { roleId, group, user, grant, customPolicy };
}

function serverBody(vpcId: string, subnetId: string) {
  return new CreatePostPaidServersRequestBody().withServer(
    new PostPaidServer()
      .withName("denied")
      .withFlavorRef("s6.small.1")
      .withImageRef(UBUNTU)
      .withVpcid(vpcId)
      .withNics([new PostPaidServerNic().withSubnetId(subnetId)])
      .withRootVolume(new PostPaidServerRootVolume().withVolumetype("SSD")),
  );
}

describe("IAM fine-grained authorization (enforce)", () => {
  let hw: TestHwlocal;
  let iam: ReturnType<typeof iamSteps>;
  let north: string;
  let east: string;

  before(async () => {
    hw = await startTestHwlocal();
    iam = iamSteps(iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id }), (projectId) => iamProjectClient(hw.url, { ...hw.admin, projectId }));
    north = hw.projectId("cn-north-4");
    east = hw.projectId("cn-east-3");
  });
  after(() => hw.close());

  test("ECS ReadOnlyAccess on cn-north-4: lists servers there, may not create one, may not list in cn-east-3", async () => {
    const g = await iam.group("ecs-readers");
    await iam.grant(g, north, await iam.roleId("ECS ReadOnlyAccess"));
    const reader = await iam.user("reader", g);
    const vpc = vpcClient(hw.url, hw.admin, north);
    const vpcId = (await newVpc(vpc, "10.8.0.0/16")).id;
    const subnetId = (await newSubnet(vpc, { vpcId, cidr: "10.8.1.0/24", gatewayIp: "10.8.1.1" })).id;

    const ecs = ecsClient(hw.url, { ...reader, projectId: north });
    assert.equal(wire(await ecs.listServersDetails(new ListServersDetailsRequest())).count, 0);
    const refused = await sdkError(ecs.createPostPaidServers(new CreatePostPaidServersRequest().withBody(serverBody(vpcId, subnetId))));
    assert.equal(refused.httpStatusCode, 403);
    assert.equal(refused.errorCode, "Pdp.0001");
    assert.equal(refused.errorMsg, "Policy doesn't allow ecs:cloudServers:createServers to be performed.");
    const elsewhere = await sdkError(ecsClient(hw.url, { ...reader, projectId: east }).listServersDetails(new ListServersDetailsRequest()));
    assert.equal(elsewhere.httpStatusCode, 403);
    assert.equal(elsewhere.errorCode, "Pdp.0001");
    // the admin is not affected
    assert.equal(wire(await ecsClient(hw.url, { ...hw.admin, projectId: east }).listServersDetails(new ListServersDetailsRequest())).count, 0);

    const [entry] = (await hw.call("GET", "/_hwlocal/journal", { creds: null, query: { service: "ecs", status: "403", limit: "1" } })).json.entries as Row[];
    assert.deepEqual(entry?.policy, { action: "ecs:cloudServers:list", allowed: false, by: "no statement allows it" });
  });

  test("a custom policy denying vpc:subnets:delete wins over VPC FullAccess", async () => {
    const g = await iam.group("net-admins");
    await iam.grant(g, north, await iam.roleId("VPC FullAccess"));
    await iam.grant(g, north, await iam.customPolicy("keep-subnets", [new ServiceStatement().withEffect("Deny").withAction(["vpc:subnets:delete"])]));
    const netops = await iam.user("netops", g);
    const vpc = vpcClient(hw.url, netops, north);
    const vpcId = (await newVpc(vpc, "10.9.0.0/16", "netops-vpc")).id;
    const subnetId = (await newSubnet(vpc, { vpcId, cidr: "10.9.1.0/24", gatewayIp: "10.9.1.1" })).id;
    const refused = await sdkError(vpc.deleteSubnet(new DeleteSubnetRequest().withVpcId(vpcId).withSubnetId(subnetId)));
    assert.equal(refused.httpStatusCode, 403);
    assert.equal(refused.errorCode, "VPC.2201");
    assert.match(String(refused.errorMsg), /vpc:subnets:delete/);
    const [entry] = (await hw.call("GET", "/_hwlocal/journal", { creds: null, query: { service: "vpc", status: "403", limit: "1" } })).json.entries as Row[];
    assert.deepEqual(entry?.policy, { action: "vpc:subnets:delete", allowed: false, by: "Deny in keep-subnets" });
  });

  test("a Condition on g:UserName lets one user of a group act and not the other", async () => {
    const g = await iam.group("conditional");
    const onlyAlice = new ServiceStatement().withEffect("Allow").withAction(["vpc:vpcs:list"]).withCondition({ StringEquals: { "g:UserName": ["alice"] } });
    await iam.grant(g, north, await iam.customPolicy("alice-lists", [onlyAlice]));
    const alice = await iam.user("alice", g);
    const bob = await iam.user("bob", g);
    assert.ok(Array.isArray(wire(await vpcClient(hw.url, alice, north).listVpcs(new ListVpcsRequest())).vpcs));
    const refused = await sdkError(vpcClient(hw.url, bob, north).listVpcs(new ListVpcsRequest()));
    assert.equal(refused.httpStatusCode, 403);
    assert.equal(refused.errorCode, "VPC.2201");
  });

  test("leaving the group takes effect at once for a key already in use", async () => {
    const g = await iam.group("leavers");
    await iam.grant(g, north, await iam.roleId("VPC ReadOnlyAccess"));
    const leaver = await iam.user("leaver", g);
    const vpc = vpcClient(hw.url, leaver, north);
    assert.ok(Array.isArray(wire(await vpc.listVpcs(new ListVpcsRequest())).vpcs));
    const admin = iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id });
    await admin.keystoneRemoveUserFromGroup(new KeystoneRemoveUserFromGroupRequest().withGroupId(g).withUserId(leaver.id));
    assert.equal((await sdkError(vpc.listVpcs(new ListVpcsRequest()))).httpStatusCode, 403);
  });
});

describe("IAM fine-grained authorization (log mode)", () => {
  let hw: TestHwlocal;
  const lines: string[] = [];

  before(async () => {
    hw = await startTestHwlocal({ iamPolicies: "log" }, { log: (l) => lines.push(l) });
  });
  after(() => hw.close());

  test("a request the policies deny is allowed and logged", async () => {
    const iam = iamSteps(iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id }), (projectId) => iamProjectClient(hw.url, { ...hw.admin, projectId }));
    const g = await iam.group("nobody");
    const user = await iam.user("nopolicy", g);
    const north = hw.projectId("cn-north-4");
    assert.ok(Array.isArray(wire(await vpcClient(hw.url, user, north).listVpcs(new ListVpcsRequest())).vpcs));
    assert.ok(lines.some((l) => l === "iam policies (log): nopolicy would be denied vpc:vpcs:list (no statement allows it)"), lines.join("\n"));
  });
});
