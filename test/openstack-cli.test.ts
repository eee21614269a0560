// The OpenStack CLI (Debian's python3-openstackclient) against a fresh hwlocal run as a process, as a user
// runs it: the OS_* variables `hwlocal env --openstack` prints, then token issue, catalog list, project list,
// flavor list, image list and show, keypair create and list, availability zone list, server and volume
// lists, and the 404s novaclient and cinderclient must read; and openstacksdk, which the CLI runs on. What the CLI makes or lists is read back through
// the official SDKs (IMS through signed requests: no Node SDK for it here), and the reverse. Also the
// catalog's shape per scope and Host, and the version documents the clients discover without a token.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type EcsClient,
  ListFlavorsRequest,
  NovaCreateKeypairOption,
  NovaCreateKeypairRequest,
  NovaCreateKeypairRequestBody,
  NovaListAvailabilityZonesRequest,
  NovaListServersDetailsRequest,
  NovaListVersionsRequest,
  NovaShowKeypairRequest,
  NovaShowVersionRequest,
} from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import { KeystoneListProjectsRequest, KeystoneShowCatalogRequest, type IamClient } from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import { ListApiVersionRequest } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { exited, runCli, startCli, type CliProcess } from "./helpers/cli-process.ts";
import { ecsClient, ed25519PublicKey, md5Fingerprint } from "./helpers/ecs-sdk.ts";
import { openstackCli, openstackEnv, openstackSdk, runOpenstack, type OpenstackTarget } from "./helpers/openstack-cli.ts";
import { iamClient, wire } from "./helpers/sdk.ts";
import { signRequest, type Credentials } from "./helpers/sign.ts";
import { vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;
interface Info {
  domain: { id: string; name: string };
  user: { id: string; name: string; password: string };
  access_key: { ak: string; sk: string };
  regions: { id: string; project_id: string }[];
}
interface Endpoint {
  region: string;
  url: string;
  interface: string;
}
interface Entry {
  name: string;
  type: string;
  endpoints: Endpoint[];
}

const UBUNTU_2204 = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const MISSING = "00000000-0000-4000-8000-000000000000";

const rows = (v: unknown) => v as Row[];
const sorted = (xs: unknown[]) => xs.map(String).sort();

/** A request with a Host header of our choosing (fetch may not set it): the catalog must follow it. */
function rawRequest(url: string, opts: { method: string; path: string; host?: string; body?: unknown; token?: string }) {
  const u = new URL(url);
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (opts.host) headers.Host = opts.host;
  if (opts.token) headers["X-Auth-Token"] = opts.token;
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: opts.path, method: opts.method, headers }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the OpenStack CLI against hwlocal", () => {
  let proc: CliProcess;
  let hw: OpenstackTarget;
  let info: Info;
  let pid: string;
  let creds: Credentials;
  let ecs: EcsClient;
  let iam: IamClient;

  const password = (scope: Row) => ({
    auth: {
      identity: { methods: ["password"], password: { user: { name: info.user.name, password: info.user.password, domain: { name: info.domain.name } } } },
      scope,
    },
  });
  /** A request signed with the seed's AK/SK, as the SDKs sign it. */
  const signed = async (path: string, query: Record<string, string> = {}) => {
    const url = new URL(`${hw.url}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const headers = signRequest({ method: "GET", url, headers: { "Content-Type": "application/json" }, body: undefined, creds });
    const res = await fetch(url, { headers });
    return { status: res.status, json: (await res.json()) as Row };
  };

  before(async () => {
    proc = await startCli(["--in-memory"]);
    info = (await (await fetch(`${proc.url}/_hwlocal/info`)).json()) as Info;
    hw = { url: proc.url, seed: { domain: info.domain, user: info.user } };
    pid = info.regions.find((r) => r.id === "cn-north-4")!.project_id;
    creds = { ak: info.access_key.ak, sk: info.access_key.sk };
    ecs = ecsClient(hw.url, { ...creds, projectId: pid });
    iam = iamClient(hw.url, { ...creds, domainId: info.domain.id });
  });
  after(async () => {
    proc.child.kill("SIGTERM");
    await exited(proc.child);
  });

  test("hwlocal env --openstack prints the OS_* variables these runs use; an unknown region is refused", async () => {
    const r = await runCli(["env", "--openstack", "--endpoint", hw.url]);
    assert.equal(r.code, 0, r.output);
    const vars = Object.fromEntries(
      r.output
        .trim()
        .split("\n")
        .map((l) => /^export (\w+)=(.*)$/.exec(l)!)
        .map((m) => [m[1], m[2]]),
    );
    assert.deepEqual(vars, openstackEnv(hw));
    const bad = await runCli(["env", "--openstack", "--endpoint", hw.url, "--region", "eu-west-0"]);
    assert.equal(bad.code, 1);
    assert.match(bad.output, /no project for region eu-west-0/);
  });

  test("token issue: the admin's token in the region's project; a wrong password is the CLI's 401", async () => {
    const token = (await openstackCli(hw, ["token", "issue"])) as Row;
    assert.equal(token.project_id, pid);
    assert.equal(token.user_id, info.user.id);
    assert.match(String(token.id), /^MII/);
    const wrong = await runOpenstack(hw, ["token", "issue", "-f", "json"], { env: { OS_PASSWORD: "not-the-password" } });
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /401|authenticat/i);
  });

  test("catalog list: Keystone in the region and under *, one nova, neutron, glance, cinder v3 and v2, and Huawei's own", async () => {
    const listed = (await openstackCli(hw, ["catalog", "list"])) as { Name: string; Type: string; Endpoints: Endpoint[] }[];
    const at = (type: string) => {
      const found = listed.filter((e) => e.Type === type);
      assert.equal(found.length, 1, `exactly one ${type} entry`);
      return found[0]!;
    };
    const where = (e: { Endpoints: Endpoint[] }) => e.Endpoints.map((x) => [x.region, x.url.slice(hw.url.length), x.interface]);
    assert.deepEqual(where(at("identity")), [["cn-north-4", "/iam/v3", "public"], ["*", "/iam/v3", "public"]]);
    assert.equal(at("identity").Name, "keystone");
    assert.deepEqual(where(at("iam")), [["*", "/iam/v3.0", "public"]]);
    assert.deepEqual(where(at("compute")), [["cn-north-4", `/ecs/v2.1/${pid}`, "public"]]);
    assert.equal(at("compute").Name, "nova");
    assert.deepEqual(where(at("network")), [["cn-north-4", "/vpc", "public"]]);
    assert.deepEqual(where(at("image")), [["cn-north-4", "/ims", "public"]]);
    assert.deepEqual(where(at("volumev3")), [["cn-north-4", `/evs/v3/${pid}`, "public"]]);
    assert.deepEqual(where(at("volumev2")), [["cn-north-4", `/evs/v2/${pid}`, "public"]]);
    for (const own of ["ecs", "vpc", "ims", "evs", "eip"]) assert.deepEqual(where(at(own)), [["cn-north-4", `/${own}`, "public"]]);

    // GET /v3/auth/catalog with the CLI's own token is the same catalog.
    const token = (await openstackCli(hw, ["token", "issue"])) as Row;
    const shown = await rawRequest(hw.url, { method: "GET", path: "/iam/v3/auth/catalog", token: String(token.id) });
    assert.equal(shown.status, 200, shown.text);
    const catalog = (JSON.parse(shown.text) as { catalog: Entry[] }).catalog;
    assert.deepEqual(
      catalog.map((e) => [e.name, e.type, e.endpoints.map((x) => [x.region, x.url])]),
      listed.map((e) => [e.Name, e.Type, e.Endpoints.map((x) => [x.region, x.url])]),
    );
  });

  test("the catalog follows the Host the client reached, and a domain-scoped token lists identity under * only", async () => {
    const viaLan = await rawRequest(hw.url, { method: "POST", path: "/iam/v3/auth/tokens", host: "lan-box:4577", body: password({ project: { name: "cn-north-4" } }) });
    assert.equal(viaLan.status, 201, viaLan.text);
    const lanCatalog = (JSON.parse(viaLan.text) as { token: { catalog: Entry[] } }).token.catalog;
    const urls = lanCatalog.flatMap((e) => e.endpoints.map((x) => x.url));
    assert.ok(urls.length > 10);
    for (const u of urls) assert.ok(u.startsWith("http://lan-box:4577/"), u);
    // Through IAM's own host name, each service is named by its own host (a prefix on IAM's host reaches IAM).
    const viaHost = await rawRequest(hw.url, { method: "POST", path: "/v3/auth/tokens", host: "iam.cn-north-4.localhost:4577", body: password({ project: { name: "cn-north-4" } }) });
    assert.equal(viaHost.status, 201, viaHost.text);
    const hostCatalog = (JSON.parse(viaHost.text) as { token: { catalog: Entry[] } }).token.catalog;
    const urlOf = (name: string) => hostCatalog.find((e) => e.name === name)!.endpoints.map((x) => x.url);
    assert.deepEqual(urlOf("keystone"), ["http://iam.cn-north-4.localhost:4577/v3", "http://iam.cn-north-4.localhost:4577/v3"]);
    assert.deepEqual(urlOf("nova"), [`http://ecs.cn-north-4.localhost:4577/v2.1/${pid}`]);
    assert.deepEqual(urlOf("cinderv3"), [`http://evs.cn-north-4.localhost:4577/v3/${pid}`]);
    assert.deepEqual(urlOf("vpc"), ["http://vpc.cn-north-4.localhost:4577"]);

    const domain = await rawRequest(hw.url, { method: "POST", path: "/iam/v3/auth/tokens", body: password({ domain: { name: info.domain.name } }) });
    assert.equal(domain.status, 201, domain.text);
    const catalog = (JSON.parse(domain.text) as { token: { catalog: Entry[] } }).token.catalog;
    const keystone = catalog.find((e) => e.type === "identity")!;
    assert.deepEqual(keystone.endpoints.map((x) => x.region), ["*"]);
    const nova = catalog.find((e) => e.type === "compute")!;
    assert.deepEqual(
      sorted(nova.endpoints.map((x) => `${x.region} ${x.url}`)),
      sorted(info.regions.map((r) => `${r.id} ${hw.url}/ecs/v2.1/${r.project_id}`)),
    );
    // The SDK's KeystoneShowCatalog (AK/SK, no project token) shows the domain's catalog.
    const sdk = wire(await iam.keystoneShowCatalog(new KeystoneShowCatalogRequest()));
    assert.deepEqual(sdk.catalog, catalog);
  });

  test("project list is IAM's list of the domain's projects", async () => {
    const listed = (await openstackCli(hw, ["project", "list"])) as { ID: string; Name: string }[];
    const sdk = rows(wire(await iam.keystoneListProjects(new KeystoneListProjectsRequest().withDomainId(info.domain.id))).projects);
    assert.deepEqual(sorted(listed.map((p) => p.ID)), sorted(sdk.map((p) => p.id)));
    assert.equal(listed.find((p) => p.ID === pid)?.Name, "cn-north-4");
  });

  test("flavor list is nova's view of ECS's ListFlavors", async () => {
    const listed = (await openstackCli(hw, ["flavor", "list"])) as { ID: string; Name: string; RAM: number; VCPUs: number; Disk: number }[];
    const sdk = rows(wire(await ecs.listFlavors(new ListFlavorsRequest())).flavors);
    assert.deepEqual(sorted(listed.map((f) => f.ID)), sorted(sdk.map((f) => f.id)));
    for (const f of listed) {
      const own = sdk.find((s) => s.id === f.ID)!;
      assert.equal(f.Name, own.name);
      assert.equal(f.VCPUs, Number(own.vcpus));
      assert.equal(f.RAM, Number(own.ram));
      assert.equal(f.Disk, 0);
    }
  });

  test("image list and image show are IMS's images; an unknown image is the CLI's not found", async () => {
    const listed = (await openstackCli(hw, ["image", "list"])) as { ID: string; Name: string; Status: string }[];
    const ims = await signed("/ims/v2/cloudimages");
    assert.equal(ims.status, 200);
    const images = rows(ims.json.images);
    assert.deepEqual(sorted(listed.map((i) => i.ID)), sorted(images.map((i) => i.id)));
    const shown = (await openstackCli(hw, ["image", "show", UBUNTU_2204])) as Row;
    const own = images.find((i) => i.id === UBUNTU_2204)!;
    assert.equal(shown.id, UBUNTU_2204);
    assert.equal(shown.name, own.name);
    assert.equal(shown.status, "active");
    assert.equal(shown.visibility, "public");
    const missing = await runOpenstack(hw, ["image", "show", MISSING, "-f", "json"]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /No Image found|Could not find|not found/i);
  });

  test("keypair create and list: the CLI's key pair is the SDK's, the SDK's is listed, a duplicate is nova's 409", async () => {
    const key = ed25519PublicKey();
    const file = join(mkdtempSync(join(tmpdir(), "hwlocal-os-key-")), "id.pub");
    writeFileSync(file, `${key.text}\n`);
    const made = (await openstackCli(hw, ["keypair", "create", "--public-key", file, "cli-key"])) as Row;
    assert.equal(made.name, "cli-key");
    assert.equal(made.fingerprint, md5Fingerprint(key.blob));
    const viaSdk = wire(await ecs.novaShowKeypair(new NovaShowKeypairRequest().withKeypairName("cli-key"))).keypair as Row;
    assert.equal(viaSdk.fingerprint, made.fingerprint);
    assert.equal(viaSdk.public_key, key.text);

    const other = ed25519PublicKey();
    await ecs.novaCreateKeypair(
      new NovaCreateKeypairRequest()
        .withOpenStackAPIVersion("compute 2.60")
        .withBody(new NovaCreateKeypairRequestBody().withKeypair(new NovaCreateKeypairOption().withName("sdk-key").withPublicKey(other.text))),
    );
    const listed = (await openstackCli(hw, ["keypair", "list"])) as { Name: string; Fingerprint: string }[];
    assert.deepEqual(
      listed.map((k) => [k.Name, k.Fingerprint]).sort(),
      [["cli-key", md5Fingerprint(key.blob)], ["sdk-key", md5Fingerprint(other.blob)]].sort(),
    );
    const again = await runOpenstack(hw, ["keypair", "create", "--public-key", file, "cli-key", "-f", "json"]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /409/);
    assert.doesNotMatch(again.stderr, /object has no attribute/);
  });

  test("availability zone list: the region's zones (compute's, and volume's once cinder lists them), as nova's SDK lists them", async () => {
    const listed = (await openstackCli(hw, ["availability", "zone", "list"])) as { "Zone Name": string; "Zone Status": string }[];
    const sdk = rows(wire(await ecs.novaListAvailabilityZones(new NovaListAvailabilityZonesRequest())).availabilityZoneInfo);
    assert.deepEqual([...new Set(sorted(listed.map((z) => z["Zone Name"])))], sorted(sdk.map((z) => z.zoneName)));
    assert.ok(listed.every((z) => z["Zone Status"] === "available"));
  });

  test("server and volume lists (microversion headers accepted), and nova's and cinder's 404s as the clients read them", async () => {
    const servers = (await openstackCli(hw, ["--os-compute-api-version", "2.60", "server", "list"])) as unknown[];
    const sdkServers = rows(wire(await ecs.novaListServersDetails(new NovaListServersDetailsRequest())).servers);
    assert.equal(servers.length, sdkServers.length);
    const evs = await signed(`/evs/v2/${pid}/volumes`);
    assert.equal(evs.status, 200);
    const volumes = (await openstackCli(hw, ["volume", "list"])) as unknown[];
    assert.equal(volumes.length, rows(evs.json.volumes).length);

    const server = await runOpenstack(hw, ["server", "show", MISSING, "-f", "json"]);
    assert.notEqual(server.code, 0);
    assert.match(server.stderr, new RegExp(`No server with a name or ID of '${MISSING}' exists`));
    const volume = await runOpenstack(hw, ["volume", "show", MISSING, "-f", "json"]);
    assert.notEqual(volume.code, 0);
    assert.match(volume.stderr, new RegExp(`No volume with a name or ID of '${MISSING}' exists`));

    // The nested error object comes first, before error_code, error_msg and request_id.
    for (const path of [`/ecs/v2.1/${pid}/servers/${MISSING}`, `/evs/v2/${pid}/volumes/${MISSING}`]) {
      const r = await signed(path);
      assert.equal(r.status, 404);
      assert.deepEqual(Object.keys(r.json), ["error", "error_code", "error_msg", "request_id"], path);
      assert.equal((r.json.error as Row).code, r.json.error_code);
    }
  });

  test("openstacksdk finds each service through the catalog and the version documents", async () => {
    const out = (await openstackSdk(
      hw,
      `out = {
    "endpoints": {"identity": conn.identity.get_endpoint_data().url, **{k: getattr(conn, k).get_endpoint() for k in ["compute", "image", "block_storage", "network"]}},
    "flavors": sorted(f.id for f in conn.compute.flavors()),
    "images": sorted(i.id for i in conn.image.images()),
    "projects": sorted(p.id for p in conn.identity.projects()),
}`,
    )) as { endpoints: Record<string, string>; flavors: string[]; images: string[]; projects: string[] };
    assert.deepEqual(out.endpoints, {
      identity: `${hw.url}/iam/v3/`,
      compute: `${hw.url}/ecs/v2.1/${pid}`,
      image: `${hw.url}/ims/v2/`,
      block_storage: `${hw.url}/evs/v3/${pid}`,
      network: `${hw.url}/vpc/v2.0`,
    });
    assert.deepEqual(out.flavors, sorted(rows(wire(await ecs.listFlavors(new ListFlavorsRequest())).flavors).map((f) => f.id)));
    assert.deepEqual(out.images, sorted(rows((await signed("/ims/v2/cloudimages")).json.images).map((i) => i.id)));
    const projects = rows(wire(await iam.keystoneListProjects(new KeystoneListProjectsRequest().withDomainId(info.domain.id))).projects);
    assert.deepEqual(out.projects, sorted(projects.map((p) => p.id)));
  });

  test("version documents answer without a token, with self links through hwlocal's prefix; versions show reads them", async () => {
    const list = wire(await ecs.novaListVersions(new NovaListVersionsRequest()));
    assert.deepEqual(
      rows(list.versions).map((v) => [v.id, v.status, v.min_version, v.version, (v.links as Row[])[0]!.href]),
      [
        ["v2.0", "SUPPORTED", "", "", `${hw.url}/ecs/v2/`],
        ["v2.1", "CURRENT", "2.1", "2.60", `${hw.url}/ecs/v2.1/`],
      ],
    );
    const shown = wire(await ecs.novaShowVersion(new NovaShowVersionRequest().withApiVersion("v2.1"))).version as Row;
    assert.equal(shown.version, "2.60");
    const neutron = wire(await vpcClient(hw.url, creds, pid).listApiVersion(new ListApiVersionRequest()));
    assert.deepEqual(rows(neutron.versions).map((v) => [v.id, v.status, (v.links as Row[])[0]!.href]), [["v2.0", "CURRENT", `${hw.url}/vpc/v2.0`]]);

    const plain = async (path: string, host?: string) => {
      const r = await rawRequest(hw.url, { method: "GET", path, host });
      return { status: r.status, json: (r.text ? JSON.parse(r.text) : {}) as Row };
    };
    const self = (v: Row) => (v.links as Row[]).find((l) => l.rel === "self")!.href;
    const nova = await plain("/ecs/v2.1");
    assert.equal(nova.status, 200);
    assert.equal(self(nova.json.version as Row), `${hw.url}/ecs/v2.1/`);
    assert.equal(((await plain("/ecs/v2")).json.version as Row).id, "v2.0");
    assert.equal((await plain("/ecs/v9")).status, 404);
    for (const path of ["/ims/", "/ims/v2"]) {
      const r = await plain(path);
      assert.equal(r.status, 300, path);
      assert.deepEqual(rows(r.json.versions).map((v) => [v.id, v.status, self(v)])[0], ["v2.2", "CURRENT", `${hw.url}/ims/v2/`]);
    }
    const cinder = await plain("/evs/");
    assert.equal(cinder.status, 300);
    assert.deepEqual(rows(cinder.json.versions).map((v) => [v.id, v.status, self(v)]), [
      ["v2.0", "SUPPORTED", `${hw.url}/evs/v2/`],
      ["v3.0", "CURRENT", `${hw.url}/evs/v3/`],
    ]);
    for (const [path, id] of [["/evs/v3", "v3.0"], ["/evs/v2", "v2.0"]] as const) {
      const r = await plain(path);
      assert.equal(r.status, 300);
      assert.deepEqual(rows(r.json.versions).map((v) => v.id), [id]);
    }
    assert.equal((await plain("/vpc/")).status, 200);
    // The links follow the Host the client reached.
    const lan = await plain("/ecs/", "lan-box:4577");
    assert.equal(self(rows(lan.json.versions)[1]!), "http://lan-box:4577/ecs/v2.1/");

    // `openstack versions show` discovers every catalog entry's versions from these documents.
    const shownAll = (await openstackCli(hw, ["versions", "show"])) as Row[];
    const current = (type: string) =>
      shownAll
        .filter((v) => v["Service Type"] === type && v.Status === "CURRENT")
        .map((v) => [v["Region Name"], v.Version, v.Endpoint, v["Min Microversion"], v["Max Microversion"]]);
    assert.deepEqual(current("identity"), [
      ["cn-north-4", "3.6", `${hw.url}/iam/v3/`, null, null],
      ["*", "3.6", `${hw.url}/iam/v3/`, null, null],
    ]);
    assert.deepEqual(current("compute"), [["cn-north-4", "2.1", `${hw.url}/ecs/v2.1/`, "2.1", "2.60"]]);
    assert.deepEqual(current("image"), [["cn-north-4", "2.2", `${hw.url}/ims/v2/`, null, null]]);
    assert.deepEqual(current("block-storage"), [["cn-north-4", "3.0", `${hw.url}/evs/v3/`, "3.0", "3.0"]]);
    assert.deepEqual(current("network"), [["cn-north-4", "2.0", `${hw.url}/vpc/v2.0`, null, null]]);
  });
});
