// assume_role (issue 12): an agency's token and temporary keys act in the delegating domain only with the
// agency's grants. The default domain creates an agency trusting the acme tenant with ECS ReadOnlyAccess on
// cn-north-4; acme's user gets an agency token (KeystoneCreateAgencyToken) and a temporary key
// (CreateTemporaryAccessKeyByAgency) through the official IAM SDK, and with them lists servers and VPCs in the
// default domain's cn-north-4 project (ECS and VPC SDKs for the key, the token as X-Auth-Token), is refused
// creating a server (403 Pdp.0001) and refused in cn-east-3. Refusals: a user of the default domain, an
// unknown agency or domain, a scope without grants, a user without Agent Operator, an expired agency.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import {
  AgencyAuth,
  AgencyAuthIdentity,
  AgencyTokenAssumerole,
  AgencyTokenAuth,
  AgencyTokenIdentity,
  AgencyTokenScope,
  AgencyTokenScopeDomain,
  AgencyTokenScopeProject,
  AssociateAgencyWithDomainPermissionRequest,
  AssociateAgencyWithProjectPermissionRequest,
  CreateAgencyOption,
  CreateAgencyRequest,
  CreateAgencyRequestBody,
  CreateCredentialOption,
  CreatePermanentAccessKeyRequest,
  CreatePermanentAccessKeyRequestBody,
  CreateTemporaryAccessKeyByAgencyRequest,
  CreateTemporaryAccessKeyByAgencyRequestBody,
  DeleteAgencyRequest,
  IamClient,
  IdentityAssumerole,
  KeystoneCreateAgencyTokenRequest,
  KeystoneAddUserToGroupRequest,
  KeystoneAssociateGroupWithDomainPermissionRequest,
  KeystoneCreateAgencyTokenRequestBody,
  KeystoneCreateGroupOption,
  KeystoneCreateGroupRequest,
  KeystoneCreateGroupRequestBody,
  KeystoneCreateUserOption,
  KeystoneCreateUserRequest,
  KeystoneCreateUserRequestBody,
  KeystoneListPermissionsRequest,
  RemoveProjectPermissionFromAgencyRequest,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import {
  CreatePostPaidServersRequest,
  CreatePostPaidServersRequestBody,
  EcsClient,
  ListServersDetailsRequest,
  PostPaidServer,
  PostPaidServerNic,
  PostPaidServerRootVolume,
} from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import { CreateVpcOption, CreateVpcRequest, CreateVpcRequestBody, ListVpcsRequest, VpcClient } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { iamClient, iamProjectClient, sdkError, wire } from "./helpers/sdk.ts";
import type { Credentials } from "./helpers/sign.ts";
import { ACME, startTenancy, UBUNTU, type Tenancy } from "./helpers/tenancy.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;
const AGENCY = "acme-ops";

function basic(url: string, creds: Credentials, projectId: string): BasicCredentials {
  let c = new BasicCredentials().withAk(creds.ak).withSk(creds.sk).withProjectId(projectId);
  if (creds.securityToken) c = c.withSecurityToken(creds.securityToken);
  return c;
}
const ecs = (url: string, creds: Credentials, projectId: string) =>
  EcsClient.newBuilder().withCredential(basic(url, creds, projectId)).withEndpoint(`${url}/ecs`).build();
const vpc = (url: string, creds: Credentials, projectId: string) =>
  VpcClient.newBuilder().withCredential(basic(url, creds, projectId)).withEndpoint(`${url}/vpc`).build();

function agencyTokenRequest(assume: { agency: string; domainName?: string; domainId?: string }, scope: { project?: string; domain?: string } = {}) {
  let role = new AgencyTokenAssumerole().withAgencyName(assume.agency);
  if (assume.domainName) role = role.withDomainName(assume.domainName);
  if (assume.domainId) role = role.withDomainId(assume.domainId);
  let s = new AgencyTokenScope();
  if (scope.project) s = s.withProject(new AgencyTokenScopeProject().withId(scope.project));
  if (scope.domain) s = s.withDomain(new AgencyTokenScopeDomain().withName(scope.domain));
  const identity = new AgencyTokenIdentity().withMethods(["assume_role"]).withAssumeRole(role);
  return new KeystoneCreateAgencyTokenRequest().withBody(new KeystoneCreateAgencyTokenRequestBody().withAuth(new AgencyTokenAuth().withIdentity(identity).withScope(s)));
}

