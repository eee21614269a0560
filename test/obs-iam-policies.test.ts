// IAM's fine-grained policies on OBS (issue 12: every request of every service), through the official IAM
// SDK for the account and the AWS S3 SDK and esdk-obs-nodejs for OBS: a user whose group holds
// `OBS ReadOnlyAccess` on the domain lists buckets and objects and is refused reading or writing objects
// (403 AccessDenied naming the action); `OBS OperateAccess` lets it put, get and delete objects but not
// delete the bucket; a custom Deny of obs:object:DeleteObject wins over it; the admin group is never
// judged; log mode lets everything through.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateCloudServiceCustomPolicyRequest,
  CreateCloudServiceCustomPolicyRequestBody,
  CreateCredentialOption,
  CreatePermanentAccessKeyRequest,
  CreatePermanentAccessKeyRequestBody,
  type IamClient,
  KeystoneAddUserToGroupRequest,
  KeystoneAssociateGroupWithDomainPermissionRequest,
  KeystoneCreateGroupOption,
  KeystoneCreateGroupRequest,
  KeystoneCreateGroupRequestBody,
  KeystoneCreateUserOption,
  KeystoneCreateUserRequest,
  KeystoneCreateUserRequestBody,
  KeystoneListPermissionsRequest,
  ServicePolicy,
  ServicePolicyRoleOption,
  ServiceStatement,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { errorOf, esdkClient, s3Client, text, type Credentials, type EsdkClient } from "./helpers/obs-clients.ts";
import { iamClient, wire } from "./helpers/sdk.ts";

type Row = Record<string, unknown>;

/** A group holding `roles` on the domain (OBS is a global service), and a user of it with a key. */
async function userWith(hw: TestHwlocal, admin: IamClient, name: string, roles: string[]): Promise<Credentials> {
  const group = String(
    (wire(await admin.keystoneCreateGroup(new KeystoneCreateGroupRequest().withBody(new KeystoneCreateGroupRequestBody().withGroup(new KeystoneCreateGroupOption().withName(`g-${name}`))))).group as Row).id,
  );
  for (const role of roles) {
    await admin.keystoneAssociateGroupWithDomainPermission(
      new KeystoneAssociateGroupWithDomainPermissionRequest().withDomainId(hw.seed.domain.id).withGroupId(group).withRoleId(role),
    );
  }
  const body = new KeystoneCreateUserRequestBody().withUser(new KeystoneCreateUserOption().withName(name).withPassword("Passw0rd#2026"));
  const id = String((wire(await admin.keystoneCreateUser(new KeystoneCreateUserRequest().withBody(body))).user as Row).id);
  await admin.keystoneAddUserToGroup(new KeystoneAddUserToGroupRequest().withGroupId(group).withUserId(id));
  const key = wire(
    await admin.createPermanentAccessKey(new CreatePermanentAccessKeyRequest().withBody(new CreatePermanentAccessKeyRequestBody().withCredential(new CreateCredentialOption().withUserId(id)))),
  ).credential as { access: string; secret: string };
  return { ak: key.access, sk: key.secret };
}

async function roleId(admin: IamClient, displayName: string): Promise<string> {
  return String(((wire(await admin.keystoneListPermissions(new KeystoneListPermissionsRequest().withDisplayName(displayName))).roles as Row[])[0] as Row).id);
}

