// The gateway as a client meets it: routing by Host, path prefix and bare path; Huawei's errors for unknown
// APIs, missing operations, bad signatures, skewed dates and other tenants; the control endpoints.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac, createHash, hkdfSync } from "node:crypto";
import { request } from "node:http";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { signRequest } from "./helpers/sign.ts";

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http, because fetch will not send a Host header of our choosing. */
function raw(url: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? "GET", headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

function assertHuaweiError(r: { status: number; json: Record<string, unknown>; headers: Headers }, status: number, code: string) {
  assert.equal(r.status, status);
  assert.equal(r.json.error_code, code);
  assert.equal(typeof r.json.error_msg, "string");
  assert.equal(r.json.request_id, r.headers.get("x-request-id"));
  assert.match(r.headers.get("x-request-id") ?? "", /^[0-9a-f]{32}$/);
  assert.match(r.headers.get("content-type") ?? "", /^application\/json/);
}

describe("gateway", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal({
      seed: {
        tenants: [
          {
            domain: { name: "acme" },
            user: { name: "root", password: "Acme@2026" },
            access_key: { ak: "ACMEACCESSKEY0000001", sk: "acme-secret-key-0000000000000001" },
            regions: [{ id: "cn-north-4" }],
          },
        ],
      },
    });
  });
  after(() => hw.close());

  test("routes by Host header, by path prefix and by an unambiguous bare path", async () => {
    const url = new URL(`${hw.url}/v3/auth/domains`);
    for (const host of ["iam.cn-north-4.myhuaweicloud.com", "iam.cn-north-4.localhost", "iam.myhuaweicloud.com"]) {
      // Sign with the Host the request carries (the SDK signs its endpoint's host).
      const signed = signRequest({ method: "GET", url: new URL(`http://${host}/v3/auth/domains`), headers: { "Content-Type": "application/json" }, body: undefined, creds: hw.admin });
      const r = await raw(url.href, { headers: signed });
      assert.equal(r.status, 200, `${host}: ${r.body}`);
    }
    assert.equal((await hw.call("GET", "/iam/v3/auth/domains")).status, 200);
    assert.equal((await hw.call("GET", "/v3/auth/domains")).status, 200);
  });

  test("a project-scoped token acts only in its project's region: a path-less call through another region's Host is 403", async () => {
    const issued = await hw.call("POST", "/iam/v3/auth/tokens", {
      creds: null,
      body: {
        auth: {
          identity: { methods: ["password"], password: { user: { name: "admin", password: "Hwlocal@2026", domain: { name: "hwlocal" } } } },
          scope: { project: { name: "cn-east-3" } },
        },
      },
    });
    const token = issued.headers.get("x-subject-token")!;
    const get = (host: string) => raw(`${hw.url}/v2/cloudimages?__imagetype=gold`, { headers: { Host: host, "X-Auth-Token": token } });
    assert.equal((await get("ims.cn-east-3.myhuaweicloud.com")).status, 200);
    const refused = await get("ims.cn-north-4.myhuaweicloud.com");
    assert.equal(refused.status, 403, refused.body);
    assert.equal((JSON.parse(refused.body) as { error_code?: string }).error_code, "IMG.0030");
  });

  test("every response carries X-Request-Id and a JSON Content-Type; unknown APIs are 404 APIGW.0101", async () => {
    const health = await hw.call("GET", "/_hwlocal/health", { creds: null });
    assert.equal(health.status, 200);
    assert.match(health.headers.get("x-request-id") ?? "", /^[0-9a-f]{32}$/);
    assert.equal(health.headers.get("content-type"), "application/json;charset=UTF-8");
    assertHuaweiError(await hw.call("GET", "/nothing/here"), 404, "APIGW.0101");
    assertHuaweiError(await hw.call("GET", "/iam/v3/nothing"), 404, "APIGW.0101");
    assertHuaweiError(await hw.call("PATCH", "/iam/v3/auth/domains"), 404, "APIGW.0101");
    assertHuaweiError(await hw.call("PROPFIND", "/iam/v3/auth/domains", { creds: null }), 404, "APIGW.0101");
  });

  test("an SDK operation hwlocal lacks answers 501 naming it", async () => {
    const ep = await hw.call("PUT", `/iam/v3.0/OS-PERMISSION/enterprise-projects/0/groups/${"0".repeat(32)}/roles/${"0".repeat(32)}`);
    assertHuaweiError(ep, 501, "HWLOCAL.0501");
    assert.match(String(ep.json.error_msg), /AssociateRoleToGroupOnEnterpriseProject/);
    const ecs = await hw.call("PUT", `/ecs/v1/${hw.projectId()}/cloudservers/nics/${"0".repeat(32)}`, { body: { nic: { subnet_id: "x", ip_address: "" } } });
    assertHuaweiError(ecs, 501, "HWLOCAL.0501");
    assert.match(String(ecs.json.error_msg), /ecs operation AssociateServerVirtualIp/);
  });

  test("AK/SK: missing, malformed, unknown, tampered, skewed and SM3 credentials", async () => {
    assertHuaweiError(await hw.call("GET", "/iam/v3/auth/domains", { creds: null }), 401, "APIGW.0301");
    const url = new URL(`${hw.url}/iam/v3/auth/domains`);
    const signed = signRequest({ method: "GET", url, headers: { "Content-Type": "application/json" }, body: undefined, creds: hw.admin });
    const tampered = { ...signed, Authorization: signed.Authorization!.replace(/Signature=(.)/, (_m, c: string) => `Signature=${c === "a" ? "b" : "a"}`) };
    const r1 = await fetch(url, { headers: tampered });
    assert.equal(r1.status, 401);
    const b1 = (await r1.json()) as Record<string, unknown>;
    assert.equal(b1.error_code, "APIGW.0301");
    assert.match(String(b1.error_msg), /^Incorrect IAM authentication information: verify aksk signature fail/);
    assertHuaweiError(await hw.call("GET", "/iam/v3/auth/domains", { creds: { ak: "UNKNOWNAK00000000000", sk: "x" } }), 401, "APIGW.0301");
    const skewed = signRequest({ method: "GET", url, headers: {}, body: undefined, creds: hw.admin, date: new Date(Date.now() - 16 * 60 * 1000) });
    const r2 = await fetch(url, { headers: skewed });
    assert.equal(r2.status, 401);
    assert.match(String(((await r2.json()) as Record<string, unknown>).error_msg), /15 minutes/);
    const malformed = await hw.call("GET", "/iam/v3/auth/domains", { creds: null, headers: { Authorization: "SDK-HMAC-SHA256 nonsense" } });
    assertHuaweiError(malformed, 401, "APIGW.0301");
    const sm3 = await hw.call("GET", "/iam/v3/auth/domains", {
      creds: null,
      headers: { Authorization: `SDK-HMAC-SM3 Access=${hw.admin.ak}, SignedHeaders=host;x-sdk-date, Signature=${"a".repeat(64)}` },
    });
    assertHuaweiError(sm3, 501, "HWLOCAL.0501");
    // A body changed after signing fails too.
    const post = new URL(`${hw.url}/iam/v3/groups`);
    const body = JSON.stringify({ group: { name: "g1" } });
    const h = signRequest({ method: "POST", url: post, headers: { "Content-Type": "application/json" }, body: Buffer.from(body), creds: hw.admin });
    const r3 = await fetch(post, { method: "POST", headers: h, body: JSON.stringify({ group: { name: "g2" } }) });
    assert.equal(r3.status, 401);
    const r4 = await fetch(post, { method: "POST", headers: h, body });
    assert.equal(r4.status, 201);
  });

  test("V11-HMAC-SHA256 derived signatures verify", async () => {
    const url = new URL(`${hw.url}/iam/v3/auth/domains`);
    const date = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
    const headers: Record<string, string> = { "content-type": "application/json", host: url.host, "x-sdk-date": date };
    const names = Object.keys(headers).sort();
    const cr = ["GET", "/iam/v3/auth/domains/", "", names.map((n) => `${n}:${headers[n]}\n`).join(""), names.join(";"), createHash("sha256").update("").digest("hex")].join("\n");
    const info = `${date.slice(0, 8)}/cn-north-4/iam`;
    const sts = `V11-HMAC-SHA256\n${date}\n${info}\n${createHash("sha256").update(cr).digest("hex")}`;
    const key = Buffer.from(hkdfSync("sha256", hw.admin.sk, hw.admin.ak, info, 32)).toString("hex");
    const sig = createHmac("sha256", key).update(sts).digest("hex");
    const authorization = `V11-HMAC-SHA256 Credential=${hw.admin.ak}/${info}, SignedHeaders=${names.join(";")}, Signature=${sig}`;
    const r = await fetch(url, { headers: { ...headers, authorization } });
    assert.equal(r.status, 200);
  });

  test("tenants are isolated: another domain's project or domain id is 403, never data", async () => {
    const acme = { ak: "ACMEACCESSKEY0000001", sk: "acme-secret-key-0000000000000001" };
    const acmeDomains = await hw.call("GET", "/iam/v3/auth/domains", { creds: acme });
    assert.equal(acmeDomains.status, 200);
    const acmeDomain = (acmeDomains.json.domains as { id: string; name: string }[])[0]!;
    assert.equal(acmeDomain.name, "acme");
    const acmeProject = (await hw.call("GET", "/iam/v3/projects", { creds: acme })).json.projects as { id: string }[];
    assert.equal(acmeProject.length, 1);
    const cross = await hw.call("GET", `/iam/v3/projects/${hw.projectId()}`, { creds: acme, headers: { "X-Project-Id": hw.projectId() } });
    assertHuaweiError(cross, 403, "IAM.0002");
    const crossDomain = await hw.call("GET", `/iam/v3/projects`, { creds: acme, headers: { "X-Domain-Id": hw.seed.domain.id } });
    assertHuaweiError(crossDomain, 403, "IAM.0002");
    // Another tenant's ids are not found even in paths that take them.
    const user = await hw.call("GET", `/iam/v3/users/${hw.seed.user.id}`, { creds: acme });
    assert.ok(user.status === 403 || user.status === 404, String(user.status));
    const users = await hw.call("GET", "/iam/v3/users", { creds: acme });
    assert.deepEqual((users.json.users as { name: string }[]).map((u) => u.name), ["root"]);
    // The other way round too: a path naming another tenant's project is refused before any handler runs.
    assertHuaweiError(await hw.call("GET", `/iam/v3/projects/${acmeProject[0]!.id}`), 403, "IAM.0002");
  });

  test("bodies over the limit are 413; malformed JSON and wrong types are 400 with IAM's codes", async () => {
    const big = await hw.call("POST", "/iam/v3/groups", { rawBody: Buffer.alloc(13 * 1024 * 1024, 32) });
    assertHuaweiError(big, 413, "APIGW.0201");
    const bad = await hw.call("POST", "/iam/v3/groups", { rawBody: "{not json" });
    assertHuaweiError(bad, 400, "IAM.0011");
    assert.deepEqual(bad.json.error, { code: 400, message: bad.json.error_msg, title: "Bad Request" });
    assertHuaweiError(await hw.call("POST", "/iam/v3/groups", { body: { group: { name: 42 } } }), 400, "IAM.0011");
    assertHuaweiError(await hw.call("POST", "/iam/v3/groups", { body: {} }), 400, "IAM.0011");
    const plain = await hw.call("POST", "/iam/v3.0/OS-CREDENTIAL/credentials", { body: { credential: {} } });
    assertHuaweiError(plain, 400, "IAM.0011");
    assert.equal(plain.json.error, undefined, "the /v3.0 APIs answer error_code/error_msg only");
  });

  test("control: health, info, clock and reset", async () => {
    const health = await hw.call("GET", "/_hwlocal/health", { creds: null });
    assert.equal(health.json.status, "ok");
    assert.equal((health.json.services as Record<string, { status: string }>).iam!.status, "running");
    const info = (await hw.call("GET", "/_hwlocal/info", { creds: null })).json;
    assert.equal(info.endpoint, hw.url);
    assert.deepEqual(info.domain, hw.seed.domain);
    assert.deepEqual(info.access_key, hw.seed.accessKey);
    assert.match(String((info.user as { id: string }).id), /^[0-9a-f]{32}$/);
    assert.match(hw.seed.accessKey.ak, /^[A-Z0-9]{20}$/);
    const regions = info.regions as { id: string; project_id: string }[];
    for (const r of ["cn-north-4", "cn-east-3", "cn-south-1", "ap-southeast-1", "ap-southeast-3", "eu-west-101"]) {
      assert.match(regions.find((x) => x.id === r)?.project_id ?? "", /^[0-9a-f]{32}$/, r);
    }
    const before = Date.parse(String((await hw.call("GET", "/_hwlocal/clock", { creds: null })).json.now));
    const advanced = await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 3600 } });
    assert.ok(Date.parse(String(advanced.json.now)) - before >= 3600 * 1000);
    assertHuaweiError(await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: -1 } }), 400, "HWLOCAL.0400");

    const created = await hw.call("POST", "/iam/v3/groups", { body: { group: { name: "temporary" } } });
    assert.equal(created.status, 201);
    assert.equal((await hw.call("POST", "/_hwlocal/reset", { creds: null })).status, 200);
    const groups = await hw.call("GET", "/iam/v3/groups");
    assert.deepEqual((groups.json.groups as { name: string }[]).map((g) => g.name), ["admin"]);
    const acme = await hw.call("GET", "/iam/v3/auth/domains", { creds: { ak: "ACMEACCESSKEY0000001", sk: "acme-secret-key-0000000000000001" } });
    assert.equal(acme.status, 200, "tenants are seeded again");
  });
});

