// System-defined policies, custom policies (/v3.0/OS-ROLE), grants on all projects and the domain's role
// assignments through the official IAM SDK; the effective policies of a user straight from the store.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AgencyPolicy,
  AgencyPolicyResource,
  AgencyPolicyRoleOption,
  AgencyPolicyStatement,
  CreateAgencyCustomPolicyRequest,
  CreateAgencyCustomPolicyRequestBody,
  CreateCloudServiceCustomPolicyRequest,
  CreateCloudServiceCustomPolicyRequestBody,
  DeleteCustomPolicyRequest,
  DeleteDomainGroupInheritedRoleRequest,
  IamClient,
  KeystoneAddUserToGroupRequest,
  KeystoneAssociateGroupWithProjectPermissionRequest,
  KeystoneCheckroleForGroupRequest,
  KeystoneCreateGroupOption,
  KeystoneCreateGroupRequest,
  KeystoneCreateGroupRequestBody,
  KeystoneCreateUserOption,
  KeystoneCreateUserRequest,
  KeystoneCreateUserRequestBody,
  KeystoneListAllProjectPermissionsForGroupRequest,
  KeystoneListPermissionsRequest,
  KeystoneShowPermissionRequest,
  ListCustomPoliciesRequest,
  ServicePolicy,
  ServicePolicyRoleOption,
  ServiceStatement,
  ShowCustomPolicyRequest,
  ShowDomainRoleAssignmentsRequest,
  UpdateCloudServiceCustomPolicyRequest,
  UpdateCloudServiceCustomPolicyRequestBody,
  UpdateDomainGroupInheritRoleRequest,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import { actionMatches, parsePolicyDocument } from "../src/services/iam/policy-document.ts";
import { effectivePolicies } from "../src/services/iam/roles.ts";
import { IamStore } from "../src/services/iam/store.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { iamClient, iamProjectClient, sdkError, wire } from "./helpers/sdk.ts";

type Row = Record<string, unknown>;
const rows = (v: unknown) => v as Row[];

const denySubnetDelete = () =>
  new ServicePolicy()
    .withVersion("1.1")
    .withStatement([
      new ServiceStatement().withEffect("Deny").withAction(["vpc:subnets:delete"]),
      new ServiceStatement()
        .withEffect("Allow")
        .withAction(["vpc:*:get*"])
        .withCondition({ StringEquals: { "g:ProjectName": ["cn-north-4"] } }),
    ]);

