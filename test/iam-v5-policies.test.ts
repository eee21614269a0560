// IAM v5 identity policies (versions, default, attachments to users, groups and agencies) and v5 agencies
// (trust agencies, service-linked agencies) through the official v5 SDK client.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GlobalCredentials } from "@huaweicloud/huaweicloud-sdk-core";
// The v5 entry of the SDK package cannot be imported (reference sdk-wire-facts §0): client and models come
// from their own files.
import { IamClient } from "@huaweicloud/huaweicloud-sdk-iam/v5/IamClient.js";
import { AttachAgencyPolicyReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/AttachAgencyPolicyReqBody.js";
import { AttachAgencyPolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/AttachAgencyPolicyV5Request.js";
import { AttachGroupPolicyReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/AttachGroupPolicyReqBody.js";
import { AttachGroupPolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/AttachGroupPolicyV5Request.js";
import { AttachUserPolicyReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/AttachUserPolicyReqBody.js";
import { AttachUserPolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/AttachUserPolicyV5Request.js";
import { CreateAgencyReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateAgencyReqBody.js";
import { CreateAgencyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateAgencyV5Request.js";
import { CreateGroupReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateGroupReqBody.js";
import { CreateGroupV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateGroupV5Request.js";
import { CreatePolicyReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreatePolicyReqBody.js";
import { CreatePolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreatePolicyV5Request.js";
import { CreatePolicyVersionReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreatePolicyVersionReqBody.js";
import { CreatePolicyVersionV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreatePolicyVersionV5Request.js";
import { CreateServiceLinkedAgencyReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateServiceLinkedAgencyReqBody.js";
import { CreateServiceLinkedAgencyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/CreateServiceLinkedAgencyV5Request.js";
import { DeleteAgencyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DeleteAgencyV5Request.js";
import { DeletePolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DeletePolicyV5Request.js";
import { DeletePolicyVersionV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DeletePolicyVersionV5Request.js";
import { DeleteServiceLinkedAgencyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DeleteServiceLinkedAgencyV5Request.js";
import { DetachAgencyPolicyReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachAgencyPolicyReqBody.js";
import { DetachAgencyPolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachAgencyPolicyV5Request.js";
import { DetachGroupPolicyReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachGroupPolicyReqBody.js";
import { DetachGroupPolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachGroupPolicyV5Request.js";
import { DetachUserPolicyReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachUserPolicyReqBody.js";
import { DetachUserPolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachUserPolicyV5Request.js";
import { GetAgencyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/GetAgencyV5Request.js";
import { GetPolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/GetPolicyV5Request.js";
import { GetPolicyVersionV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/GetPolicyVersionV5Request.js";
import { GetServiceLinkedAgencyDeletionStatusV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/GetServiceLinkedAgencyDeletionStatusV5Request.js";
import { ListAgenciesV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ListAgenciesV5Request.js";
import { ListAttachedAgencyPoliciesV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ListAttachedAgencyPoliciesV5Request.js";
import { ListAttachedGroupPoliciesV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ListAttachedGroupPoliciesV5Request.js";
import { ListAttachedUserPoliciesV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ListAttachedUserPoliciesV5Request.js";
import { ListEntitiesForPolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ListEntitiesForPolicyV5Request.js";
import { ListPoliciesV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ListPoliciesV5Request.js";
import { ListPolicyVersionsV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/ListPolicyVersionsV5Request.js";
import { SetDefaultPolicyVersionV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/SetDefaultPolicyVersionV5Request.js";
import { UpdateAgencyReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdateAgencyReqBody.js";
import { UpdateAgencyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdateAgencyV5Request.js";
import { UpdateTrustPolicyReqBody } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdateTrustPolicyReqBody.js";
import { UpdateTrustPolicyV5Request } from "@huaweicloud/huaweicloud-sdk-iam/v5/model/UpdateTrustPolicyV5Request.js";
import { v5PoliciesOf } from "../src/services/iam/roles.ts";
import { IamStore } from "../src/services/iam/store.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";

type Row = Record<string, unknown>;

const doc = (actions: string[], effect = "Allow") => JSON.stringify({ Version: "5.0", Statement: [{ Effect: effect, Action: actions }] });

describe("IAM v5 policies and agencies", () => {
  let hw: TestHwlocal;
  let v5: IamClient;
  let policyId: string;
  let agencyId: string;

  before(async () => {
    hw = await startTestHwlocal({
      seed: { tenants: [{ domain: { name: "trusted" }, access_key: { ak: "TRUSTEDTENANTKEY0001", sk: "trustedTenantSecretKey000000000000001" } }] },
    });
    const cred = new GlobalCredentials().withAk(hw.admin.ak).withSk(hw.admin.sk).withDomainId(hw.seed.domain.id);
    v5 = IamClient.newBuilder().withCredential(cred).withEndpoint(`${hw.url}/iam`).build();
  });
  after(() => hw.close());

  test("policies and their versions", async () => {
    const created = wire(await v5.createPolicyV5(new CreatePolicyV5Request().withBody(new CreatePolicyReqBody().withPolicyName("ecs-read").withPath("team/").withPolicyDocument(doc(["ecs:cloudServers:list"])).withDescription("d"))));
    assert.equal(created.httpStatusCode, 201);
    const policy = created.policy as Row;
    policyId = String(policy.policy_id);
    assert.equal(policy.default_version_id, "v1");
    assert.equal(policy.policy_type, "custom");
    assert.equal(policy.urn, `iam::${hw.seed.domain.id}:policy:ecs-read`);

    const v2 = wire(await v5.createPolicyVersionV5(new CreatePolicyVersionV5Request().withPolicyId(policyId).withBody(new CreatePolicyVersionReqBody().withPolicyDocument(doc(["ecs:*:get*"])).withSetAsDefault(true))));
    assert.deepEqual([(v2.policy_version as Row).version_id, (v2.policy_version as Row).is_default], ["v2", true]);
    for (let i = 0; i < 3; i++) await v5.createPolicyVersionV5(new CreatePolicyVersionV5Request().withPolicyId(policyId).withBody(new CreatePolicyVersionReqBody().withPolicyDocument(doc(["ecs:*:list*"]))));
    const sixth = await sdkError(v5.createPolicyVersionV5(new CreatePolicyVersionV5Request().withPolicyId(policyId).withBody(new CreatePolicyVersionReqBody().withPolicyDocument(doc(["ecs:*:list*"])))));
    assert.equal(sixth.httpStatusCode, 409);
    const versions = wire(await v5.listPolicyVersionsV5(new ListPolicyVersionsV5Request().withPolicyId(policyId)));
    assert.deepEqual((versions.versions as Row[]).map((v) => v.version_id), ["v1", "v2", "v3", "v4", "v5"]);
    await v5.setDefaultPolicyVersionV5(new SetDefaultPolicyVersionV5Request().withPolicyId(policyId).withVersionId("v1"));
    assert.equal((wire(await v5.getPolicyV5(new GetPolicyV5Request().withPolicyId(policyId))).policy as Row).default_version_id, "v1");
    const got = wire(await v5.getPolicyVersionV5(new GetPolicyVersionV5Request().withPolicyId(policyId).withVersionId("v1")));
    assert.deepEqual(JSON.parse(String((got.policy_version as Row).document)), JSON.parse(doc(["ecs:cloudServers:list"])));
    const deleteDefault = await sdkError(v5.deletePolicyVersionV5(new DeletePolicyVersionV5Request().withPolicyId(policyId).withVersionId("v1")));
    assert.equal(deleteDefault.httpStatusCode, 409);
    await v5.deletePolicyVersionV5(new DeletePolicyVersionV5Request().withPolicyId(policyId).withVersionId("v5"));
    assert.equal((await sdkError(v5.getPolicyVersionV5(new GetPolicyVersionV5Request().withPolicyId(policyId).withVersionId("v5")))).httpStatusCode, 404);

    const listed = wire(await v5.listPoliciesV5(new ListPoliciesV5Request().withPathPrefix("team/")));
    assert.deepEqual((listed.policies as Row[]).map((p) => p.policy_name), ["ecs-read"]);
    assert.deepEqual(wire(await v5.listPoliciesV5(new ListPoliciesV5Request().withPolicyType("system"))).policies, []);

    const badVersion = await sdkError(v5.createPolicyV5(new CreatePolicyV5Request().withBody(new CreatePolicyReqBody().withPolicyName("x").withPolicyDocument(JSON.stringify({ Version: "1.1", Statement: [] })))));
    assert.equal(badVersion.httpStatusCode, 400);
    const notJson = await sdkError(v5.createPolicyV5(new CreatePolicyV5Request().withBody(new CreatePolicyReqBody().withPolicyName("x").withPolicyDocument("{"))));
    assert.equal(notJson.httpStatusCode, 400);
    const dup = await sdkError(v5.createPolicyV5(new CreatePolicyV5Request().withBody(new CreatePolicyReqBody().withPolicyName("ecs-read").withPolicyDocument(doc(["ecs:*:*"])))));
    assert.equal(dup.httpStatusCode, 409);
  });

  test("agencies: trust, update, trust policy, service-linked", async () => {
    const trusted = hw.seed.tenants![0]!.domain.id;
    const trust = JSON.stringify({ Version: "5.0", Statement: [{ Effect: "Allow", Action: ["sts:agencies:assume"], Principal: { IAM: [`iam::${trusted}:root`] } }] });
    const created = wire(await v5.createAgencyV5(new CreateAgencyV5Request().withBody(new CreateAgencyReqBody().withAgencyName("auditors").withTrustPolicy(trust).withMaxSessionDuration(7200))));
    const agency = created.agency as Row;
    agencyId = String(agency.agency_id);
    assert.equal(agency.trust_domain_id, trusted);
    assert.equal(agency.trust_domain_name, "trusted");
    assert.equal(agency.max_session_duration, 7200);
    const updated = wire(await v5.updateAgencyV5(new UpdateAgencyV5Request().withAgencyId(agencyId).withBody(new UpdateAgencyReqBody().withDescription("audit").withMaxSessionDuration(3600))));
    assert.equal((updated.agency as Row).description, "audit");
    const svcTrust = JSON.stringify({ Version: "5.0", Statement: [{ Effect: "Allow", Action: ["sts:agencies:assume"], Principal: { Service: ["service.ECS"] } }] });
    await v5.updateTrustPolicyV5(new UpdateTrustPolicyV5Request().withAgencyId(agencyId).withBody(new UpdateTrustPolicyReqBody().withTrustPolicy(svcTrust)));
    const shown = wire(await v5.getAgencyV5(new GetAgencyV5Request().withAgencyId(agencyId))).agency as Row;
    assert.equal(shown.trust_domain_id, "");
    assert.deepEqual(JSON.parse(String(shown.trust_policy)), JSON.parse(svcTrust));
    assert.deepEqual(shown.tags, []);
    const badTrust = await sdkError(v5.createAgencyV5(new CreateAgencyV5Request().withBody(new CreateAgencyReqBody().withAgencyName("bad").withTrustPolicy(JSON.stringify({ Version: "5.0", Statement: [{ Effect: "Allow" }] })))));
    assert.equal(badTrust.httpStatusCode, 400);

    const linked = wire(await v5.createServiceLinkedAgencyV5(new CreateServiceLinkedAgencyV5Request().withBody(new CreateServiceLinkedAgencyReqBody().withServicePrincipal("service.CES")))).agency as Row;
    assert.equal(linked.agency_name, "ServiceLinkedAgencyForCES");
    assert.equal(linked.path, "service-linked-agency/service.CES/");
    const listed = wire(await v5.listAgenciesV5(new ListAgenciesV5Request()));
    assert.deepEqual((listed.agencies as Row[]).map((a) => a.agency_name), ["auditors", "ServiceLinkedAgencyForCES"]);
    const plainDelete = await sdkError(v5.deleteAgencyV5(new DeleteAgencyV5Request().withAgencyId(String(linked.agency_id))));
    assert.equal(plainDelete.httpStatusCode, 403);
    const task = wire(await v5.deleteServiceLinkedAgencyV5(new DeleteServiceLinkedAgencyV5Request().withAgencyId(String(linked.agency_id))));
    const status = wire(await v5.getServiceLinkedAgencyDeletionStatusV5(new GetServiceLinkedAgencyDeletionStatusV5Request().withDeletionTaskId(String(task.deletion_task_id))));
    assert.equal(status.status, "SUCCEEDED");
    assert.equal((await sdkError(v5.getAgencyV5(new GetAgencyV5Request().withAgencyId(String(linked.agency_id))))).httpStatusCode, 404);
  });

  test("attach to a user, a group and an agency; list both ways; detach; delete", async () => {
    const groupId = String((wire(await v5.createGroupV5(new CreateGroupV5Request().withBody(new CreateGroupReqBody().withGroupName("readers")))).group as Row).group_id);
    const userId = hw.seed.user.id;
    await v5.attachUserPolicyV5(new AttachUserPolicyV5Request().withPolicyId(policyId).withBody(new AttachUserPolicyReqBody().withUserId(userId)));
    await v5.attachGroupPolicyV5(new AttachGroupPolicyV5Request().withPolicyId(policyId).withBody(new AttachGroupPolicyReqBody().withGroupId(groupId)));
    await v5.attachAgencyPolicyV5(new AttachAgencyPolicyV5Request().withPolicyId(policyId).withBody(new AttachAgencyPolicyReqBody().withAgencyId(agencyId)));
    const missing = await sdkError(v5.attachGroupPolicyV5(new AttachGroupPolicyV5Request().withPolicyId(policyId).withBody(new AttachGroupPolicyReqBody().withGroupId("0".repeat(32)))));
    assert.equal(missing.httpStatusCode, 404);

    const names = (r: Record<string, unknown>) => (r.attached_policies as Row[]).map((p) => p.policy_name);
    assert.deepEqual(names(wire(await v5.listAttachedUserPoliciesV5(new ListAttachedUserPoliciesV5Request().withUserId(userId)))), ["ecs-read"]);
    assert.deepEqual(names(wire(await v5.listAttachedGroupPoliciesV5(new ListAttachedGroupPoliciesV5Request().withGroupId(groupId)))), ["ecs-read"]);
    assert.deepEqual(names(wire(await v5.listAttachedAgencyPoliciesV5(new ListAttachedAgencyPoliciesV5Request().withAgencyId(agencyId)))), ["ecs-read"]);
    const entities = wire(await v5.listEntitiesForPolicyV5(new ListEntitiesForPolicyV5Request().withPolicyId(policyId)));
    assert.deepEqual([(entities.policy_users as Row[]).length, (entities.policy_groups as Row[]).length, (entities.policy_agencies as Row[]).length], [1, 1, 1]);
    const groupsOnly = wire(await v5.listEntitiesForPolicyV5(new ListEntitiesForPolicyV5Request().withPolicyId(policyId).withEntityType("group")));
    assert.deepEqual(groupsOnly.policy_users, []);
    assert.equal((wire(await v5.getPolicyV5(new GetPolicyV5Request().withPolicyId(policyId))).policy as Row).attachment_count, 3);
    // The user's effective v5 policies: the default version (v1) of the policy attached to it directly.
    const effective = v5PoliciesOf(new IamStore(hw.db), userId);
    assert.deepEqual(effective.map((e) => [e.policyId, e.via, JSON.parse(e.document)]), [[policyId, "user", JSON.parse(doc(["ecs:cloudServers:list"]))]]);
    assert.deepEqual(wire(await v5.listPoliciesV5(new ListPoliciesV5Request().withOnlyAttached(true))).policies instanceof Array, true);

    const attached = await sdkError(v5.deletePolicyV5(new DeletePolicyV5Request().withPolicyId(policyId)));
    assert.equal(attached.httpStatusCode, 409);
    await v5.detachUserPolicyV5(new DetachUserPolicyV5Request().withPolicyId(policyId).withBody(new DetachUserPolicyReqBody().withUserId(userId)));
    await v5.detachGroupPolicyV5(new DetachGroupPolicyV5Request().withPolicyId(policyId).withBody(new DetachGroupPolicyReqBody().withGroupId(groupId)));
    await v5.detachAgencyPolicyV5(new DetachAgencyPolicyV5Request().withPolicyId(policyId).withBody(new DetachAgencyPolicyReqBody().withAgencyId(agencyId)));
    const again = await sdkError(v5.detachAgencyPolicyV5(new DetachAgencyPolicyV5Request().withPolicyId(policyId).withBody(new DetachAgencyPolicyReqBody().withAgencyId(agencyId))));
    assert.equal(again.httpStatusCode, 404);
    await v5.deletePolicyV5(new DeletePolicyV5Request().withPolicyId(policyId));
    assert.equal((await sdkError(v5.getPolicyV5(new GetPolicyV5Request().withPolicyId(policyId)))).httpStatusCode, 404);
    await v5.deleteAgencyV5(new DeleteAgencyV5Request().withAgencyId(agencyId));
  });
});