describe("IAM policies on OBS", () => {
  let hw: TestHwlocal;
  let admin: IamClient;
  let esdk: EsdkClient;
  before(async () => {
    hw = await startTestHwlocal();
    admin = iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id });
    const s3 = s3Client(hw);
    await s3.send(new CreateBucketCommand({ Bucket: "guarded" }));
    await s3.send(new PutObjectCommand({ Bucket: "guarded", Key: "a.txt", Body: "kept" }));
    // esdk needs a turn of the event loop after it is made before its first call.
    esdk = esdkClient(hw, await userWith(hw, admin, "obs-reader2", [await roleId(admin, "OBS ReadOnlyAccess")]));
  });
  after(async () => {
    esdk.close();
    await hw.close();
  });

  test("OBS ReadOnlyAccess lists buckets and objects, and is refused the objects themselves", async () => {
    const reader = s3Client(hw, await userWith(hw, admin, "obs-reader", [await roleId(admin, "OBS ReadOnlyAccess")]));
    assert.ok((await reader.send(new ListBucketsCommand({}))).Buckets?.some((b) => b.Name === "guarded"));
    await reader.send(new HeadBucketCommand({ Bucket: "guarded" }));
    assert.deepEqual((await reader.send(new ListObjectsV2Command({ Bucket: "guarded" }))).Contents?.map((o) => o.Key), ["a.txt"]);
    assert.deepEqual(await errorOf(reader.send(new GetObjectCommand({ Bucket: "guarded", Key: "a.txt" }))), { name: "AccessDenied", status: 403 });
    assert.deepEqual(await errorOf(reader.send(new PutObjectCommand({ Bucket: "guarded", Key: "b.txt", Body: "no" }))), { name: "AccessDenied", status: 403 });
    assert.deepEqual(await errorOf(reader.send(new CreateBucketCommand({ Bucket: "readers-own" }))), { name: "AccessDenied", status: 403 });
    // The refusal names the action, in OBS's XML, as esdk reads it.
    const r = await esdk.getObject!({ Bucket: "guarded", Key: "a.txt" });
    assert.equal(r.CommonMsg.Status, 403);
    assert.equal(r.CommonMsg.Code, "AccessDenied");
    assert.match(String(r.CommonMsg.Message), /Policy doesn't allow obs:object:GetObject to be performed/);
  });

  test("OBS OperateAccess puts, gets and deletes objects, and may not delete the bucket", async () => {
    const operator = s3Client(hw, await userWith(hw, admin, "obs-operator", [await roleId(admin, "OBS OperateAccess")]));
    await operator.send(new PutObjectCommand({ Bucket: "guarded", Key: "op.txt", Body: "written" }));
    assert.equal(await text((await operator.send(new GetObjectCommand({ Bucket: "guarded", Key: "op.txt" }))).Body), "written");
    await operator.send(new DeleteObjectCommand({ Bucket: "guarded", Key: "op.txt" }));
    assert.deepEqual(await errorOf(operator.send(new DeleteBucketCommand({ Bucket: "guarded" }))), { name: "AccessDenied", status: 403 });
  });

  test("a custom Deny of obs:object:DeleteObject wins over OBS OperateAccess", async () => {
    const deny = String(
      (
        wire(
          await admin.createCloudServiceCustomPolicy(
            new CreateCloudServiceCustomPolicyRequest().withBody(
              new CreateCloudServiceCustomPolicyRequestBody().withRole(
                new ServicePolicyRoleOption()
                  .withDisplayName("no-obs-deletes")
                  .withType("AX")
                  .withDescription("no deletes")
                  .withPolicy(new ServicePolicy().withVersion("1.1").withStatement([new ServiceStatement().withEffect("Deny").withAction(["obs:object:DeleteObject"])])),
              ),
            ),
          ),
        ).role as Row
      ).id,
    );
    const careful = s3Client(hw, await userWith(hw, admin, "obs-careful", [await roleId(admin, "OBS OperateAccess"), deny]));
    await careful.send(new PutObjectCommand({ Bucket: "guarded", Key: "stays.txt", Body: "x" }));
    assert.deepEqual(await errorOf(careful.send(new DeleteObjectCommand({ Bucket: "guarded", Key: "stays.txt" }))), { name: "AccessDenied", status: 403 });
    // The admin group is never judged: the default admin deletes it.
    await s3Client(hw).send(new DeleteObjectCommand({ Bucket: "guarded", Key: "stays.txt" }));
  });

  test("the journal records the deciding statement of an OBS refusal", async () => {
    const reader = s3Client(hw, await userWith(hw, admin, "obs-journaled", [await roleId(admin, "OBS ReadOnlyAccess")]));
    await errorOf(reader.send(new GetObjectCommand({ Bucket: "guarded", Key: "a.txt" })));
    const entries = (await hw.call("GET", "/_hwlocal/journal", { creds: null, query: { service: "obs", status: "403", limit: "1" } })).json.entries as Row[];
    assert.deepEqual((entries[0] as Row).policy, { action: "obs:object:GetObject", allowed: false, by: "no statement allows it" });
  });
});

describe("IAM policies on OBS in log mode", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal({ iamPolicies: "log" });
  });
  after(() => hw.close());

  test("a user without OBS permissions is let through", async () => {
    const admin = iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id });
    await s3Client(hw).send(new CreateBucketCommand({ Bucket: "logged" }));
    const nobody = s3Client(hw, await userWith(hw, admin, "obs-nobody", []));
    await nobody.send(new PutObjectCommand({ Bucket: "logged", Key: "k", Body: "v" }));
    assert.equal(await text((await nobody.send(new GetObjectCommand({ Bucket: "logged", Key: "k" }))).Body), "v");
  });
});