describe("IAM policies", () => {
  let hw: TestHwlocal;
  let admin: IamClient;
  let groupId: string;
  let userId: string;
  const domainId = () => hw.seed.domain.id;
  const roleByName = async (displayName: string) =>
    rows(wire(await admin.keystoneListPermissions(new KeystoneListPermissionsRequest().withDisplayName(displayName))).roles)[0]!;

  before(async () => {
    hw = await startTestHwlocal();
    admin = iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id });
    const g = wire(await admin.keystoneCreateGroup(new KeystoneCreateGroupRequest().withBody(new KeystoneCreateGroupRequestBody().withGroup(new KeystoneCreateGroupOption().withName("netops")))));
    groupId = String((g.group as Row).id);
    const u = wire(
      await admin.keystoneCreateUser(new KeystoneCreateUserRequest().withBody(new KeystoneCreateUserRequestBody().withUser(new KeystoneCreateUserOption().withName("nina").withPassword("Nina#2026x")))),
    );
    userId = String((u.user as Row).id);
    await admin.keystoneAddUserToGroup(new KeystoneAddUserToGroupRequest().withGroupId(groupId).withUserId(userId));
  });
  after(() => hw.close());

  test("system policies carry Huawei's names, types and documents", async () => {
    const expected: [string, string, string][] = [
      ["Tenant Administrator", "te_admin", "AA"],
      ["Tenant Guest", "readonly", "AA"],
      ["ECS FullAccess", "system_all_3", "XA"],
      ["ECS ReadOnlyAccess", "system_all_8", "XA"],
      ["ECS CommonOperations", "system_all_1", "XA"],
      ["VPC FullAccess", "system_all_7", "XA"],
      ["VPC ReadOnlyAccess", "system_all_5", "XA"],
      ["EVS FullAccess", "system_all_6", "XA"],
      ["IMS FullAccess", "system_all_16", "XA"],
      ["AutoScaling FullAccess", "system_all_23", "XA"],
      ["IAM ReadOnlyAccess", "system_all_hwlocal_iam_read", "AX"],
    ];
    for (const [display, name, type] of expected) {
      const r = await roleByName(display);
      assert.equal(r.name, name, display);
      assert.equal(r.type, type, display);
    }
    for (const display of ["CES FullAccess", "SMN FullAccess", "OBS ReadOnlyAccess", "ELB FullAccess"]) assert.ok(await roleByName(display), display);
    const ecs = await roleByName("ECS ReadOnlyAccess");
    const shown = wire(await admin.keystoneShowPermission(new KeystoneShowPermissionRequest().withRoleId(String(ecs.id)))).role as Row;
    assert.equal(shown.flag, "fine_grained");
    assert.deepEqual((shown.policy as { Statement: { Action: string[] }[] }).Statement[0]!.Action.slice(0, 2), ["ecs:*:get*", "ecs:*:list*"]);
    const tenantAdmin = await roleByName("Tenant Administrator");
    assert.equal((tenantAdmin.policy as { Version: string }).Version, "1.0");
    const policiesOnly = wire(await admin.keystoneListPermissions(new KeystoneListPermissionsRequest().withPermissionType("role")));
    assert.ok(rows(policiesOnly.roles).every((r) => (r.policy as { Version: string }).Version === "1.0"));
    const paged = wire(await admin.keystoneListPermissions(new KeystoneListPermissionsRequest().withPage(2).withPerPage(5)));
    assert.equal(rows(paged.roles).length, 5);
    assert.ok(Number(paged.total_number) > 30);
    const missing = await sdkError(admin.keystoneShowPermission(new KeystoneShowPermissionRequest().withRoleId("f".repeat(32))));
    assert.equal(missing.httpStatusCode, 404);
  });

  test("custom policies: create, list, show, update and delete; documents are checked", async () => {
    const created = wire(
      await admin.createCloudServiceCustomPolicy(
        new CreateCloudServiceCustomPolicyRequest().withBody(
          new CreateCloudServiceCustomPolicyRequestBody().withRole(
            new ServicePolicyRoleOption().withDisplayName("no-subnet-delete").withType("XA").withDescription("deny deleting subnets").withPolicy(denySubnetDelete()),
          ),
        ),
      ),
    );
    assert.equal(created.httpStatusCode, 201);
    const role = created.role as Row;
    assert.equal(role.catalog, "CUSTOMED");
    assert.equal(role.domain_id, domainId());
    assert.equal(role.name, `custom_${domainId()}_1`);
    const doc = role.policy as { Statement: { Condition?: unknown }[] };
    assert.deepEqual(doc.Statement[1]!.Condition, { StringEquals: { "g:ProjectName": ["cn-north-4"] } });

    const listed = wire(await admin.listCustomPolicies(new ListCustomPoliciesRequest()));
    assert.deepEqual(rows(listed.roles).map((r) => r.display_name), ["no-subnet-delete"]);
    const byDomain = wire(await admin.keystoneListPermissions(new KeystoneListPermissionsRequest().withDomainId(domainId())));
    assert.deepEqual(rows(byDomain.roles).map((r) => r.id), [role.id]);
    const shown = wire(await admin.showCustomPolicy(new ShowCustomPolicyRequest().withRoleId(String(role.id))));
    assert.equal((shown.role as Row).description, "deny deleting subnets");

    const updated = wire(
      await admin.updateCloudServiceCustomPolicy(
        new UpdateCloudServiceCustomPolicyRequest()
          .withRoleId(String(role.id))
          .withBody(
            new UpdateCloudServiceCustomPolicyRequestBody().withRole(
              new ServicePolicyRoleOption()
                .withDisplayName("no-subnet-delete")
                .withType("XA")
                .withDescription("v2")
                .withPolicy(new ServicePolicy().withVersion("1.1").withStatement([new ServiceStatement().withEffect("Deny").withAction(["vpc:subnets:delete", "vpc:vpcs:delete"])])),
            ),
          ),
      ),
    );
    assert.deepEqual(((updated.role as Row).policy as { Statement: { Action: string[] }[] }).Statement[0]!.Action, ["vpc:subnets:delete", "vpc:vpcs:delete"]);

    const create = (policy: ServicePolicy, type = "XA", name = "bad") =>
      sdkError(
        admin.createCloudServiceCustomPolicy(
          new CreateCloudServiceCustomPolicyRequest().withBody(
            new CreateCloudServiceCustomPolicyRequestBody().withRole(new ServicePolicyRoleOption().withDisplayName(name).withType(type).withDescription("x").withPolicy(policy)),
          ),
        ),
      );
    const stmt = (actions: string[]) => new ServiceStatement().withEffect("Allow").withAction(actions);
    assert.equal((await create(new ServicePolicy().withVersion("1.0").withStatement([stmt(["ecs:*:*"])]))).errorCode, "IAM.1024");
    assert.equal((await create(new ServicePolicy().withVersion("1.1").withStatement([stmt(["ecs:*:*"])]), "AA")).errorCode, "IAM.1009");
    assert.equal((await create(new ServicePolicy().withVersion("1.1").withStatement(Array.from({ length: 9 }, () => stmt(["ecs:*:*"]))))).errorCode, "IAM.1028");
    const badOp = await create(new ServicePolicy().withVersion("1.1").withStatement([stmt(["ecs:*:*"]).withCondition({ StringLooksLike: { "g:UserName": ["x"] } })]));
    assert.equal(badOp.httpStatusCode, 400);
    assert.match(badOp.errorMsg, /StringLooksLike/);
    const badAction = await create(new ServicePolicy().withVersion("1.1").withStatement([stmt(["ecs-servers"])]));
    assert.equal(badAction.httpStatusCode, 400);
    const dup = await create(new ServicePolicy().withVersion("1.1").withStatement([stmt(["ecs:*:*"])]), "XA", "no-subnet-delete");
    assert.equal(dup.httpStatusCode, 409);

    // An agency policy: iam:agencies:assume over /iam/agencies/... resources.
    const agencyPolicy = wire(
      await admin.createAgencyCustomPolicy(
        new CreateAgencyCustomPolicyRequest().withBody(
          new CreateAgencyCustomPolicyRequestBody().withRole(
            new AgencyPolicyRoleOption()
              .withDisplayName("assume-ops")
              .withType("AX")
              .withDescription("may assume the ops agency")
              .withPolicy(
                new AgencyPolicy()
                  .withVersion("1.1")
                  .withStatement([new AgencyPolicyStatement().withEffect("Allow").withAction(["iam:agencies:assume"]).withResource(new AgencyPolicyResource().withUri(["/iam/agencies/0123"]))]),
              ),
          ),
        ),
      ),
    );
    const agencyRole = agencyPolicy.role as Row;
    assert.equal(agencyRole.name, `custom_${domainId()}_2`);

    const deleted = wire(await admin.deleteCustomPolicy(new DeleteCustomPolicyRequest().withRoleId(String(agencyRole.id))));
    assert.equal(deleted.httpStatusCode, 200);
    const gone = await sdkError(admin.showCustomPolicy(new ShowCustomPolicyRequest().withRoleId(String(agencyRole.id))));
    assert.equal(gone.httpStatusCode, 404);
    assert.equal(gone.errorCode, "IAM.0004");
  });

  test("custom policies stay in their domain", async () => {
    const other = await startTestHwlocal({
      seed: { tenants: [{ domain: { name: "other" }, access_key: { ak: "OTHERTENANTKEY000001", sk: "otherTenantSecretKey0000000000000001" } }] },
    });
    try {
      const mine = iamClient(other.url, { ...other.admin, domainId: other.seed.domain.id });
      const created = wire(
        await mine.createCloudServiceCustomPolicy(
          new CreateCloudServiceCustomPolicyRequest().withBody(
            new CreateCloudServiceCustomPolicyRequestBody().withRole(new ServicePolicyRoleOption().withDisplayName("p").withType("XA").withDescription("d").withPolicy(denySubnetDelete())),
          ),
        ),
      );
      const id = String((created.role as Row).id);
      const tenant = other.seed.tenants![0]!;
      const theirs = iamClient(other.url, { ak: tenant.accessKey.ak, sk: tenant.accessKey.sk, domainId: tenant.domain.id });
      const seen = await sdkError(theirs.showCustomPolicy(new ShowCustomPolicyRequest().withRoleId(id)));
      assert.equal(seen.httpStatusCode, 404);
      assert.deepEqual(wire(await theirs.listCustomPolicies(new ListCustomPoliciesRequest())).roles, []);
      const perm = await sdkError(theirs.keystoneShowPermission(new KeystoneShowPermissionRequest().withRoleId(id)));
      assert.equal(perm.httpStatusCode, 404);
    } finally {
      await other.close();
    }
  });

  test("grants on all projects, role assignments, and the effective policies of a user", async () => {
    const vpcFull = String((await roleByName("VPC FullAccess")).id);
    const iamRead = String((await roleByName("IAM ReadOnlyAccess")).id);
    const custom = rows(wire(await admin.listCustomPolicies(new ListCustomPoliciesRequest())).roles)[0]!;
    await admin.updateDomainGroupInheritRole(new UpdateDomainGroupInheritRoleRequest().withDomainId(domainId()).withGroupId(groupId).withRoleId(vpcFull));
    const check = wire(await admin.keystoneCheckroleForGroup(new KeystoneCheckroleForGroupRequest().withDomainId(domainId()).withGroupId(groupId).withRoleId(vpcFull)));
    assert.equal(check.httpStatusCode, 204);
    const listed = wire(await admin.keystoneListAllProjectPermissionsForGroup(new KeystoneListAllProjectPermissionsForGroupRequest().withDomainId(domainId()).withGroupId(groupId)));
    assert.deepEqual(rows(listed.roles).map((r) => r.display_name), ["VPC FullAccess"]);
    // A global-only (AX) policy cannot be granted on all projects.
    const refused = await sdkError(admin.updateDomainGroupInheritRole(new UpdateDomainGroupInheritRoleRequest().withDomainId(domainId()).withGroupId(groupId).withRoleId(iamRead)));
    assert.equal(refused.httpStatusCode, 400);

    const project = iamProjectClient(hw.url, { ...hw.admin, projectId: hw.projectId("cn-north-4") });
    await project.keystoneAssociateGroupWithProjectPermission(new KeystoneAssociateGroupWithProjectPermissionRequest().withGroupId(groupId).withRoleId(String(custom.id)));

    const assignments = wire(await admin.showDomainRoleAssignments(new ShowDomainRoleAssignmentsRequest().withDomainId(domainId()).withSubjectGroupId(groupId)));
    const got = rows(assignments.role_assignments).map((a) => `${(a.role as Row).id}:${a.is_inherited}:${JSON.stringify(a.scope)}`);
    assert.equal(assignments.total_num, 2);
    assert.ok(got.includes(`${vpcFull}:true:${JSON.stringify({ domain: { id: domainId() } })}`));
    assert.ok(got.includes(`${custom.id}:false:${JSON.stringify({ project: { id: hw.projectId("cn-north-4") } })}`));
    const otherDomain = await sdkError(admin.showDomainRoleAssignments(new ShowDomainRoleAssignmentsRequest().withDomainId("0".repeat(32))));
    assert.equal(otherDomain.httpStatusCode, 403);

    const store = new IamStore(hw.db);
    const north = effectivePolicies(store, userId, hw.projectId("cn-north-4"));
    assert.deepEqual(north.map((p) => `${p.grantedOn}:${p.role.display_name}`).sort(), ["all-projects:VPC FullAccess", "project:no-subnet-delete"]);
    const deny = north.find((p) => p.grantedOn === "project")!.role.policy.Statement[0]!;
    assert.equal(deny.Effect, "Deny");
    const east = effectivePolicies(store, userId, hw.projectId("cn-east-3"));
    assert.deepEqual(east.map((p) => p.role.display_name), ["VPC FullAccess"]);
    assert.deepEqual(effectivePolicies(store, userId), []);

    await admin.deleteDomainGroupInheritedRole(new DeleteDomainGroupInheritedRoleRequest().withDomainId(domainId()).withGroupId(groupId).withRoleId(vpcFull));
    const gone = await sdkError(admin.keystoneCheckroleForGroup(new KeystoneCheckroleForGroupRequest().withDomainId(domainId()).withGroupId(groupId).withRoleId(vpcFull)));
    assert.equal(gone.httpStatusCode, 404);
    assert.deepEqual(effectivePolicies(new IamStore(hw.db), userId, hw.projectId("cn-east-3")), []);
  });

  test("action patterns: wildcards, case rules, and the document checks", () => {
    assert.ok(actionMatches("ecs:*:*", "ecs:cloudServers:create"));
    assert.ok(actionMatches("*:*:get*", "vpc:subnets:get"));
    assert.ok(actionMatches("*", "iam:users:createUser"));
    assert.ok(actionMatches("ecs:cloudservers:LIST", "ecs:cloudServers:list"), "resource type and operation ignore case");
    assert.ok(!actionMatches("ECS:*:*", "ecs:cloudServers:list"), "the service part is exact");
    assert.ok(actionMatches("vpc:sub?ets:delete", "vpc:subnets:delete"));
    assert.ok(!actionMatches("vpc:subnets:delete", "vpc:subnets:deleteTags"));
    assert.ok(!actionMatches("ecs:*", "ecs:cloudServers:list"));
    const doc = parsePolicyDocument({ Version: "1.1", Statement: [{ Effect: "Allow", Action: ["ecs:*:get*"], Condition: { "ForAnyValue:StringEqualsIfExists": { "g:UserName": ["a"] } } }] }, "service");
    assert.equal(doc.Statement[0]!.Effect, "Allow");
    assert.throws(() => parsePolicyDocument({ Version: "1.1", Statement: [{ Effect: "Allow", Action: ["ecs:*:*"], Resource: Array.from({ length: 11 }, () => "ecs:*:*:instance:*") }] }, "service"), { code: "IAM.1040" });
    assert.throws(() => parsePolicyDocument({ Version: "1.1", Statement: [{ Effect: "Allow", Action: Array.from({ length: 101 }, () => "ecs:*:*") }] }, "service"), { code: "IAM.1033" });
    assert.throws(() => parsePolicyDocument({ Version: "1.1", Statement: [{ Effect: "Allow", Action: ["ecs:servers:list"] }] }, "agency"), { code: "IAM.1002" });
  });
});
