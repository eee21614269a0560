// IAM v5 users, groups, access keys, login profiles and the caller's password through the official v5 SDK
// client; v5 and /v3 see the same users.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GlobalCredentials } from "@huaweicloud/huaweicloud-sdk-core";
// The v5 entry of the SDK package cannot be imported (reference sdk-wire-facts §0): client and models come
// from their own files.
import { AccessKeyStatus } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/AccessKeyStatus.js";
import { AddUserToGroupReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/AddUserToGroupReqBody.js";
import { AddUserToGroupV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/AddUserToGroupV5Request.js";
import { ChangePasswordReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ChangePasswordReqBody.js";
import { ChangePasswordV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ChangePasswordV5Request.js";
import { CreateAccessKeyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateAccessKeyV5Request.js";
import { CreateGroupReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateGroupReqBody.js";
import { CreateGroupV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateGroupV5Request.js";
import { CreateLoginProfileReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateLoginProfileReqBody.js";
import { CreateLoginProfileV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateLoginProfileV5Request.js";
import { CreateUserReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateUserReqBody.js";
import { CreateUserV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateUserV5Request.js";
import { DeleteAccessKeyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DeleteAccessKeyV5Request.js";
import { DeleteGroupV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DeleteGroupV5Request.js";
import { DeleteLoginProfileV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DeleteLoginProfileV5Request.js";
import { DeleteUserV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DeleteUserV5Request.js";
import { IamClient } from "@huaweicloud/huaweicloud-sdk-iam/v5/IamClient.js";
import { ListAccessKeysV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ListAccessKeysV5Request.js";
import { ListGroupsV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ListGroupsV5Request.js";
import { ListUsersV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ListUsersV5Request.js";
import { RemoveUserFromGroupReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/RemoveUserFromGroupReqBody.js";
import { RemoveUserFromGroupV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/RemoveUserFromGroupV5Request.js";
import { ShowAccessKeyLastUsedV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ShowAccessKeyLastUsedV5Request.js";
import { ShowGroupV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ShowGroupV5Request.js";
import { ShowLoginProfileV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ShowLoginProfileV5Request.js";
import { ShowUserLastLoginV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ShowUserLastLoginV5Request.js";
import { ShowUserV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ShowUserV5Request.js";
import { UpdateAccessKeyReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdateAccessKeyReqBody.js";
import { UpdateAccessKeyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdateAccessKeyV5Request.js";
import { UpdateGroupReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdateGroupReqBody.js";
import { UpdateGroupV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdateGroupV5Request.js";
import { UpdateLoginProfileReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdateLoginProfileReqBody.js";
import { UpdateLoginProfileV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdateLoginProfileV5Request.js";
import { UpdateUserReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdateUserReqBody.js";
import { UpdateUserV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdateUserV5Request.js";
import {
  KeystoneAssociateGroupWithDomainPermissionRequest,
  KeystoneListPermissionsRequest,
  KeystoneShowUserRequest,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { iamClient, sdkError, wire } from "./helpers/sdk.ts";

type Row = Record<string, unknown>;

export function iamV5Client(url: string, creds: { ak: string; sk: string; domainId: string }): IamClient {
  const cred = new GlobalCredentials().withAk(creds.ak).withSk(creds.sk).withDomainId(creds.domainId);
  return IamClient.newBuilder().withCredential(cred).withEndpoint(`${url}/iam`).build();
}

describe("IAM v5 users and groups", () => {
  let hw: TestHwlocal;
  let v5: IamClient;
  let userId: string;

  before(async () => {
    hw = await startTestHwlocal();
    v5 = iamV5Client(hw.url, { ...hw.admin, domainId: hw.seed.domain.id });
  });
  after(() => hw.close());

  test("users: create, list with paging, show, update, last login; /v3 sees them", async () => {
    const created = wire(await v5.createUserV5(new CreateUserV5Request().withBody(new CreateUserReqBody().withName("vera").withDescription("v5 user"))));
    assert.equal(created.httpStatusCode, 201);
    const user = created.user as Row;
    userId = String(user.user_id);
    assert.equal(user.urn, `iam::${hw.seed.domain.id}:user:vera`);
    assert.equal(user.enabled, true);
    await v5.createUserV5(new CreateUserV5Request().withBody(new CreateUserReqBody().withName("walt")));
    const first = wire(await v5.listUsersV5(new ListUsersV5Request().withLimit(2)));
    assert.equal((first.users as Row[]).length, 2);
    const next = (first.page_info as Row).next_marker;
    assert.equal(typeof next, "string");
    const second = wire(await v5.listUsersV5(new ListUsersV5Request().withLimit(2).withMarker(String(next))));
    assert.deepEqual((second.users as Row[]).map((u) => u.user_name), ["walt"]);
    assert.equal((second.page_info as Row).next_marker, null);

    const updated = wire(await v5.updateUserV5(new UpdateUserV5Request().withUserId(userId).withBody(new UpdateUserReqBody().withNewDescription("renamed").withNewUserName("vera2"))));
    assert.equal((updated.user as Row).user_name, "vera2");
    const v3 = iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id });
    assert.equal((wire(await v3.keystoneShowUser(new KeystoneShowUserRequest().withUserId(userId))).user as Row).description, "renamed");
    const shown = wire(await v5.showUserV5(new ShowUserV5Request().withUserId(userId)));
    assert.deepEqual((shown.user as Row).tags, []);
    assert.deepEqual(wire(await v5.showUserLastLoginV5(new ShowUserLastLoginV5Request().withUserId(userId))).user_last_login, { last_login_at: null });
    const dup = await sdkError(v5.createUserV5(new CreateUserV5Request().withBody(new CreateUserReqBody().withName("walt"))));
    assert.equal(dup.httpStatusCode, 409);
    assert.equal((await sdkError(v5.showUserV5(new ShowUserV5Request().withUserId("0".repeat(32))))).httpStatusCode, 404);
  });

  test("login profile and the caller's password", async () => {
    assert.equal((await sdkError(v5.showLoginProfileV5(new ShowLoginProfileV5Request().withUserId(userId)))).httpStatusCode, 404);
    const weak = await sdkError(v5.createLoginProfileV5(new CreateLoginProfileV5Request().withUserId(userId).withBody(new CreateLoginProfileReqBody().withPassword("short"))));
    assert.equal(weak.httpStatusCode, 400);
    const profile = wire(await v5.createLoginProfileV5(new CreateLoginProfileV5Request().withUserId(userId).withBody(new CreateLoginProfileReqBody().withPassword("Vera-2026-pw").withPasswordResetRequired(true))));
    assert.equal((profile.login_profile as Row).password_reset_required, true);
    const login = (password: string) =>
      hw.call("POST", "/iam/v3/auth/tokens", { creds: null, body: { auth: { identity: { methods: ["password"], password: { user: { name: "vera2", password, domain: { name: "hwlocal" } } } } } } });
    assert.equal((await login("Vera-2026-pw")).status, 201);
    await v5.updateLoginProfileV5(new UpdateLoginProfileV5Request().withUserId(userId).withBody(new UpdateLoginProfileReqBody().withPassword("Vera-2027-pw")));
    assert.equal((await login("Vera-2026-pw")).status, 401);

    // The user changes its own password with its own key. Outside the admin group a caller needs a policy that
    // lets it through the gateway's authorization: its group holds Security Administrator on the domain.
    const group = wire(await v5.createGroupV5(new CreateGroupV5Request().withBody(new CreateGroupReqBody().withGroupName("secadmins")))).group as Row;
    await v5.addUserToGroupV5(new AddUserToGroupV5Request().withGroupId(String(group.group_id)).withBody(new AddUserToGroupReqBody().withUserId(userId)));
    const v3 = iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id });
    const secAdmin = (wire(await v3.keystoneListPermissions(new KeystoneListPermissionsRequest().withDisplayName("Security Administrator"))).roles as Row[])[0]!;
    await v3.keystoneAssociateGroupWithDomainPermission(
      new KeystoneAssociateGroupWithDomainPermissionRequest().withDomainId(hw.seed.domain.id).withGroupId(String(group.group_id)).withRoleId(String(secAdmin.id)),
    );
    const key = wire(await v5.createAccessKeyV5(new CreateAccessKeyV5Request().withUserId(userId))).access_key as Row;
    const self = iamV5Client(hw.url, { ak: String(key.access_key_id), sk: String(key.secret_access_key), domainId: hw.seed.domain.id });
    const wrongOld = await sdkError(self.changePasswordV5(new ChangePasswordV5Request().withBody(new ChangePasswordReqBody().withOldPassword("nope").withNewPassword("Vera-2028-pw"))));
    assert.equal(wrongOld.httpStatusCode, 401);
    await self.changePasswordV5(new ChangePasswordV5Request().withBody(new ChangePasswordReqBody().withOldPassword("Vera-2027-pw").withNewPassword("Vera-2028-pw")));
    assert.equal((await login("Vera-2028-pw")).status, 201);
    // A user outside the admin group may not remove login profiles, whatever its policies.
    const refused = await sdkError(self.deleteLoginProfileV5(new DeleteLoginProfileV5Request().withUserId(userId)));
    assert.equal(refused.httpStatusCode, 403);
    await v5.deleteLoginProfileV5(new DeleteLoginProfileV5Request().withUserId(userId));
    assert.equal((await login("Vera-2028-pw")).status, 401);
  });

  test("access keys: create, list, deactivate, last use, delete, quota", async () => {
    const listed = wire(await v5.listAccessKeysV5(new ListAccessKeysV5Request().withUserId(userId)));
    const keys = listed.access_keys as Row[];
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.secret_access_key, undefined);
    const ak = String(keys[0]!.access_key_id);
    await v5.createAccessKeyV5(new CreateAccessKeyV5Request().withUserId(userId));
    const third = await sdkError(v5.createAccessKeyV5(new CreateAccessKeyV5Request().withUserId(userId)));
    assert.equal(third.httpStatusCode, 400);
    const off = wire(
      await v5.updateAccessKeyV5(new UpdateAccessKeyV5Request().withUserId(userId).withAccessKeyId(ak).withBody(new UpdateAccessKeyReqBody().withStatus("inactive" as unknown as AccessKeyStatus))),
    );
    assert.equal((off.access_key as Row).status, "inactive");
    const used = wire(await v5.showAccessKeyLastUsedV5(new ShowAccessKeyLastUsedV5Request().withUserId(userId).withAccessKeyId(ak)));
    assert.equal(typeof (used.access_key_last_used as Row).last_used_at, "string");
    await v5.deleteAccessKeyV5(new DeleteAccessKeyV5Request().withUserId(userId).withAccessKeyId(ak));
    assert.equal((await sdkError(v5.deleteAccessKeyV5(new DeleteAccessKeyV5Request().withUserId(userId).withAccessKeyId(ak)))).httpStatusCode, 404);
  });

  test("groups: create, list, show, update, membership, delete", async () => {
    const g = wire(await v5.createGroupV5(new CreateGroupV5Request().withBody(new CreateGroupReqBody().withGroupName("builders").withDescription("b")))).group as Row;
    const groupId = String(g.group_id);
    assert.equal(g.urn, `iam::${hw.seed.domain.id}:group:builders`);
    await v5.addUserToGroupV5(new AddUserToGroupV5Request().withGroupId(groupId).withBody(new AddUserToGroupReqBody().withUserId(userId)));
    const mine = wire(await v5.listGroupsV5(new ListGroupsV5Request().withUserId(userId)));
    assert.deepEqual((mine.groups as Row[]).map((x) => x.group_name), ["secadmins", "builders"]);
    const members = wire(await v5.listUsersV5(new ListUsersV5Request().withGroupId(groupId)));
    assert.deepEqual((members.users as Row[]).map((u) => u.user_id), [userId]);
    const renamed = wire(await v5.updateGroupV5(new UpdateGroupV5Request().withGroupId(groupId).withBody(new UpdateGroupReqBody().withNewGroupName("makers"))));
    assert.equal((renamed.group as Row).group_name, "makers");
    assert.equal((wire(await v5.showGroupV5(new ShowGroupV5Request().withGroupId(groupId))).group as Row).group_name, "makers");
    await v5.removeUserFromGroupV5(new RemoveUserFromGroupV5Request().withGroupId(groupId).withBody(new RemoveUserFromGroupReqBody().withUserId(userId)));
    const again = await sdkError(v5.removeUserFromGroupV5(new RemoveUserFromGroupV5Request().withGroupId(groupId).withBody(new RemoveUserFromGroupReqBody().withUserId(userId))));
    assert.equal(again.httpStatusCode, 404);
    await v5.deleteGroupV5(new DeleteGroupV5Request().withGroupId(groupId));
    assert.equal((await sdkError(v5.showGroupV5(new ShowGroupV5Request().withGroupId(groupId)))).httpStatusCode, 404);
    await v5.deleteUserV5(new DeleteUserV5Request().withUserId(userId));
    assert.equal((await sdkError(v5.showUserV5(new ShowUserV5Request().withUserId(userId)))).httpStatusCode, 404);
    const self = await sdkError(v5.deleteUserV5(new DeleteUserV5Request().withUserId(hw.seed.user.id)));
    assert.equal(self.httpStatusCode, 403);
  });
});
