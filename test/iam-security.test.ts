// Security policies (enforced password policy), quotas, project status, virtual MFA devices with real TOTP
// codes on hwlocal's clock, login protection and contact details, through the official IAM SDK.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AclPolicyOption,
  AllowIpRangesOption,
  AllowUserBody,
  BindMfaDevice,
  ConsoleAclPolicyOption,
  CreateBindingDeviceRequest,
  CreateMfaDevice,
  CreateMfaDeviceReq,
  CreateMfaDeviceRequest,
  DeleteBindingDeviceRequest,
  DeleteMfaDeviceRequest,
  IamClient,
  KeystoneCreateProjectOption,
  KeystoneCreateProjectRequest,
  KeystoneCreateProjectRequestBody,
  KeystoneCreateUserOption,
  KeystoneCreateUserRequest,
  KeystoneCreateUserRequestBody,
  KeystoneCreateUserTokenByPasswordAndMfaRequest,
  KeystoneCreateUserTokenByPasswordAndMfaRequestBody,
  MfaAuth,
  MfaIdentity,
  MfaTotp,
  MfaTotpUser,
  PwdPassword,
  PwdPasswordUser,
  PwdPasswordUserDomain,
  AuthScope,
  AuthScopeProject,
  KeystoneShowSecurityComplianceByOptionRequest,
  KeystoneShowSecurityComplianceRequest,
  ListUserLoginProtectsRequest,
  ListUserMfaDevicesRequest,
  LoginPolicyOption,
  PasswordPolicyOption,
  ProtectPolicyOption,
  ShowDomainApiAclPolicyRequest,
  ShowDomainConsoleAclPolicyRequest,
  ShowDomainLoginPolicyRequest,
  ShowDomainPasswordPolicyRequest,
  ShowDomainProtectPolicyRequest,
  ShowDomainQuotaRequest,
  ShowProjectDetailsAndStatusRequest,
  ShowProjectQuotaRequest,
  ShowUserLoginProtectRequest,
  ShowUserMfaDeviceRequest,
  ShowUserRequest,
  UnbindMfaDevice,
  UpdateDomainApiAclPolicyRequest,
  UpdateDomainApiAclPolicyRequestBody,
  UpdateDomainConsoleAclPolicyRequest,
  UpdateDomainConsoleAclPolicyRequestBody,
  UpdateDomainLoginPolicyRequest,
  UpdateDomainLoginPolicyRequestBody,
  UpdateDomainPasswordPolicyRequest,
  UpdateDomainPasswordPolicyRequestBody,
  UpdateDomainProtectPolicyRequest,
  UpdateDomainProtectPolicyRequestBody,
  UpdateLoginProject,
  UpdateLoginProjectReq,
  UpdateLoginProtectRequest,
  UpdateProjectOption,
  UpdateProjectStatusRequest,
  UpdateProjectStatusRequestBody,
  UpdateUserInformationOption,
  UpdateUserInformationRequest,
  UpdateUserInformationRequestBody,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import { totpCode } from "../src/services/iam/totp.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { iamClient, iamProjectClient, sdkError, wire } from "./helpers/sdk.ts";

type Row = Record<string, unknown>;

