// IAM v5 account settings through the official v5 SDK client: summary, switches, password/login/token
// policies (the password policy shared with /v3.0 and enforced), virtual MFA devices with TOTP codes, tags,
// and service principals.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GlobalCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import { ShowDomainPasswordPolicyRequest } from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
// The v5 entry of the SDK package cannot be imported (reference sdk-wire-facts §0): client and models come
// from their own files.
import { IamClient } from "@huaweicloud/huaweicloud-sdk-iam/v5/IamClient.js";
import { AllowIpRange } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/AllowIpRange.js";
import { AsymmetricSignature } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/AsymmetricSignature.js";
import { CreateUserReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateUserReqBody.js";
import { CreateUserV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateUserV5Request.js";
import { CreateVirtualMfaDeviceReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateVirtualMfaDeviceReqBody.js";
import { CreateVirtualMfaDeviceV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateVirtualMfaDeviceV5Request.js";
import { DeleteResourceTagsV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DeleteResourceTagsV5Request.js";
import { DeleteVirtualMfaDeviceV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DeleteVirtualMfaDeviceV5Request.js";
import { DisableMfaDeviceReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DisableMfaDeviceReqBody.js";
import { DisableMfaDeviceV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DisableMfaDeviceV5Request.js";
import { EnableMfaDeviceReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/EnableMfaDeviceReqBody.js";
import { EnableMfaDeviceV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/EnableMfaDeviceV5Request.js";
import { GetAccountSummaryV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/GetAccountSummaryV5Request.js";
import { GetAsymmetricSignatureSwitchV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/GetAsymmetricSignatureSwitchV5Request.js";
import { GetFeatureStatusV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/GetFeatureStatusV5Request.js";
import { ListMfaDevicesV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ListMfaDevicesV5Request.js";
import { ListResourceTagsV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ListResourceTagsV5Request.js";
import { ListServicePrincipalsV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ListServicePrincipalsV5Request.js";
import { SetAsymmetricSignatureReq } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/SetAsymmetricSignatureReq.js";
import { SetAsymmetricSignatureSwitchV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/SetAsymmetricSignatureSwitchV5Request.js";
import { ShowLoginPolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ShowLoginPolicyV5Request.js";
import { ShowPasswordPolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ShowPasswordPolicyV5Request.js";
import { ShowTokenPolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ShowTokenPolicyV5Request.js";
import { Tag } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/Tag.js";
import { TagResourceV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/TagResourceV5Request.js";
import { Tags } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/Tags.js";
import { UpdateLoginPolicyReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdateLoginPolicyReqBody.js";
import { UpdateLoginPolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdateLoginPolicyV5Request.js";
import { UpdatePasswordPolicyReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdatePasswordPolicyReqBody.js";
import { UpdatePasswordPolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdatePasswordPolicyV5Request.js";
import { UpdateTokenPolicyReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdateTokenPolicyReqBody.js";
import { UpdateTokenPolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdateTokenPolicyV5Request.js";
import { totpCode } from "../src/services/iam/totp.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { iamClient, sdkError, wire } from "./helpers/sdk.ts";

type Row = Record<string, unknown>;

describe("IAM v5 account settings", () => {
  let hw: TestHwlocal;
  let v5: IamClient;
  let userId: string;

  before(async () => {
    hw = await startTestHwlocal();
    const cred = new GlobalCredentials().withAk(hw.admin.ak).withSk(hw.admin.sk).withDomainId(hw.seed.domain.id);
    v5 = IamClient.newBuilder().withCredential(cred).withEndpoint(`${hw.url}/iam`).build();
    userId = String((wire(await v5.createUserV5(new CreateUserV5Request().withBody(new CreateUserReqBody().withName("tess")))).user as Row).user_id);
  });
  after(() => hw.close());

  test("summary, feature and asymmetric-signature switches", async () => {
    const summary = wire(await v5.getAccountSummaryV5(new GetAccountSummaryV5Request()));
    assert.equal(summary.users, 2);
    assert.equal(summary.groups, 1);
    assert.equal(summary.versions_per_policy_quota, 5);
    assert.equal(summary.root_user_mfa_enabled, false);
    assert.equal(wire(await v5.getFeatureStatusV5(new GetFeatureStatusV5Request().withFeatureName("v5_console"))).feature_status, "on");
    assert.equal((await sdkError(v5.getFeatureStatusV5(new GetFeatureStatusV5Request().withFeatureName("teleport")))).httpStatusCode, 404);
    assert.equal(wire(await v5.getAsymmetricSignatureSwitchV5(new GetAsymmetricSignatureSwitchV5Request())).asymmetric_signature, "off");
    await v5.setAsymmetricSignatureSwitchV5(new SetAsymmetricSignatureSwitchV5Request().withBody(new SetAsymmetricSignatureReq().withAsymmetricSignature("on" as unknown as AsymmetricSignature)));
    assert.equal(wire(await v5.getAsymmetricSignatureSwitchV5(new GetAsymmetricSignatureSwitchV5Request())).asymmetric_signature, "on");
    const bad = await sdkError(v5.setAsymmetricSignatureSwitchV5(new SetAsymmetricSignatureSwitchV5Request().withBody(new SetAsymmetricSignatureReq().withAsymmetricSignature("maybe" as unknown as AsymmetricSignature))));
    assert.equal(bad.httpStatusCode, 400);
  });

  test("password, login and token policies; the password policy is the /v3.0 one", async () => {
    const shown = wire(await v5.showPasswordPolicyV5(new ShowPasswordPolicyV5Request())).password_policy as Row;
    assert.equal(shown.minimum_password_length, 8);
    assert.equal(shown.allow_user_to_change_password, true);
    const updated = wire(await v5.updatePasswordPolicyV5(new UpdatePasswordPolicyV5Request().withBody(new UpdatePasswordPolicyReqBody().withMinimumPasswordLength(10).withPasswordReusePrevention(3).withAllowUserToChangePassword(false)))).password_policy as Row;
    assert.deepEqual([updated.minimum_password_length, updated.password_reuse_prevention, updated.allow_user_to_change_password], [10, 3, false]);
    const v3 = iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id });
    const seen = wire(await v3.showDomainPasswordPolicy(new ShowDomainPasswordPolicyRequest().withDomainId(hw.seed.domain.id))).password_policy as Row;
    assert.deepEqual([seen.minimum_password_length, seen.number_of_recent_passwords_disallowed], [10, 3]);
    assert.equal((await sdkError(v5.updatePasswordPolicyV5(new UpdatePasswordPolicyV5Request().withBody(new UpdatePasswordPolicyReqBody().withPasswordCharCombination(9))))).httpStatusCode, 400);

    const login = wire(await v5.updateLoginPolicyV5(new UpdateLoginPolicyV5Request().withBody(new UpdateLoginPolicyReqBody().withSessionTimeout(30).withAllowIpRanges([new AllowIpRange().withIpRange("10.0.0.1-10.0.0.9").withDescription("lab")])))).login_policy as Row;
    assert.equal(login.session_timeout, 30);
    const loginShown = wire(await v5.showLoginPolicyV5(new ShowLoginPolicyV5Request())).login_policy as Row;
    assert.deepEqual(loginShown.allow_ip_ranges, [{ ip_range: "10.0.0.1-10.0.0.9", description: "lab" }]);
    assert.equal(loginShown.lockout_duration, 15);
    assert.equal((await sdkError(v5.updateLoginPolicyV5(new UpdateLoginPolicyV5Request().withBody(new UpdateLoginPolicyReqBody().withSessionTimeout(1))))).httpStatusCode, 400);

    assert.equal((wire(await v5.showTokenPolicyV5(new ShowTokenPolicyV5Request())).token_policy as Row).token_enabled, true);
    await v5.updateTokenPolicyV5(new UpdateTokenPolicyV5Request().withBody(new UpdateTokenPolicyReqBody().withTokenEnabled(false)));
    assert.equal((wire(await v5.showTokenPolicyV5(new ShowTokenPolicyV5Request())).token_policy as Row).token_enabled, false);
  });

  test("virtual MFA devices: create, enable with two codes, list, disable, delete", async () => {
    const device = wire(await v5.createVirtualMfaDeviceV5(new CreateVirtualMfaDeviceV5Request().withBody(new CreateVirtualMfaDeviceReqBody().withVirtualMfaDeviceName("tess-phone").withUserId(userId)))).virtual_mfa_device as Row;
    const serial = String(device.serial_number);
    const seed = String(device.base32_string_seed);
    const enable = (first: string, second: string) =>
      v5.enableMfaDeviceV5(new EnableMfaDeviceV5Request().withBody(new EnableMfaDeviceReqBody().withUserId(userId).withSerialNumber(serial).withAuthenticationCodeFirst(first).withAuthenticationCodeSecond(second)));
    const now = hw.clock.now();
    assert.equal((await sdkError(enable(totpCode(seed, now), totpCode(seed, now, -1)))).httpStatusCode, 400);
    await enable(totpCode(seed, now, -1), totpCode(seed, now));
    const listed = wire(await v5.listMfaDevicesV5(new ListMfaDevicesV5Request().withUserId(userId)));
    assert.deepEqual(listed.mfa_devices, [{ user_id: userId, serial_number: serial, enabled: true }]);
    const bound = await sdkError(v5.deleteVirtualMfaDeviceV5(new DeleteVirtualMfaDeviceV5Request().withUserId(userId).withSerialNumber(serial)));
    assert.equal(bound.httpStatusCode, 403);
    await v5.disableMfaDeviceV5(new DisableMfaDeviceV5Request().withBody(new DisableMfaDeviceReqBody().withUserId(userId).withSerialNumber(serial)));
    await v5.deleteVirtualMfaDeviceV5(new DeleteVirtualMfaDeviceV5Request().withUserId(userId).withSerialNumber(serial));
    assert.deepEqual(wire(await v5.listMfaDevicesV5(new ListMfaDevicesV5Request())).mfa_devices, []);
  });

  test("tags on a user, and service principals", async () => {
    await v5.tagResourceV5(new TagResourceV5Request().withResourceType("user").withResourceId(userId).withBody(new Tags().withTags([new Tag().withTagKey("team").withTagValue("ops"), new Tag().withTagKey("env").withTagValue("dev")])));
    const tags = wire(await v5.listResourceTagsV5(new ListResourceTagsV5Request().withResourceType("user").withResourceId(userId)));
    assert.deepEqual(tags.tags, [{ tag_key: "env", tag_value: "dev" }, { tag_key: "team", tag_value: "ops" }]);
    await v5.deleteResourceTagsV5(new DeleteResourceTagsV5Request().withResourceType("user").withResourceId(userId).withBody(["env"]));
    assert.deepEqual(wire(await v5.listResourceTagsV5(new ListResourceTagsV5Request().withResourceType("user").withResourceId(userId))).tags, [{ tag_key: "team", tag_value: "ops" }]);
    const badType = await sdkError(v5.listResourceTagsV5(new ListResourceTagsV5Request().withResourceType("bucket").withResourceId(userId)));
    assert.equal(badType.httpStatusCode, 400);
    const missing = await sdkError(v5.listResourceTagsV5(new ListResourceTagsV5Request().withResourceType("agency").withResourceId("0".repeat(32))));
    assert.equal(missing.httpStatusCode, 404);

    const principals = wire(await v5.listServicePrincipalsV5(new ListServicePrincipalsV5Request().withLimit(3)));
    assert.deepEqual((principals.service_principals as Row[]).map((p) => p.service_principal), ["service.ECS", "service.EVS", "service.IMS"]);
    assert.equal((principals.page_info as Row).next_marker, "service.IMS");
  });
});
