// The rest of IAM through the official SDK: group details, role grants on projects and on the domain
// (associate, check, list, remove), a user's projects, project updates, and the version documents.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  IamClient,
  KeystoneAddUserToGroupRequest,
  KeystoneAssociateGroupWithDomainPermissionRequest,
  KeystoneAssociateGroupWithProjectPermissionRequest,
  KeystoneCheckDomainPermissionForGroupRequest,
  KeystoneCheckProjectPermissionForGroupRequest,
  KeystoneCreateGroupOption,
  KeystoneCreateGroupRequest,
  KeystoneCreateGroupRequestBody,
  KeystoneCreateUserOption,
  KeystoneCreateUserRequest,
  KeystoneCreateUserRequestBody,
  KeystoneListDomainPermissionsForGroupRequest,
  KeystoneListPermissionsRequest,
  KeystoneListProjectsForUserRequest,
  KeystoneListVersionsRequest,
  KeystoneRemoveDomainPermissionFromGroupRequest,
  KeystoneRemoveProjectPermissionFromGroupRequest,
  KeystoneShowGroupRequest,
  KeystoneShowPermissionRequest,
  KeystoneUpdateGroupOption,
  KeystoneUpdateGroupRequest,
  KeystoneUpdateGroupRequestBody,
  KeystoneUpdateProjectOption,
  KeystoneUpdateProjectRequest,
  KeystoneUpdateProjectRequestBody,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { iamClient, iamProjectClient, sdkError, wire } from "./helpers/sdk.ts";

type Row = Record<string, unknown>;
const rows = (v: unknown) => v as Row[];

