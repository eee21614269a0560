// Agencies through the official IAM SDK: create (to another domain and to a cloud service), list, show, update,
// delete, and their grants on a project, on the domain and on all projects, with the agency's policies.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AssociateAgencyWithAllProjectsPermissionRequest,
  AssociateAgencyWithDomainPermissionRequest,
  AssociateAgencyWithProjectPermissionRequest,
  CheckAllProjectsPermissionForAgencyRequest,
  CheckDomainPermissionForAgencyRequest,
  CheckProjectPermissionForAgencyRequest,
  CreateAgencyOption,
  CreateAgencyRequest,
  CreateAgencyRequestBody,
  DeleteAgencyRequest,
  IamClient,
  KeystoneListPermissionsRequest,
  ListAgenciesRequest,
  ListAllProjectsPermissionsForAgencyRequest,
  ListDomainPermissionsForAgencyRequest,
  ListProjectPermissionsForAgencyRequest,
  RemoveAllProjectsPermissionFromAgencyRequest,
  RemoveDomainPermissionFromAgencyRequest,
  RemoveProjectPermissionFromAgencyRequest,
  ShowAgencyRequest,
  UpdateAgencyOption,
  UpdateAgencyRequest,
  UpdateAgencyRequestBody,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import { agencyPolicies } from "../src/services/iam/roles.ts";
import { IamStore } from "../src/services/iam/store.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { iamClient, iamProjectClient, sdkError, wire } from "./helpers/sdk.ts";

type Row = Record<string, unknown>;
const rows = (v: unknown) => v as Row[];