function agencyKeyRequest(agency: string, domainId: string, seconds = 900) {
  const identity = new AgencyAuthIdentity()
    .withMethods(["assume_role"])
    .withAssumeRole(new IdentityAssumerole().withAgencyName(agency).withDomainId(domainId).withDurationSeconds(seconds));
  return new CreateTemporaryAccessKeyByAgencyRequest().withBody(new CreateTemporaryAccessKeyByAgencyRequestBody().withAuth(new AgencyAuth().withIdentity(identity)));
}

function serverBody(vpcId: string, subnetId: string) {
  return new CreatePostPaidServersRequestBody().withServer(
    new PostPaidServer()
      .withName("by-agency")
      .withFlavorRef("s6.small.1")
      .withImageRef(UBUNTU)
      .withVpcid(vpcId)
      .withNics([new PostPaidServerNic().withSubnetId(subnetId)])
      .withRootVolume(new PostPaidServerRootVolume().withVolumetype("SSD")),
  );
}

describe("IAM assume_role: agency tokens and temporary keys", () => {
  let t: Tenancy;
  let admin: IamClient;
  let acme: IamClient;
  let agencyId: string;
  let readOnlyId: string;
  let vpcId: string;
  let subnetId: string;
  const home = () => t.hw.seed.domain;

  const createAgency = async (name: string, duration?: string) =>
    String(
      (
        wire(
          await admin.createAgency(
            new CreateAgencyRequest().withBody(
              new CreateAgencyRequestBody().withAgency(
                new CreateAgencyOption()
                  .withName(name)
                  .withDomainId(home().id)
                  .withTrustDomainId(t.acmeDomainId)
                  .withDuration((duration ?? "FOREVER") as unknown as object),
              ),
            ),
          ),
        ).agency as Row
      ).id,
    );
  const grantOn = (project: string, agency: string, role: string) =>
    iamProjectClient(t.hw.url, { ...t.hw.admin, projectId: project }).associateAgencyWithProjectPermission(
      new AssociateAgencyWithProjectPermissionRequest().withAgencyId(agency).withRoleId(role),
    );

  before(async () => {
    t = await startTenancy();
    admin = iamClient(t.hw.url, { ...t.hw.admin, domainId: home().id });
    acme = iamClient(t.hw.url, { ...ACME, domainId: t.acmeDomainId });
    readOnlyId = String(((wire(await admin.keystoneListPermissions(new KeystoneListPermissionsRequest().withDisplayName("ECS ReadOnlyAccess"))).roles as Row[])[0] as Row).id);
    agencyId = await createAgency(AGENCY);
    await grantOn(t.a, agencyId, readOnlyId);
    const v = vpcClient(t.hw.url, t.hw.admin, t.a);
    vpcId = (await newVpc(v, "10.9.0.0/16")).id;
    subnetId = (await newSubnet(v, { vpcId, cidr: "10.9.1.0/24", gatewayIp: "10.9.1.1" })).id;
  });
  after(() => t.hw.close());

  test("acme's user gets an agency token (SDK, AK/SK): the agency as user, acme's user as assumed_by, the agency's roles", async () => {
    const res = wire(await acme.keystoneCreateAgencyToken(agencyTokenRequest({ agency: AGENCY, domainName: home().name }, { project: t.a })));
    assert.equal(res.httpStatusCode, 201);
    assert.match(String(res["X-Subject-Token"]), /^MII/);
    const token = res.token as Row;
    assert.deepEqual(token.methods, ["assume_role"]);
    assert.deepEqual(token.user, { id: agencyId, name: `${home().name}/${AGENCY}`, domain: { id: home().id, name: home().name } });
    const by = (token.assumed_by as Row).user as Row;
    assert.equal(by.name, "root");
    assert.deepEqual(by.domain, { id: t.acmeDomainId, name: "acme" });
    assert.deepEqual(token.project, { id: t.a, name: "cn-north-4", domain: { id: home().id, name: home().name } });
    assert.deepEqual(token.roles, [{ id: "0", name: "system_all_8" }]);
    const catalog = token.catalog as { type: string; endpoints: { url: string }[] }[];
    assert.ok(catalog.find((c) => c.type === "compute")?.endpoints.some((e) => e.url.includes(t.a)), JSON.stringify(catalog));
  });

  test("the agency token (X-Auth-Token of acme's user) lists servers and VPCs in cn-north-4, may not create, and nothing elsewhere", async () => {
    const issued = await t.hw.call("POST", "/iam/v3/auth/tokens", {
      creds: null,
      headers: { "X-Auth-Token": t.tokenX },
      body: { auth: { identity: { methods: ["assume_role"], assume_role: { domain_id: home().id, agency_name: AGENCY } }, scope: { project: { name: "cn-north-4" } } } },
    });
    assert.equal(issued.status, 201, issued.text);
    const token = issued.headers.get("x-subject-token")!;
    const as = (method: string, path: string, body?: unknown) => t.hw.call(method, path, { creds: null, headers: { "X-Auth-Token": token }, body });

    const servers = await as("GET", `/ecs/v1/${t.a}/cloudservers/detail`);
    assert.equal(servers.status, 200, servers.text);
    assert.equal(servers.json.count, 0);
    const vpcs = await as("GET", `/vpc/v1/${t.a}/vpcs`);
    assert.equal(vpcs.status, 200, vpcs.text);
    assert.deepEqual((vpcs.json.vpcs as Row[]).map((v) => v.id), [vpcId]);

    const create = await as("POST", `/ecs/v1/${t.a}/cloudservers`, {
      server: { name: "x", imageRef: UBUNTU, flavorRef: "s6.small.1", vpcid: vpcId, nics: [{ subnet_id: subnetId }], root_volume: { volumetype: "SSD" } },
    });
    assert.equal(create.status, 403, create.text);
    assert.equal(create.json.error_code, "Pdp.0001");
    assert.equal(create.json.error_msg, "Policy doesn't allow ecs:cloudServers:createServers to be performed.");
    const deleteVpc = await as("DELETE", `/vpc/v1/${t.a}/vpcs/${vpcId}`);
    assert.equal(deleteVpc.status, 403, deleteVpc.text);
    assert.equal(deleteVpc.json.error_code, "VPC.2201");

    // cn-east-3 of the same domain: the token is scoped to cn-north-4; acme's own project: another domain.
    assert.equal((await as("GET", `/ecs/v1/${t.b}/cloudservers/detail`)).status, 403);
    assert.equal((await as("GET", `/ecs/v1/${t.x}/cloudservers/detail`)).status, 403);
    // IAM itself: the agency holds no IAM grant, and is not in the admin group.
    const projectList = await as("GET", "/iam/v3/projects");
    assert.equal(projectList.status, 403, projectList.text);
    assert.equal(projectList.json.error_code, "IAM.0003");
    const users = await as("GET", "/iam/v3/users");
    assert.equal(users.status, 403, users.text);
    assert.equal(users.json.error_code, "IAM.0002");
    // The token validates as itself (GET /v3/auth/tokens), in the delegating domain.
    const self = await t.hw.call("GET", "/iam/v3/auth/tokens", { creds: null, headers: { "X-Auth-Token": token, "X-Subject-Token": token } });
    assert.equal(self.status, 200, self.text);
    assert.equal(((self.json.token as Row).user as Row).id, agencyId);
    // The projects it may act in.
    const projects = await as("GET", "/iam/v3/auth/projects");
    assert.deepEqual((projects.json.projects as Row[]).map((p) => p.id), [t.a]);

    // A temporary key asked with the agency token (token method) acts by the same agency, in its project.
    const keyed = await as("POST", "/iam/v3.0/OS-CREDENTIAL/securitytokens", { auth: { identity: { methods: ["token"], token: { duration_seconds: 900 } } } });
    assert.equal(keyed.status, 201, keyed.text);
    const c = keyed.json.credential as { access: string; secret: string; securitytoken: string };
    const key: Credentials = { ak: c.access, sk: c.secret, securityToken: c.securitytoken };
    assert.deepEqual((wire(await vpc(t.hw.url, key, t.a).listVpcs(new ListVpcsRequest())).vpcs as Row[]).map((v) => v.id), [vpcId]);
    const refused = await sdkError(vpc(t.hw.url, key, t.a).createVpc(new CreateVpcRequest().withBody(new CreateVpcRequestBody().withVpc(new CreateVpcOption().withName("no").withCidr("10.11.0.0/16")))));
    assert.equal(refused.errorCode, "VPC.2201");
    // The token method does not turn an agency token into another token.
    const exchanged = await as("POST", "/iam/v3/auth/tokens", { auth: { identity: { methods: ["token"], token: { id: token } } } });
    assert.equal(exchanged.status, 403, exchanged.text);
    assert.equal(exchanged.json.error_code, "IAM.0002");
  });

  test("a temporary key by agency (SDK) signs ECS and VPC SDK calls in the delegating domain with the agency's grants", async () => {
    const now = Date.parse(String((await t.hw.call("GET", "/_hwlocal/clock", { creds: null })).json.now));
    const res = wire(await acme.createTemporaryAccessKeyByAgency(agencyKeyRequest(AGENCY, home().id, 3600)));
    assert.equal(res.httpStatusCode, 201);
    const c = res.credential as { access: string; secret: string; securitytoken: string; expires_at: string };
    assert.ok(c.access && c.secret && c.securitytoken);
    const lasts = Date.parse(c.expires_at) - now;
    assert.ok(lasts >= 3600 * 1000 && lasts < 3610 * 1000, String(lasts));
    const key: Credentials = { ak: c.access, sk: c.secret, securityToken: c.securitytoken };

    assert.equal(wire(await ecs(t.hw.url, key, t.a).listServersDetails(new ListServersDetailsRequest())).count, 0);
    const listed = wire(await vpc(t.hw.url, key, t.a).listVpcs(new ListVpcsRequest()));
    assert.deepEqual((listed.vpcs as Row[]).map((v) => v.id), [vpcId]);

    const refused = await sdkError(ecs(t.hw.url, key, t.a).createPostPaidServers(new CreatePostPaidServersRequest().withBody(serverBody(vpcId, subnetId))));
    assert.equal(refused.httpStatusCode, 403);
    assert.equal(refused.errorCode, "Pdp.0001");
    assert.equal(refused.errorMsg, "Policy doesn't allow ecs:cloudServers:createServers to be performed.");
    const noVpc = await sdkError(vpc(t.hw.url, key, t.a).createVpc(new CreateVpcRequest().withBody(new CreateVpcRequestBody().withVpc(new CreateVpcOption().withName("no").withCidr("10.10.0.0/16")))));
    assert.equal(noVpc.httpStatusCode, 403);
    assert.equal(noVpc.errorCode, "VPC.2201");
    // A login token bought with the key is the agency's, assumed by acme's user.
    const login = await t.hw.call("POST", "/iam/v3.0/OS-AUTH/securitytoken/logintokens", {
      creds: null,
      body: { auth: { securitytoken: { access: c.access, secret: c.secret, id: c.securitytoken } } },
    });
    assert.equal(login.status, 201, login.text);
    const lt = login.json.logintoken as Row;
    assert.equal(lt.domain_id, home().id);
    assert.equal(lt.user_id, agencyId);
    assert.equal(lt.user_name, `${home().name}/${AGENCY}`);
    assert.deepEqual(((lt.assumed_by as Row).user as Row).domain, { id: t.acmeDomainId, name: "acme" });

    const east = await sdkError(ecs(t.hw.url, key, t.b).listServersDetails(new ListServersDetailsRequest()));
    assert.equal(east.httpStatusCode, 403);
    assert.equal(east.errorCode, "Pdp.0001");
    // acme's own project is another domain's: the key acts in the delegating domain only.
    const own = await sdkError(ecs(t.hw.url, key, t.x).listServersDetails(new ListServersDetailsRequest()));
    assert.equal(own.httpStatusCode, 403);

    // Removing the agency's grant takes effect at once for the key in use.
    await iamProjectClient(t.hw.url, { ...t.hw.admin, projectId: t.a }).removeProjectPermissionFromAgency(
      new RemoveProjectPermissionFromAgencyRequest().withAgencyId(agencyId).withRoleId(readOnlyId),
    );
    const gone = await sdkError(ecs(t.hw.url, key, t.a).listServersDetails(new ListServersDetailsRequest()));
    assert.equal(gone.errorCode, "Pdp.0001");
    await grantOn(t.a, agencyId, readOnlyId);
    assert.equal(wire(await ecs(t.hw.url, key, t.a).listServersDetails(new ListServersDetailsRequest())).count, 0);
  });

  test("refusals: not the trusted domain, unknown agency or domain, no grants on the scope, no Agent Operator, bad duration", async () => {
    // The IAM SDK reports Keystone-shaped errors by their numeric code; the raw body also names IAM's code.
    const home403 = await sdkError(admin.keystoneCreateAgencyToken(agencyTokenRequest({ agency: AGENCY, domainName: home().name }, { project: t.a })));
    assert.equal(home403.httpStatusCode, 403);
    assert.equal(home403.errorMsg, `You are not authorized to perform the requested action. The agency ${AGENCY} does not trust the domain of the caller.`);
    const raw = await t.hw.call("POST", "/iam/v3/auth/tokens", {
      body: { auth: { identity: { methods: ["assume_role"], assume_role: { domain_name: home().name, agency_name: AGENCY } } } },
    });
    assert.equal(raw.status, 403, raw.text);
    assert.equal(raw.json.error_code, "IAM.0002");
    const homeKey = await sdkError(admin.createTemporaryAccessKeyByAgency(agencyKeyRequest(AGENCY, home().id)));
    assert.equal(homeKey.httpStatusCode, 403);

    const unknown = await sdkError(acme.keystoneCreateAgencyToken(agencyTokenRequest({ agency: "nobody", domainName: home().name }, { project: t.a })));
    assert.equal(unknown.httpStatusCode, 404);
    assert.equal(unknown.errorMsg, "Could not find agency: nobody.");
    const unknownKey = await sdkError(acme.createTemporaryAccessKeyByAgency(agencyKeyRequest("nobody", home().id)));
    assert.equal(unknownKey.httpStatusCode, 404);
    const noDomain = await sdkError(acme.keystoneCreateAgencyToken(agencyTokenRequest({ agency: AGENCY, domainName: "no-such-domain" })));
    assert.equal(noDomain.httpStatusCode, 404);
    assert.equal(noDomain.errorMsg, "Could not find domain: no-such-domain.");

    // The agency holds nothing on cn-east-3 nor on the domain.
    const east = await sdkError(acme.keystoneCreateAgencyToken(agencyTokenRequest({ agency: AGENCY, domainName: home().name }, { project: t.b })));
    assert.equal(east.httpStatusCode, 401);
    assert.match(east.errorMsg, /^The request you have made requires authentication\. The agency acme-ops has no permission on the project cn-east-3\.$/);
    const domain = await sdkError(acme.keystoneCreateAgencyToken(agencyTokenRequest({ agency: AGENCY, domainName: home().name }, { domain: home().name })));
    assert.equal(domain.httpStatusCode, 401);

    const badDuration = await sdkError(acme.createTemporaryAccessKeyByAgency(agencyKeyRequest(AGENCY, home().id, 60)));
    assert.equal(badDuration.httpStatusCode, 400);
    assert.equal(badDuration.errorMsg, "Invalid input for field 'duration_seconds'. The value is '60'.");

    // A user of acme outside its admin group, without Agent Operator, may not assume the agency.
    const body = new KeystoneCreateUserRequestBody().withUser(new KeystoneCreateUserOption().withName("intern").withPassword("Passw0rd#2026"));
    const internId = String((wire(await acme.keystoneCreateUser(new KeystoneCreateUserRequest().withBody(body))).user as Row).id);
    const k = wire(
      await acme.createPermanentAccessKey(
        new CreatePermanentAccessKeyRequest().withBody(new CreatePermanentAccessKeyRequestBody().withCredential(new CreateCredentialOption().withUserId(internId))),
      ),
    ).credential as { access: string; secret: string };
    const intern = iamClient(t.hw.url, { ak: k.access, sk: k.secret, domainId: t.acmeDomainId });
    const noOperator = await sdkError(intern.keystoneCreateAgencyToken(agencyTokenRequest({ agency: AGENCY, domainName: home().name }, { project: t.a })));
    assert.equal(noOperator.httpStatusCode, 403);
    assert.equal(noOperator.errorMsg, "Policy doesn't allow iam:tokens:assume to be performed.");
    // With Agent Operator granted on acme's domain to a group of the intern, it may.
    const operators = String(
      (wire(await acme.keystoneCreateGroup(new KeystoneCreateGroupRequest().withBody(new KeystoneCreateGroupRequestBody().withGroup(new KeystoneCreateGroupOption().withName("operators"))))).group as Row).id,
    );
    await acme.keystoneAddUserToGroup(new KeystoneAddUserToGroupRequest().withGroupId(operators).withUserId(internId));
    const agentOperator = String(((wire(await acme.keystoneListPermissions(new KeystoneListPermissionsRequest().withDisplayName("Agent Operator"))).roles as Row[])[0] as Row).id);
    await acme.keystoneAssociateGroupWithDomainPermission(
      new KeystoneAssociateGroupWithDomainPermissionRequest().withDomainId(t.acmeDomainId).withGroupId(operators).withRoleId(agentOperator),
    );
    const assumed = wire(await intern.keystoneCreateAgencyToken(agencyTokenRequest({ agency: AGENCY, domainName: home().name }, { project: t.a })));
    assert.equal(assumed.httpStatusCode, 201);
    assert.equal(((((assumed.token as Row).assumed_by as Row).user as Row).name), "intern");
    const internKey = wire(await intern.createTemporaryAccessKeyByAgency(agencyKeyRequest(AGENCY, home().id)));
    assert.equal(internKey.httpStatusCode, 201);
  });

  test("a grant on the domain: a domain-scoped agency token reads IAM (a global service) and no project", async () => {
    const auditorId = await createAgency("acme-auditor");
    const iamRead = String(((wire(await admin.keystoneListPermissions(new KeystoneListPermissionsRequest().withDisplayName("IAM ReadOnlyAccess"))).roles as Row[])[0] as Row).id);
    await admin.associateAgencyWithDomainPermission(new AssociateAgencyWithDomainPermissionRequest().withDomainId(home().id).withAgencyId(auditorId).withRoleId(iamRead));
    // No project grant: a project scope is refused, the domain scope is given.
    assert.equal((await sdkError(acme.keystoneCreateAgencyToken(agencyTokenRequest({ agency: "acme-auditor", domainId: home().id }, { project: t.a })))).httpStatusCode, 401);
    const res = wire(await acme.keystoneCreateAgencyToken(agencyTokenRequest({ agency: "acme-auditor", domainId: home().id }, { domain: home().name })));
    const token = res.token as Row;
    assert.deepEqual(token.domain, { id: home().id, name: home().name });
    assert.deepEqual(token.roles, [{ id: "0", name: "system_all_hwlocal_iam_read" }]);
    const as = (path: string) => t.hw.call("GET", path, { creds: null, headers: { "X-Auth-Token": String(res["X-Subject-Token"]) } });
    const projects = await as("/iam/v3/projects");
    assert.equal(projects.status, 200, projects.text);
    assert.ok((projects.json.projects as Row[]).some((p) => p.id === t.b));
    const servers = await as(`/ecs/v1/${t.a}/cloudservers/detail`);
    assert.equal(servers.status, 403, servers.text);
    assert.equal(servers.json.error_code, "Pdp.0001");
  });

  test("an agency of one day: its token lasts no longer, and once it has expired it can no longer be assumed", async () => {
    const dayId = await createAgency("acme-for-a-day", "ONEDAY");
    await grantOn(t.a, dayId, readOnlyId);
    const res = wire(await acme.keystoneCreateAgencyToken(agencyTokenRequest({ agency: "acme-for-a-day", domainId: home().id }, { project: t.a })));
    const token = String(res["X-Subject-Token"]);
    const list = () => t.hw.call("GET", `/ecs/v1/${t.a}/cloudservers/detail`, { creds: null, headers: { "X-Auth-Token": token } });
    assert.equal((await list()).status, 200);
    const advanced = await t.hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 24 * 3600 + 60 } });
    assert.equal(advanced.status, 200, advanced.text);
    assert.equal((await list()).status, 401);
    const expired = await sdkError(acme.keystoneCreateAgencyToken(agencyTokenRequest({ agency: "acme-for-a-day", domainId: home().id }, { project: t.a })));
    assert.equal(expired.httpStatusCode, 403);
    assert.match(expired.errorMsg, /The agency acme-for-a-day has expired\.$/);
    // The FOREVER agency still works, until the default domain deletes it: its tokens and keys end with it.
    const last = wire(await acme.keystoneCreateAgencyToken(agencyTokenRequest({ agency: AGENCY, domainId: home().id }, { project: t.a })));
    assert.equal(last.httpStatusCode, 201);
    const lastKey = (wire(await acme.createTemporaryAccessKeyByAgency(agencyKeyRequest(AGENCY, home().id)))).credential as { access: string; secret: string; securitytoken: string };
    const byToken = () => t.hw.call("GET", `/vpc/v1/${t.a}/vpcs`, { creds: null, headers: { "X-Auth-Token": String(last["X-Subject-Token"]) } });
    const byKey = () => t.hw.call("GET", `/vpc/v1/${t.a}/vpcs`, { creds: { ak: lastKey.access, sk: lastKey.secret, securityToken: lastKey.securitytoken } });
    assert.equal((await byToken()).status, 200);
    assert.equal((await byKey()).status, 200);
    await admin.deleteAgency(new DeleteAgencyRequest().withAgencyId(agencyId));
    assert.equal((await byToken()).status, 401);
    assert.equal((await byKey()).status, 401);
  });
});