describe("IAM grants and the remaining operations", () => {
  let hw: TestHwlocal;
  let admin: IamClient;
  let groupId: string;
  let userId: string;
  const roleId = async (displayName: string) =>
    String(rows(wire(await admin.keystoneListPermissions(new KeystoneListPermissionsRequest().withDisplayName(displayName))).roles)[0]!.id);

  before(async () => {
    hw = await startTestHwlocal();
    admin = iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id });
    const g = wire(
      await admin.keystoneCreateGroup(
        new KeystoneCreateGroupRequest().withBody(new KeystoneCreateGroupRequestBody().withGroup(new KeystoneCreateGroupOption().withName("ops"))),
      ),
    );
    groupId = String((g.group as Row).id);
    const u = wire(
      await admin.keystoneCreateUser(
        new KeystoneCreateUserRequest().withBody(new KeystoneCreateUserRequestBody().withUser(new KeystoneCreateUserOption().withName("frank").withPassword("Frank#2026"))),
      ),
    );
    userId = String((u.user as Row).id);
    await admin.keystoneAddUserToGroup(new KeystoneAddUserToGroupRequest().withGroupId(groupId).withUserId(userId));
  });
  after(() => hw.close());

  test("show and update a group; the admin group cannot be renamed", async () => {
    const shown = wire(await admin.keystoneShowGroup(new KeystoneShowGroupRequest().withGroupId(groupId)));
    assert.equal((shown.group as Row).name, "ops");
    assert.equal(typeof (shown.group as Row).create_time, "number");
    const updated = wire(
      await admin.keystoneUpdateGroup(
        new KeystoneUpdateGroupRequest()
          .withGroupId(groupId)
          .withBody(new KeystoneUpdateGroupRequestBody().withGroup(new KeystoneUpdateGroupOption().withDescription("operations"))),
      ),
    );
    assert.equal((updated.group as Row).description, "operations");
    const adminGroup = (await hw.call("GET", "/iam/v3/groups", { query: { name: "admin" } })).json.groups as Row[];
    const rename = await sdkError(
      admin.keystoneUpdateGroup(
        new KeystoneUpdateGroupRequest()
          .withGroupId(String(adminGroup[0]!.id))
          .withBody(new KeystoneUpdateGroupRequestBody().withGroup(new KeystoneUpdateGroupOption().withName("root"))),
      ),
    );
    assert.equal(rename.httpStatusCode, 403);
  });

  test("roles: show a system role; grant, check, list and remove it on a project", async () => {
    const id = await roleId("VPC FullAccess");
    const shown = wire(await admin.keystoneShowPermission(new KeystoneShowPermissionRequest().withRoleId(id)));
    const role = shown.role as { name: string; type: string; policy: { Version: string } };
    assert.equal(role.type, "XA");
    assert.equal(role.policy.Version, "1.1");
    const project = iamProjectClient(hw.url, { ...hw.admin, projectId: hw.projectId("cn-south-1") });
    await project.keystoneAssociateGroupWithProjectPermission(new KeystoneAssociateGroupWithProjectPermissionRequest().withGroupId(groupId).withRoleId(id));
    const check = wire(await project.keystoneCheckProjectPermissionForGroup(new KeystoneCheckProjectPermissionForGroupRequest().withGroupId(groupId).withRoleId(id)));
    assert.equal(check.httpStatusCode, 204);
    const mine = wire(await admin.keystoneListProjectsForUser(new KeystoneListProjectsForUserRequest().withUserId(userId)));
    assert.deepEqual(rows(mine.projects).map((p) => p.name), ["cn-south-1"]);
    await project.keystoneRemoveProjectPermissionFromGroup(new KeystoneRemoveProjectPermissionFromGroupRequest().withGroupId(groupId).withRoleId(id));
    const gone = await sdkError(project.keystoneCheckProjectPermissionForGroup(new KeystoneCheckProjectPermissionForGroupRequest().withGroupId(groupId).withRoleId(id)));
    assert.equal(gone.httpStatusCode, 404);
    // A domain-only role is refused on a project.
    const domainOnly = await roleId("Security Administrator");
    const refused = await sdkError(
      project.keystoneAssociateGroupWithProjectPermission(new KeystoneAssociateGroupWithProjectPermissionRequest().withGroupId(groupId).withRoleId(domainOnly)),
    );
    assert.equal(refused.httpStatusCode, 400);
  });

  test("roles on the domain: grant, check, list and remove", async () => {
    const id = await roleId("IAM ReadOnlyAccess");
    const domainId = hw.seed.domain.id;
    await admin.keystoneAssociateGroupWithDomainPermission(
      new KeystoneAssociateGroupWithDomainPermissionRequest().withDomainId(domainId).withGroupId(groupId).withRoleId(id),
    );
    const check = wire(
      await admin.keystoneCheckDomainPermissionForGroup(new KeystoneCheckDomainPermissionForGroupRequest().withDomainId(domainId).withGroupId(groupId).withRoleId(id)),
    );
    assert.equal(check.httpStatusCode, 204);
    const listed = wire(await admin.keystoneListDomainPermissionsForGroup(new KeystoneListDomainPermissionsForGroupRequest().withDomainId(domainId).withGroupId(groupId)));
    assert.deepEqual(rows(listed.roles).map((r) => r.display_name), ["IAM ReadOnlyAccess"]);
    // The grant shows in the user's domain-scoped token.
    const token = await hw.call("POST", "/iam/v3/auth/tokens", {
      creds: null,
      body: { auth: { identity: { methods: ["password"], password: { user: { name: "frank", password: "Frank#2026", domain: { name: "hwlocal" } } } } } },
    });
    assert.deepEqual((token.json.token as { roles: Row[] }).roles.map((r) => r.name), ["system_all_hwlocal_iam_read"]);
    await admin.keystoneRemoveDomainPermissionFromGroup(
      new KeystoneRemoveDomainPermissionFromGroupRequest().withDomainId(domainId).withGroupId(groupId).withRoleId(id),
    );
    const after = wire(await admin.keystoneListDomainPermissionsForGroup(new KeystoneListDomainPermissionsForGroupRequest().withDomainId(domainId).withGroupId(groupId)));
    assert.deepEqual(after.roles, []);
    // Another domain's id in the path is refused.
    const other = await sdkError(
      admin.keystoneListDomainPermissionsForGroup(new KeystoneListDomainPermissionsForGroupRequest().withDomainId("0".repeat(32)).withGroupId(groupId)),
    );
    assert.equal(other.httpStatusCode, 403);
  });

  test("update a sub-project's description; region projects keep their names", async () => {
    const created = await hw.call("POST", "/iam/v3/projects", { body: { project: { name: "cn-east-3_qa" } } });
    assert.equal(created.status, 201);
    const projectId = String((created.json.project as Row).id);
    const client = iamProjectClient(hw.url, { ...hw.admin, projectId });
    const updated = wire(
      await client.keystoneUpdateProject(
        new KeystoneUpdateProjectRequest().withBody(new KeystoneUpdateProjectRequestBody().withProject(new KeystoneUpdateProjectOption().withDescription("quality"))),
      ),
    );
    assert.equal((updated.project as Row).description, "quality");
    const region = iamProjectClient(hw.url, { ...hw.admin, projectId: hw.projectId("cn-east-3") });
    const rename = await sdkError(
      region.keystoneUpdateProject(
        new KeystoneUpdateProjectRequest().withBody(new KeystoneUpdateProjectRequestBody().withProject(new KeystoneUpdateProjectOption().withName("cn-east-3_x"))),
      ),
    );
    assert.equal(rename.httpStatusCode, 400);
  });

  test("version documents: GET / answers 300 Multiple Choices as Huawei documents, GET /v3 200", async () => {
    const list = await hw.call("GET", "/iam/", { creds: null });
    assert.equal(list.status, 300);
    const values = (list.json.versions as { values: { id: string; status: string }[] }).values;
    assert.deepEqual(values.map((v) => [v.id, v.status]), [["v3.6", "stable"]]);
    // The SDK treats 300 as an error, as it would against the cloud.
    const e = await sdkError(admin.keystoneListVersions(new KeystoneListVersionsRequest()));
    assert.equal(e.httpStatusCode, 300);
    const v3 = await hw.call("GET", "/iam/v3", { creds: null });
    assert.equal(v3.status, 200);
    assert.equal((v3.json.version as Row).id, "v3.6");
  });
});