describe("gateway modes", () => {
  test("--auth off accepts any well-formed credential", async () => {
    const hw = await startTestHwlocal({ auth: "off" });
    try {
      const r = await hw.call("GET", "/iam/v3/auth/domains", { creds: { ak: "ANYAK000000000000000", sk: "whatever" } });
      assert.equal(r.status, 200);
      const t = await hw.call("GET", "/iam/v3/auth/domains", { creds: null, headers: { "X-Auth-Token": "anything" } });
      assert.equal(t.status, 200);
      assert.equal((await hw.call("GET", "/iam/v3/auth/domains", { creds: null })).status, 401);
    } finally {
      await hw.close();
    }
  });

  test("bound beyond loopback, control calls that change state need an administrator", async () => {
    const hw = await startTestHwlocal({ host: "0.0.0.0" });
    try {
      assert.equal((await hw.call("GET", "/_hwlocal/health", { creds: null })).status, 200);
      const anon = await hw.call("POST", "/_hwlocal/reset", { creds: null });
      assert.equal(anon.status, 403);
      assert.equal(anon.json.error_code, "HWLOCAL.0403");
      assert.equal((await hw.call("POST", "/_hwlocal/reset")).status, 200);
      assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { body: { seconds: 1 } })).status, 200);
    } finally {
      await hw.close();
    }
  });
});

describe("request log", () => {
  test("--log-requests: one line per request with time, address, operation, latency, caller and request id", async () => {
    const lines: string[] = [];
    const hw = await startTestHwlocal({ logRequests: true }, { log: (l) => lines.push(l) });
    try {
      const ok = await hw.call("GET", "/iam/v3/projects", { query: { name: "cn-north-4" } });
      const anonymous = await hw.call("GET", "/nowhere", { creds: null });
      assert.equal(anonymous.status, 404);
      const [signed, missing] = lines;
      assert.match(
        signed!,
        new RegExp(
          `^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z 127\\.0\\.0\\.1 GET /iam/v3/projects 200 iam:KeystoneListProjects \\d+\\.\\dms ` +
            `admin@hwlocal/aksk:${hw.admin.ak} ${ok.headers.get("x-request-id")}$`,
        ),
      );
      assert.match(missing!, / GET \/nowhere 404 - \d+\.\dms - [0-9a-f]{32}$/);
    } finally {
      await hw.close();
    }
  });
});