describe("IAM agencies", () => {
  let hw: TestHwlocal;
  let admin: IamClient;
  let partner: IamClient;
  let agencyId: string;
  const domainId = () => hw.seed.domain.id;
  const roleId = async (displayName: string) =>
    String(rows(wire(await admin.keystoneListPermissions(new KeystoneListPermissionsRequest().withDisplayName(displayName))).roles)[0]!.id);
  const create = (o: CreateAgencyOption) => admin.createAgency(new CreateAgencyRequest().withBody(new CreateAgencyRequestBody().withAgency(o)));

  before(async () => {
    hw = await startTestHwlocal({
      seed: { tenants: [{ domain: { name: "partner" }, access_key: { ak: "PARTNERTENANTKEY0001", sk: "partnerTenantSecretKey000000000000001" } }] },
    });
    admin = iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id });
    const t = hw.seed.tenants![0]!;
    partner = iamClient(hw.url, { ak: t.accessKey.ak, sk: t.accessKey.sk, domainId: t.domain.id });
  });
  after(() => hw.close());

  test("create, list, show, update and delete", async () => {
    const created = wire(await create(new CreateAgencyOption().withName("ops-from-partner").withDomainId(domainId()).withTrustDomainName("partner").withDescription("partner ops").withDuration("ONEDAY" as unknown as object)));
    assert.equal(created.httpStatusCode, 201);
    const agency = created.agency as Row;
    agencyId = String(agency.id);
    assert.equal(agency.trust_domain_id, hw.seed.tenants![0]!.domain.id);
    assert.equal(agency.duration, "ONEDAY");
    assert.equal(Date.parse(`${String(agency.expire_time)}Z`) - Date.parse(`${String(agency.create_time)}Z`), 24 * 3600 * 1000);

    const service = wire(await create(new CreateAgencyOption().withName("ecs-to-obs").withDomainId(domainId()).withTrustDomainName("op_svc_ecs")));
    assert.equal((service.agency as Row).duration, "FOREVER");
    assert.equal((service.agency as Row).expire_time, null);

    const listed = wire(await admin.listAgencies(new ListAgenciesRequest().withDomainId(domainId())));
    assert.deepEqual(rows(listed.agencies).map((a) => a.name), ["ops-from-partner", "ecs-to-obs"]);
    const named = wire(await admin.listAgencies(new ListAgenciesRequest().withDomainId(domainId()).withName("ecs-to-obs")));
    assert.equal(rows(named.agencies).length, 1);

    const updated = wire(
      await admin.updateAgency(
        new UpdateAgencyRequest().withAgencyId(agencyId).withBody(new UpdateAgencyRequestBody().withAgency(new UpdateAgencyOption().withDescription("v2").withDuration("FOREVER" as unknown as object))),
      ),
    );
    assert.equal((updated.agency as Row).description, "v2");
    assert.equal((updated.agency as Row).expire_time, null);
    const shown = wire(await admin.showAgency(new ShowAgencyRequest().withAgencyId(agencyId)));
    assert.equal((shown.agency as Row).description, "v2");

    // Errors: a name in use, an unknown trusted domain, another domain's agency, self-delegation.
    const dup = await sdkError(create(new CreateAgencyOption().withName("ecs-to-obs").withDomainId(domainId()).withTrustDomainName("op_svc_ecs")));
    assert.equal(dup.httpStatusCode, 409);
    const unknown = await sdkError(create(new CreateAgencyOption().withName("x").withDomainId(domainId()).withTrustDomainName("nobody")));
    assert.equal(unknown.httpStatusCode, 404);
    assert.equal(unknown.errorCode, "IAM.0004");
    const self = await sdkError(create(new CreateAgencyOption().withName("y").withDomainId(domainId()).withTrustDomainId(domainId())));
    assert.equal(self.httpStatusCode, 400);
    const foreign = await sdkError(partner.showAgency(new ShowAgencyRequest().withAgencyId(agencyId)));
    assert.equal(foreign.httpStatusCode, 404);

    const serviceId = String((service.agency as Row).id);
    const del = wire(await admin.deleteAgency(new DeleteAgencyRequest().withAgencyId(serviceId)));
    assert.equal(del.httpStatusCode, 204);
    assert.equal((await sdkError(admin.showAgency(new ShowAgencyRequest().withAgencyId(serviceId)))).httpStatusCode, 404);
  });

  test("grants on a project, on the domain and on all projects", async () => {
    const ecsRead = await roleId("ECS ReadOnlyAccess");
    const iamRead = await roleId("IAM ReadOnlyAccess");
    const vpcFull = await roleId("VPC FullAccess");
    const project = iamProjectClient(hw.url, { ...hw.admin, projectId: hw.projectId("cn-north-4") });

    await project.associateAgencyWithProjectPermission(new AssociateAgencyWithProjectPermissionRequest().withAgencyId(agencyId).withRoleId(ecsRead));
    assert.equal(wire(await project.checkProjectPermissionForAgency(new CheckProjectPermissionForAgencyRequest().withAgencyId(agencyId).withRoleId(ecsRead))).httpStatusCode, 204);
    const onProject = wire(await project.listProjectPermissionsForAgency(new ListProjectPermissionsForAgencyRequest().withAgencyId(agencyId)));
    assert.deepEqual(rows(onProject.roles).map((r) => r.display_name), ["ECS ReadOnlyAccess"]);

    await admin.associateAgencyWithDomainPermission(new AssociateAgencyWithDomainPermissionRequest().withDomainId(domainId()).withAgencyId(agencyId).withRoleId(iamRead));
    assert.equal(wire(await admin.checkDomainPermissionForAgency(new CheckDomainPermissionForAgencyRequest().withDomainId(domainId()).withAgencyId(agencyId).withRoleId(iamRead))).httpStatusCode, 204);
    const onDomain = wire(await admin.listDomainPermissionsForAgency(new ListDomainPermissionsForAgencyRequest().withDomainId(domainId()).withAgencyId(agencyId)));
    assert.deepEqual(rows(onDomain.roles).map((r) => r.display_name), ["IAM ReadOnlyAccess"]);
    // A project-only policy is refused on the domain.
    const refused = await sdkError(admin.associateAgencyWithDomainPermission(new AssociateAgencyWithDomainPermissionRequest().withDomainId(domainId()).withAgencyId(agencyId).withRoleId(vpcFull)));
    assert.equal(refused.httpStatusCode, 400);

    await admin.associateAgencyWithAllProjectsPermission(new AssociateAgencyWithAllProjectsPermissionRequest().withDomainId(domainId()).withAgencyId(agencyId).withRoleId(vpcFull));
    assert.equal(wire(await admin.checkAllProjectsPermissionForAgency(new CheckAllProjectsPermissionForAgencyRequest().withDomainId(domainId()).withAgencyId(agencyId).withRoleId(vpcFull))).httpStatusCode, 204);
    const onAll = wire(await admin.listAllProjectsPermissionsForAgency(new ListAllProjectsPermissionsForAgencyRequest().withDomainId(domainId()).withAgencyId(agencyId)));
    assert.deepEqual(rows(onAll.roles).map((r) => r.display_name), ["VPC FullAccess"]);

    const store = new IamStore(hw.db);
    const north = agencyPolicies(store, agencyId, hw.projectId("cn-north-4")).map((p) => `${p.grantedOn}:${p.role.display_name}`).sort();
    assert.deepEqual(north, ["all-projects:VPC FullAccess", "domain:IAM ReadOnlyAccess", "project:ECS ReadOnlyAccess"]);
    const east = agencyPolicies(store, agencyId, hw.projectId("cn-east-3")).map((p) => p.role.display_name).sort();
    assert.deepEqual(east, ["IAM ReadOnlyAccess", "VPC FullAccess"]);

    await project.removeProjectPermissionFromAgency(new RemoveProjectPermissionFromAgencyRequest().withAgencyId(agencyId).withRoleId(ecsRead));
    await admin.removeDomainPermissionFromAgency(new RemoveDomainPermissionFromAgencyRequest().withDomainId(domainId()).withAgencyId(agencyId).withRoleId(iamRead));
    await admin.removeAllProjectsPermissionFromAgency(new RemoveAllProjectsPermissionFromAgencyRequest().withDomainId(domainId()).withAgencyId(agencyId).withRoleId(vpcFull));
    const gone = await sdkError(admin.checkAllProjectsPermissionForAgency(new CheckAllProjectsPermissionForAgencyRequest().withDomainId(domainId()).withAgencyId(agencyId).withRoleId(vpcFull)));
    assert.equal(gone.httpStatusCode, 404);
    const again = await sdkError(project.removeProjectPermissionFromAgency(new RemoveProjectPermissionFromAgencyRequest().withAgencyId(agencyId).withRoleId(ecsRead)));
    assert.equal(again.httpStatusCode, 404);
    assert.deepEqual(agencyPolicies(new IamStore(hw.db), agencyId, hw.projectId("cn-north-4")), []);
    // The partner domain cannot grant on this domain's agency.
    const foreign = await sdkError(partner.associateAgencyWithDomainPermission(new AssociateAgencyWithDomainPermissionRequest().withDomainId(hw.seed.tenants![0]!.domain.id).withAgencyId(agencyId).withRoleId(iamRead)));
    assert.equal(foreign.httpStatusCode, 404);
  });
});