describe("IAM security policies and account settings", () => {
  let hw: TestHwlocal;
  let admin: IamClient;
  const domainId = () => hw.seed.domain.id;
  const newUser = (name: string, password: string) =>
    admin.keystoneCreateUser(new KeystoneCreateUserRequest().withBody(new KeystoneCreateUserRequestBody().withUser(new KeystoneCreateUserOption().withName(name).withPassword(password))));

  before(async () => {
    hw = await startTestHwlocal();
    admin = iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id });
  });
  after(() => hw.close());

  test("the password policy is shown, updated, and enforced on new users", async () => {
    const shown = wire(await admin.showDomainPasswordPolicy(new ShowDomainPasswordPolicyRequest().withDomainId(domainId())));
    const p = shown.password_policy as Row;
    assert.equal(p.minimum_password_length, 8);
    assert.equal(p.password_char_combination, 2);
    assert.match(String(p.password_requirements), /at least 2/);
    await newUser("pat", "Abcdef12");
    const updated = wire(
      await admin.updateDomainPasswordPolicy(
        new UpdateDomainPasswordPolicyRequest()
          .withDomainId(domainId())
          .withBody(new UpdateDomainPasswordPolicyRequestBody().withPasswordPolicy(new PasswordPolicyOption().withMinimumPasswordLength(12).withPasswordCharCombination(3).withMaximumConsecutiveIdenticalChars(2))),
      ),
    );
    assert.equal((updated.password_policy as Row).minimum_password_length, 12);
    const short = await sdkError(newUser("quinn", "Abcdef12"));
    assert.equal(short.httpStatusCode, 400);
    assert.match(short.errorMsg, /password policy/);
    assert.equal((await sdkError(newUser("quinn", "abcdefgh12345"))).httpStatusCode, 400);
    assert.equal((await sdkError(newUser("quinn", "Abcdefff12345"))).httpStatusCode, 400);
    assert.equal((await sdkError(newUser("nniuq", "nniuq"))).httpStatusCode, 400);
    assert.equal(wire(await newUser("quinn", "Abcdefg12345")).httpStatusCode, 201);
    const regex = wire(await admin.keystoneShowSecurityCompliance(new KeystoneShowSecurityComplianceRequest().withDomainId(domainId())));
    assert.match(String(((regex.config as Row).security_compliance as Row).password_regex), /\{12,32\}/);
    const description = wire(await admin.keystoneShowSecurityComplianceByOption(new KeystoneShowSecurityComplianceByOptionRequest().withDomainId(domainId()).withOption("password_regex_description")));
    assert.match(String((description.config as Row).password_regex_description), /12 to 32/);
    const bad = await sdkError(
      admin.updateDomainPasswordPolicy(
        new UpdateDomainPasswordPolicyRequest().withDomainId(domainId()).withBody(new UpdateDomainPasswordPolicyRequestBody().withPasswordPolicy(new PasswordPolicyOption().withMinimumPasswordLength(3))),
      ),
    );
    assert.equal(bad.httpStatusCode, 400);
    await admin.updateDomainPasswordPolicy(
      new UpdateDomainPasswordPolicyRequest().withDomainId(domainId()).withBody(new UpdateDomainPasswordPolicyRequestBody().withPasswordPolicy(new PasswordPolicyOption().withMinimumPasswordLength(8).withPasswordCharCombination(2).withMaximumConsecutiveIdenticalChars(0))),
    );
  });

  test("login, protection and ACL policies are stored per domain", async () => {
    assert.equal((wire(await admin.showDomainLoginPolicy(new ShowDomainLoginPolicyRequest().withDomainId(domainId()))).login_policy as Row).session_timeout, 60);
    const login = wire(
      await admin.updateDomainLoginPolicy(
        new UpdateDomainLoginPolicyRequest().withDomainId(domainId()).withBody(new UpdateDomainLoginPolicyRequestBody().withLoginPolicy(new LoginPolicyOption().withSessionTimeout(120).withLoginFailedTimes(3))),
      ),
    );
    assert.equal((login.login_policy as Row).session_timeout, 120);
    assert.equal((login.login_policy as Row).lockout_duration, 15);
    const outOfRange = await sdkError(
      admin.updateDomainLoginPolicy(new UpdateDomainLoginPolicyRequest().withDomainId(domainId()).withBody(new UpdateDomainLoginPolicyRequestBody().withLoginPolicy(new LoginPolicyOption().withLoginFailedTimes(99)))),
    );
    assert.equal(outOfRange.httpStatusCode, 400);

    const protect = wire(
      await admin.updateDomainProtectPolicy(
        new UpdateDomainProtectPolicyRequest()
          .withDomainId(domainId())
          .withBody(new UpdateDomainProtectPolicyRequestBody().withProtectPolicy(new ProtectPolicyOption().withOperationProtection(true).withAllowUser(new AllowUserBody().withManageAccesskey(false)))),
      ),
    );
    assert.deepEqual((protect.protect_policy as Row).allow_user, { manage_accesskey: false, manage_email: true, manage_mobile: true, manage_password: true });
    assert.equal((wire(await admin.showDomainProtectPolicy(new ShowDomainProtectPolicyRequest().withDomainId(domainId()))).protect_policy as Row).operation_protection, true);

    const ranges = [new AllowIpRangesOption().withIpRange("10.0.0.0-10.255.255.255").withDescription("office")];
    await admin.updateDomainApiAclPolicy(new UpdateDomainApiAclPolicyRequest().withDomainId(domainId()).withBody(new UpdateDomainApiAclPolicyRequestBody().withApiAclPolicy(new AclPolicyOption().withAllowIpRanges(ranges))));
    const api = wire(await admin.showDomainApiAclPolicy(new ShowDomainApiAclPolicyRequest().withDomainId(domainId())));
    assert.deepEqual((api.api_acl_policy as Row).allow_ip_ranges, [{ ip_range: "10.0.0.0-10.255.255.255", description: "office" }]);
    await admin.updateDomainConsoleAclPolicy(
      new UpdateDomainConsoleAclPolicyRequest().withDomainId(domainId()).withBody(new UpdateDomainConsoleAclPolicyRequestBody().withConsoleAclPolicy(new ConsoleAclPolicyOption().withAllowIpRanges(ranges))),
    );
    const consoleAcl = wire(await admin.showDomainConsoleAclPolicy(new ShowDomainConsoleAclPolicyRequest().withDomainId(domainId())));
    assert.equal(((consoleAcl.console_acl_policy as Row).allow_ip_ranges as Row[]).length, 1);
    const badRange = await sdkError(
      admin.updateDomainApiAclPolicy(
        new UpdateDomainApiAclPolicyRequest().withDomainId(domainId()).withBody(new UpdateDomainApiAclPolicyRequestBody().withApiAclPolicy(new AclPolicyOption().withAllowIpRanges([new AllowIpRangesOption().withIpRange("everywhere")]))),
      ),
    );
    assert.equal(badRange.httpStatusCode, 400);
    const foreign = await sdkError(admin.showDomainLoginPolicy(new ShowDomainLoginPolicyRequest().withDomainId("0".repeat(32))));
    assert.equal(foreign.httpStatusCode, 403);
  });

  test("quotas and a sub-project's status", async () => {
    const quota = wire(await admin.showDomainQuota(new ShowDomainQuotaRequest().withDomainId(domainId()).withType("user")));
    const users = ((quota.quotas as Row).resources as Row[])[0]!;
    assert.equal(users.type, "user");
    assert.equal(users.quota, 50);
    assert.ok(Number(users.used) >= 1);
    const all = wire(await admin.showDomainQuota(new ShowDomainQuotaRequest().withDomainId(domainId())));
    assert.ok(((all.quotas as Row).resources as Row[]).some((r) => r.type === "agency"));

    const sub = wire(
      await admin.keystoneCreateProject(
        new KeystoneCreateProjectRequest().withBody(new KeystoneCreateProjectRequestBody().withProject(new KeystoneCreateProjectOption().withName("cn-north-4_dev").withParentId(hw.projectId("cn-north-4")).withDomainId(domainId()))),
      ),
    );
    const subId = String((sub.project as Row).id);
    const inSub = iamProjectClient(hw.url, { ...hw.admin, projectId: subId });
    assert.equal((wire(await inSub.showProjectDetailsAndStatus(new ShowProjectDetailsAndStatusRequest())).project as Row).status, "normal");
    await inSub.updateProjectStatus(new UpdateProjectStatusRequest().withBody(new UpdateProjectStatusRequestBody().withProject(new UpdateProjectOption().withStatus("suspended"))));
    assert.equal((wire(await inSub.showProjectDetailsAndStatus(new ShowProjectDetailsAndStatusRequest())).project as Row).status, "suspended");
    const north = iamProjectClient(hw.url, { ...hw.admin, projectId: hw.projectId("cn-north-4") });
    const pq = wire(await north.showProjectQuota(new ShowProjectQuotaRequest()));
    assert.deepEqual(((pq.quotas as Row).resources as Row[])[0], { type: "project", quota: 10, max: 100, min: 0, used: 1 });
    const builtIn = await sdkError(north.updateProjectStatus(new UpdateProjectStatusRequest().withBody(new UpdateProjectStatusRequestBody().withProject(new UpdateProjectOption().withStatus("suspended")))));
    assert.equal(builtIn.httpStatusCode, 403);
    const badStatus = await sdkError(inSub.updateProjectStatus(new UpdateProjectStatusRequest().withBody(new UpdateProjectStatusRequestBody().withProject(new UpdateProjectOption().withStatus("frozen")))));
    assert.equal(badStatus.httpStatusCode, 400);
  });

  test("virtual MFA devices: create, bind with two codes, login protection, unbind, delete", async () => {
    const user = wire(await newUser("mfa-user", "Mfa-user2026")).user as Row;
    const userId = String(user.id);
    const created = wire(await admin.createMfaDevice(new CreateMfaDeviceRequest().withBody(new CreateMfaDeviceReq().withVirtualMfaDevice(new CreateMfaDevice().withName("phone").withUserId(userId)))));
    assert.equal(created.httpStatusCode, 201);
    const device = created.virtual_mfa_device as Row;
    const serial = String(device.serial_number);
    const seed = String(device.base32_string_seed);
    assert.match(seed, /^[A-Z2-7]{32}$/);
    const second = await sdkError(admin.createMfaDevice(new CreateMfaDeviceRequest().withBody(new CreateMfaDeviceReq().withVirtualMfaDevice(new CreateMfaDevice().withName("tablet").withUserId(userId)))));
    assert.equal(second.httpStatusCode, 409);

    const now = hw.clock.now();
    const wrong = await sdkError(
      admin.createBindingDevice(new CreateBindingDeviceRequest().withBody(new BindMfaDevice().withUserId(userId).withSerialNumber(serial).withAuthenticationCodeFirst("000000").withAuthenticationCodeSecond("111111"))),
    );
    assert.equal(wrong.httpStatusCode, 400);
    const vmfa = new UpdateLoginProtectRequest().withUserId(userId).withBody(new UpdateLoginProjectReq().withLoginProtect(new UpdateLoginProject().withEnabled(true).withVerificationMethod("vmfa")));
    assert.equal((await sdkError(admin.updateLoginProtect(vmfa))).httpStatusCode, 400);
    await admin.createBindingDevice(
      new CreateBindingDeviceRequest().withBody(
        new BindMfaDevice().withUserId(userId).withSerialNumber(serial).withAuthenticationCodeFirst(totpCode(seed, now, -1)).withAuthenticationCodeSecond(totpCode(seed, now)),
      ),
    );
    const shown = wire(await admin.showUserMfaDevice(new ShowUserMfaDeviceRequest().withUserId(userId)));
    assert.deepEqual(shown.virtual_mfa_device, { serial_number: serial, user_id: userId });
    const listed = wire(await admin.listUserMfaDevices(new ListUserMfaDevicesRequest()));
    assert.deepEqual(listed.virtual_mfa_devices, [{ serial_number: serial, user_id: userId }]);

    // A password+totp token needs the device's current code, and says so in its methods.
    const mfaToken = (passcode: string) =>
      admin.keystoneCreateUserTokenByPasswordAndMfa(
        new KeystoneCreateUserTokenByPasswordAndMfaRequest().withBody(
          new KeystoneCreateUserTokenByPasswordAndMfaRequestBody().withAuth(
            new MfaAuth()
              .withIdentity(
                new MfaIdentity()
                  .withMethods(["password", "totp"])
                  .withPassword(new PwdPassword().withUser(new PwdPasswordUser().withName("mfa-user").withPassword("Mfa-user2026").withDomain(new PwdPasswordUserDomain().withName("hwlocal"))))
                  .withTotp(new MfaTotp().withUser(new MfaTotpUser().withId(userId).withPasscode(passcode))),
              )
              .withScope(new AuthScope().withProject(new AuthScopeProject().withName("cn-north-4"))),
          ),
        ),
      );
    const token = wire(await mfaToken(totpCode(seed, hw.clock.now())));
    assert.equal(token.httpStatusCode, 201);
    assert.deepEqual((token.token as Row).methods, ["password", "totp"]);
    const wrongCode = totpCode(seed, hw.clock.now(), 5);
    const refusedToken = await sdkError(mfaToken(wrongCode));
    assert.equal(refusedToken.httpStatusCode, 401);
    const protect = wire(await admin.updateLoginProtect(vmfa));
    assert.deepEqual(protect.login_protect, { user_id: userId, enabled: true, verification_method: "vmfa" });
    assert.equal((wire(await admin.showUserLoginProtect(new ShowUserLoginProtectRequest().withUserId(userId))).login_protect as Row).enabled, true);
    assert.equal((wire(await admin.listUserLoginProtects(new ListUserLoginProtectsRequest())).login_protects as Row[]).length, 1);
    assert.equal((await sdkError(admin.showUserLoginProtect(new ShowUserLoginProtectRequest().withUserId(hw.seed.user.id)))).httpStatusCode, 404);

    const bound = await sdkError(admin.deleteMfaDevice(new DeleteMfaDeviceRequest().withUserId(userId).withSerialNumber(serial)));
    assert.equal(bound.httpStatusCode, 403);
    const badCode = await sdkError(admin.deleteBindingDevice(new DeleteBindingDeviceRequest().withBody(new UnbindMfaDevice().withUserId(userId).withSerialNumber(serial).withAuthenticationCode("123456".replace(totpCode(seed, hw.clock.now()), "654321")))));
    assert.equal(badCode.httpStatusCode, 400);
    await admin.deleteBindingDevice(new DeleteBindingDeviceRequest().withBody(new UnbindMfaDevice().withUserId(userId).withSerialNumber(serial).withAuthenticationCode(totpCode(seed, hw.clock.now()))));
    await admin.deleteMfaDevice(new DeleteMfaDeviceRequest().withUserId(userId).withSerialNumber(serial));
    assert.equal((await sdkError(admin.showUserMfaDevice(new ShowUserMfaDeviceRequest().withUserId(userId)))).httpStatusCode, 404);
  });

  test("a user's contact details", async () => {
    await admin.updateUserInformation(new UpdateUserInformationRequest().withUserId(hw.seed.user.id).withBody(new UpdateUserInformationRequestBody().withUser(new UpdateUserInformationOption().withEmail("admin@example.com").withMobile("0086-13800000000"))));
    const shown = wire(await admin.showUser(new ShowUserRequest().withUserId(hw.seed.user.id))).user as Row;
    assert.equal(shown.email, "admin@example.com");
    assert.equal(shown.areacode, "0086");
    assert.equal(shown.phone, "13800000000");
    const bad = await sdkError(admin.updateUserInformation(new UpdateUserInformationRequest().withUserId(hw.seed.user.id).withBody(new UpdateUserInformationRequestBody().withUser(new UpdateUserInformationOption().withEmail("nope")))));
    assert.equal(bad.httpStatusCode, 400);
  });
});
