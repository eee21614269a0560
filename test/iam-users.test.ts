// IAM users, groups, role grants, projects and access keys through the official IAM SDK, pointed at hwlocal
// by Region and by the variables `hwlocal env` prints. A new user's new key signs at once; what it may do
// depends on its groups.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Region } from "@huaweicloud/huaweicloud-sdk-core";
import {
  CreateCredentialOption,
  CreatePermanentAccessKeyRequest,
  CreatePermanentAccessKeyRequestBody,
  CreateUserOption,
  CreateUserRequest,
  CreateUserRequestBody,
  DeletePermanentAccessKeyRequest,
  IamClient,
  KeystoneAddUserToGroupRequest,
  KeystoneAssociateGroupWithProjectPermissionRequest,
  KeystoneCheckUserInGroupRequest,
  KeystoneCreateGroupOption,
  KeystoneCreateGroupRequest,
  KeystoneCreateGroupRequestBody,
  KeystoneCreateProjectOption,
  KeystoneCreateProjectRequest,
  KeystoneCreateProjectRequestBody,
  KeystoneCreateUserOption,
  KeystoneCreateUserRequest,
  KeystoneCreateUserRequestBody,
  KeystoneDeleteGroupRequest,
  KeystoneDeleteUserRequest,
  KeystoneListAuthDomainsRequest,
  KeystoneListAuthProjectsRequest,
  KeystoneListGroupsForUserRequest,
  KeystoneListGroupsRequest,
  KeystoneListPermissionsRequest,
  KeystoneListProjectPermissionsForGroupRequest,
  KeystoneListProjectsRequest,
  KeystoneListRegionsRequest,
  KeystoneListUsersForGroupByAdminRequest,
  KeystoneListUsersRequest,
  KeystoneRemoveUserFromGroupRequest,
  KeystoneShowCatalogRequest,
  KeystoneShowProjectRequest,
  KeystoneShowRegionRequest,
  KeystoneShowUserRequest,
  KeystoneShowVersionRequest,
  KeystoneUpdatePasswordOption,
  KeystoneUpdateUserByAdminRequest,
  KeystoneUpdateUserByAdminRequestBody,
  KeystoneUpdateUserOption,
  KeystoneUpdateUserPasswordRequest,
  KeystoneUpdateUserPasswordRequestBody,
  ListPermanentAccessKeysRequest,
  ShowPermanentAccessKeyRequest,
  ShowUserRequest,
  UpdateCredentialOption,
  UpdatePermanentAccessKeyRequest,
  UpdatePermanentAccessKeyRequestBody,
  UpdateUserOption,
  UpdateUserRequest,
  UpdateUserRequestBody,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import { envLines } from "../src/cli/env.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { iamClient, iamProjectClient, iamRegionClient, sdkError, wire } from "./helpers/sdk.ts";

type Row = Record<string, unknown>;
const rows = (v: unknown) => v as Row[];

describe("IAM users, groups, grants and keys through the SDK", () => {
  let hw: TestHwlocal;
  let admin: IamClient;
  before(async () => {
    hw = await startTestHwlocal();
    admin = iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id });
  });
  after(() => hw.close());

  async function newUser(name: string, password = "Passw0rd!"): Promise<string> {
    const res = wire(
      await admin.keystoneCreateUser(
        new KeystoneCreateUserRequest().withBody(
          new KeystoneCreateUserRequestBody().withUser(
            new KeystoneCreateUserOption().withName(name).withPassword(password).withDomainId(hw.seed.domain.id),
          ),
        ),
      ),
    );
    assert.equal(res.httpStatusCode, 201);
    return (res.user as { id: string }).id;
  }

  async function newKey(userId: string, client = admin): Promise<{ ak: string; sk: string }> {
    const res = wire(
      await client.createPermanentAccessKey(
        new CreatePermanentAccessKeyRequest().withBody(
          new CreatePermanentAccessKeyRequestBody().withCredential(new CreateCredentialOption().withUserId(userId).withDescription("ci")),
        ),
      ),
    );
    assert.equal(res.httpStatusCode, 201);
    const c = res.credential as { access: string; secret: string; status: string; user_id: string };
    assert.equal(c.status, "active");
    assert.equal(c.user_id, userId);
    return { ak: c.access, sk: c.secret };
  }

  test("the SDK pointed by Region discovers the domain id, lists regions and projects", async () => {
    const client = iamRegionClient(hw.url, "cn-north-4", hw.admin);
    const projects = wire(await client.keystoneListProjects(new KeystoneListProjectsRequest().withName("cn-north-4")));
    assert.equal(rows(projects.projects).length, 1);
    assert.equal(rows(projects.projects)[0]!.id, hw.projectId("cn-north-4"));
    assert.equal(rows(projects.projects)[0]!.domain_id, hw.seed.domain.id);
    const all = wire(await client.keystoneListProjects(new KeystoneListProjectsRequest()));
    assert.deepEqual(rows(all.projects).map((p) => p.name).sort(), hw.seed.regions.map((r) => r.id).sort());
    const regions = wire(await client.keystoneListRegions(new KeystoneListRegionsRequest()));
    assert.ok(rows(regions.regions).some((r) => r.id === "cn-north-4" && r.type === "public"));
    const region = wire(await client.keystoneShowRegion(new KeystoneShowRegionRequest().withRegionId("ap-southeast-3")));
    assert.equal((region.region as Row).id, "ap-southeast-3");
    const version = wire(await client.keystoneShowVersion(new KeystoneShowVersionRequest()));
    assert.equal((version.version as Row).id, "v3.6");
  });

  test("the SDK pointed by the variables `hwlocal env` prints works without code changes", async () => {
    const lines = await envLines(hw.url, "cn-east-3");
    const vars = Object.fromEntries(lines.map((l) => l.replace(/^export /, "").split(/=(.*)/s).slice(0, 2) as [string, string]));
    assert.equal(vars.HUAWEICLOUD_SDK_PROJECT_ID, hw.projectId("cn-east-3"));
    assert.equal(vars.HUAWEICLOUD_SDK_REGION_IAM_CN_EAST_3, `${hw.url}/iam`);
    const saved = { ...process.env };
    Object.assign(process.env, vars);
    try {
      // No withCredential: the SDK builds BasicCredentials from HUAWEICLOUD_SDK_AK/SK/PROJECT_ID.
      const client = IamClient.newBuilder().withRegion(new Region("cn-east-3", vars.HUAWEICLOUD_SDK_REGION_IAM_CN_EAST_3!)).build();
      const res = wire(await client.keystoneShowProject(new KeystoneShowProjectRequest()));
      assert.equal((res.project as Row).id, hw.projectId("cn-east-3"));
      const domains = wire(await client.keystoneListAuthDomains(new KeystoneListAuthDomainsRequest()));
      assert.equal(rows(domains.domains)[0]!.name, "hwlocal");
    } finally {
      for (const k of Object.keys(vars)) if (!(k in saved)) delete process.env[k];
    }
  });

  test("an administrator creates a user and a key; the new key signs at once with the user's rights", async () => {
    const userId = await newUser("alice");
    const key = await newKey(userId);
    const alice = iamClient(hw.url, key);
    const domains = wire(await alice.keystoneListAuthDomains(new KeystoneListAuthDomainsRequest()));
    assert.equal(rows(domains.domains)[0]!.id, hw.seed.domain.id);
    const self = wire(await alice.keystoneShowUser(new KeystoneShowUserRequest().withUserId(userId)));
    assert.equal((self.user as Row).name, "alice");
    // Alice is in no group: she may not manage IAM, nor read another user.
    const denied = await sdkError(
      alice.keystoneCreateUser(
        new KeystoneCreateUserRequest().withBody(new KeystoneCreateUserRequestBody().withUser(new KeystoneCreateUserOption().withName("mallory"))),
      ),
    );
    assert.equal(denied.httpStatusCode, 403);
    assert.equal(denied.errorCode, 403);
    const other = await sdkError(alice.keystoneShowUser(new KeystoneShowUserRequest().withUserId(hw.seed.user.id)));
    assert.equal(other.httpStatusCode, 403);
    // She lists and manages only her own keys.
    const mine = wire(await alice.listPermanentAccessKeys(new ListPermanentAccessKeysRequest()));
    assert.deepEqual(rows(mine.credentials).map((c) => c.access), [key.ak]);
    assert.equal(rows(mine.credentials)[0]!.secret, undefined);
    const second = await newKey(userId, alice);
    const third = await sdkError(newKey(userId, alice));
    assert.equal(third.httpStatusCode, 400);
    // A deleted key is refused at once.
    await alice.deletePermanentAccessKey(new DeletePermanentAccessKeyRequest().withAccessKey(second.ak));
    const gone = await sdkError(iamClient(hw.url, second).keystoneListAuthDomains(new KeystoneListAuthDomainsRequest()));
    assert.equal(gone.httpStatusCode, 401);
    assert.equal(gone.errorCode, "APIGW.0301");
  });

  test("an inactive key is refused at once and works again when reactivated; show reports last use", async () => {
    const userId = await newUser("bob");
    const key = await newKey(userId);
    const bob = iamClient(hw.url, key);
    await bob.keystoneListAuthDomains(new KeystoneListAuthDomainsRequest());
    const shown = wire(await admin.showPermanentAccessKey(new ShowPermanentAccessKeyRequest().withAccessKey(key.ak)));
    assert.notEqual((shown.credential as Row).last_use_time, "");
    const setStatus = (status: string) =>
      admin.updatePermanentAccessKey(
        new UpdatePermanentAccessKeyRequest()
          .withAccessKey(key.ak)
          .withBody(new UpdatePermanentAccessKeyRequestBody().withCredential(new UpdateCredentialOption().withStatus(status))),
      );
    const updated = wire(await setStatus("inactive"));
    assert.equal((updated.credential as Row).status, "inactive");
    const refused = await sdkError(bob.keystoneListAuthDomains(new KeystoneListAuthDomainsRequest()));
    assert.equal(refused.httpStatusCode, 401);
    assert.match(refused.errorMsg, /inactive/);
    await setStatus("active");
    assert.equal(wire(await bob.keystoneListAuthDomains(new KeystoneListAuthDomainsRequest())).httpStatusCode, 200);
    const listed = wire(await admin.listPermanentAccessKeys(new ListPermanentAccessKeysRequest().withUserId(userId)));
    assert.equal(rows(listed.credentials).length, 1);
  });

  test("groups, membership and a role on a project make a user an administrator of IAM", async () => {
    const userId = await newUser("carol");
    const key = await newKey(userId);
    const created = wire(
      await admin.keystoneCreateGroup(
        new KeystoneCreateGroupRequest().withBody(new KeystoneCreateGroupRequestBody().withGroup(new KeystoneCreateGroupOption().withName("devs").withDescription("developers"))),
      ),
    );
    assert.equal(created.httpStatusCode, 201);
    const groupId = (created.group as { id: string }).id;
    await admin.keystoneAddUserToGroup(new KeystoneAddUserToGroupRequest().withGroupId(groupId).withUserId(userId));
    assert.equal(wire(await admin.keystoneCheckUserInGroup(new KeystoneCheckUserInGroupRequest().withGroupId(groupId).withUserId(userId))).httpStatusCode, 204);
    const members = wire(await admin.keystoneListUsersForGroupByAdmin(new KeystoneListUsersForGroupByAdminRequest().withGroupId(groupId)));
    assert.deepEqual(rows(members.users).map((u) => u.name), ["carol"]);
    const groupsOfCarol = wire(await admin.keystoneListGroupsForUser(new KeystoneListGroupsForUserRequest().withUserId(userId)));
    assert.deepEqual(rows(groupsOfCarol.groups).map((g) => g.name), ["devs"]);
    const listed = wire(await admin.keystoneListGroups(new KeystoneListGroupsRequest()));
    assert.deepEqual(rows(listed.groups).map((g) => g.name).sort(), ["admin", "devs"]);

    // Grant ECS FullAccess on cn-north-4: the project id comes from BasicCredentials, as in the SDK.
    const roles = wire(await admin.keystoneListPermissions(new KeystoneListPermissionsRequest().withDisplayName("ECS FullAccess")));
    const roleId = String(rows(roles.roles)[0]!.id);
    const projectAdmin = iamProjectClient(hw.url, { ...hw.admin, projectId: hw.projectId("cn-north-4") });
    await projectAdmin.keystoneAssociateGroupWithProjectPermission(
      new KeystoneAssociateGroupWithProjectPermissionRequest().withGroupId(groupId).withRoleId(roleId),
    );
    const granted = wire(await projectAdmin.keystoneListProjectPermissionsForGroup(new KeystoneListProjectPermissionsForGroupRequest().withGroupId(groupId)));
    assert.deepEqual(rows(granted.roles).map((r) => r.display_name), ["ECS FullAccess"]);
    const carol = iamClient(hw.url, key);
    const projects = wire(await carol.keystoneListAuthProjects(new KeystoneListAuthProjectsRequest()));
    assert.deepEqual(rows(projects.projects).map((p) => p.name), ["cn-north-4"]);

    // Joining the admin group makes her an IAM administrator.
    const adminGroup = rows(listed.groups).find((g) => g.name === "admin")!;
    await admin.keystoneAddUserToGroup(new KeystoneAddUserToGroupRequest().withGroupId(String(adminGroup.id)).withUserId(userId));
    const users = wire(await carol.keystoneListUsers(new KeystoneListUsersRequest()));
    assert.ok(rows(users.users).some((u) => u.name === "carol"));
    await admin.keystoneRemoveUserFromGroup(new KeystoneRemoveUserFromGroupRequest().withGroupId(String(adminGroup.id)).withUserId(userId));
    assert.equal((await sdkError(carol.keystoneListUsers(new KeystoneListUsersRequest()))).httpStatusCode, 403);
    await admin.keystoneDeleteGroup(new KeystoneDeleteGroupRequest().withGroupId(groupId));
    const noGroup = await sdkError(admin.keystoneListUsersForGroupByAdmin(new KeystoneListUsersForGroupByAdminRequest().withGroupId(groupId)));
    assert.equal(noGroup.httpStatusCode, 404);
  });

  test("OS-USER users, updates, password change and delete", async () => {
    const created = wire(
      await admin.createUser(
        new CreateUserRequest().withBody(
          new CreateUserRequestBody().withUser(
            new CreateUserOption().withName("dave").withDomainId(hw.seed.domain.id).withPassword("Start123!").withEmail("dave@example.com").withAccessMode("programmatic"),
          ),
        ),
      ),
    );
    assert.equal(created.httpStatusCode, 201);
    const dave = created.user as { id: string; access_mode: string; email: string };
    assert.equal(dave.access_mode, "programmatic");
    assert.equal(dave.email, "dave@example.com");
    const dup = await sdkError(
      admin.createUser(new CreateUserRequest().withBody(new CreateUserRequestBody().withUser(new CreateUserOption().withName("dave").withDomainId(hw.seed.domain.id)))),
    );
    assert.equal(dup.httpStatusCode, 409);
    assert.equal(dup.errorCode, "1109");
    const updated = wire(
      await admin.updateUser(new UpdateUserRequest().withUserId(dave.id).withBody(new UpdateUserRequestBody().withUser(new UpdateUserOption().withDescription("ops")))),
    );
    assert.equal((updated.user as Row).description, "ops");
    const shown = wire(await admin.showUser(new ShowUserRequest().withUserId(dave.id)));
    assert.equal((shown.user as Row).domain_name, "hwlocal");

    // Dave changes his own password; the old one stops working, the new one issues tokens.
    const key = await newKey(dave.id);
    const daveClient = iamClient(hw.url, key);
    await daveClient.keystoneUpdateUserPassword(
      new KeystoneUpdateUserPasswordRequest()
        .withUserId(dave.id)
        .withBody(new KeystoneUpdateUserPasswordRequestBody().withUser(new KeystoneUpdatePasswordOption().withPassword("Changed456!").withOriginalPassword("Start123!"))),
    );
    const body = (password: string) => ({
      auth: { identity: { methods: ["password"], password: { user: { name: "dave", password, domain: { name: "hwlocal" } } } } },
    });
    assert.equal((await hw.call("POST", "/iam/v3/auth/tokens", { creds: null, body: body("Start123!") })).status, 401);
    assert.equal((await hw.call("POST", "/iam/v3/auth/tokens", { creds: null, body: body("Changed456!") })).status, 201);
    const weak = await sdkError(
      admin.keystoneUpdateUserByAdmin(
        new KeystoneUpdateUserByAdminRequest().withUserId(dave.id).withBody(new KeystoneUpdateUserByAdminRequestBody().withUser(new KeystoneUpdateUserOption().withPassword("short"))),
      ),
    );
    assert.equal(weak.httpStatusCode, 400);
    // Disabling a user stops its keys at once.
    await admin.keystoneUpdateUserByAdmin(
      new KeystoneUpdateUserByAdminRequest().withUserId(dave.id).withBody(new KeystoneUpdateUserByAdminRequestBody().withUser(new KeystoneUpdateUserOption().withEnabled(false))),
    );
    assert.equal((await sdkError(daveClient.keystoneListAuthDomains(new KeystoneListAuthDomainsRequest()))).httpStatusCode, 401);
    await admin.keystoneDeleteUser(new KeystoneDeleteUserRequest().withUserId(dave.id));
    assert.equal((await sdkError(admin.keystoneShowUser(new KeystoneShowUserRequest().withUserId(dave.id)))).httpStatusCode, 404);
  });

  test("projects: create a sub-project, catalog, and the SDK's discovery creates a missing region project", async () => {
    const created = wire(
      await admin.keystoneCreateProject(
        new KeystoneCreateProjectRequest().withBody(
          new KeystoneCreateProjectRequestBody().withProject(new KeystoneCreateProjectOption().withName("cn-north-4_team").withParentId(hw.projectId("cn-north-4"))),
        ),
      ),
    );
    assert.equal(created.httpStatusCode, 201);
    assert.equal((created.project as Row).parent_id, hw.projectId("cn-north-4"));
    const badName = await sdkError(
      admin.keystoneCreateProject(new KeystoneCreateProjectRequest().withBody(new KeystoneCreateProjectRequestBody().withProject(new KeystoneCreateProjectOption().withName("mars-1")))),
    );
    assert.equal(badName.httpStatusCode, 400);
    const catalog = wire(await admin.keystoneShowCatalog(new KeystoneShowCatalogRequest()));
    assert.ok(rows(catalog.catalog).some((c) => c.type === "identity"));

    // cn-north-9 has no project yet: the SDK lists, finds none, reads regions and domains, then creates it.
    const { BasicCredentials } = await import("@huaweicloud/huaweicloud-sdk-core");
    const userId = await newUser("erin");
    const adminGroup = rows(wire(await admin.keystoneListGroups(new KeystoneListGroupsRequest().withName("admin"))).groups)[0]!;
    await admin.keystoneAddUserToGroup(new KeystoneAddUserToGroupRequest().withGroupId(String(adminGroup.id)).withUserId(userId));
    const key = await newKey(userId);
    const client = IamClient.newBuilder()
      .withCredential(new BasicCredentials().withAk(key.ak).withSk(key.sk).withIamEndpoint(`${hw.url}/iam`))
      .withRegion(new Region("cn-north-9", `${hw.url}/iam`))
      .build();
    const shown = wire(await client.keystoneShowProject(new KeystoneShowProjectRequest()));
    assert.equal((shown.project as Row).name, "cn-north-9");
    const listed = wire(await admin.keystoneListProjects(new KeystoneListProjectsRequest().withName("cn-north-9")));
    assert.equal(rows(listed.projects).length, 1);
  });
});
