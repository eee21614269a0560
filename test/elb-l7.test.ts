// ELB certificates (PEM checked with node:crypto), HTTPS listeners using them, L7 policies and rules, and IP
// groups, through raw signed requests, with their error paths and tenancy.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { body, CA_CERT, CA_KEY, elbNetwork, expectElbError, SERVER_CERT, SERVER_KEY } from "./elb-helpers.ts";

type Row = Record<string, unknown>;

describe("ELB certificates, L7 policies and rules, IP groups", () => {
  let hw: TestHwlocal;
  let base: string;
  let lbId: string;
  before(async () => {
    hw = await startTestHwlocal();
    base = `/elb/v3/${hw.projectId()}/elb`;
    const net = await elbNetwork(hw);
    const r = await hw.call("POST", `${base}/loadbalancers`, { body: { loadbalancer: { name: "lb", availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: net.subnetCidrId } } });
    assert.equal(r.status, 201, r.text);
    lbId = String(body(r, "loadbalancer").id);
  });
  after(() => hw.close());

  const cert = (extra: Row) => hw.call("POST", `${base}/certificates`, { body: { certificate: { name: "c", certificate: SERVER_CERT, private_key: SERVER_KEY, ...extra } } });
  const certOk = async (extra: Row = {}): Promise<Row> => {
    const r = await cert(extra);
    assert.equal(r.status, 201, r.text);
    return body(r, "certificate");
  };
  const listener = async (protocol: string, port: number, extra: Row = {}): Promise<Row> => {
    const r = await hw.call("POST", `${base}/listeners`, { body: { listener: { loadbalancer_id: lbId, protocol, protocol_port: port, ...extra } } });
    assert.equal(r.status, 201, r.text);
    return body(r, "listener");
  };

  test("certificates: PEM and key checked, fields read from the certificate, update, list, in-use refusal", async () => {
    const c = await certOk({ domain: "www.example.com,example.com" });
    assert.match(String(c.id), /^[0-9a-f]{32}$/);
    assert.equal(c.type, "server");
    assert.equal(c.common_name, "www.example.com");
    assert.deepEqual(c.subject_alternative_names, ["www.example.com", "example.com"]);
    assert.match(String(c.expire_time), /^2126-/);
    expectElbError(await cert({ certificate: "not a pem" }), "ELB.8902", 400);
    expectElbError(await cert({ certificate: SERVER_CERT.replace(/MII|MIB/, "XXX") }), "ELB.8902", 400);
    expectElbError(await cert({ private_key: undefined }), "ELB.8902", 400);
    expectElbError(await cert({ private_key: CA_KEY }), "ELB.8902", 400);
    expectElbError(await cert({ private_key: "garbage" }), "ELB.8902", 400);
    expectElbError(await cert({ domain: "not a domain" }), "ELB.8902", 400);
    expectElbError(await cert({ certificate: Array(12).fill(SERVER_CERT).join("\n") }), "ELB.8902", 400);
    const ca = await certOk({ type: "client", certificate: CA_CERT, private_key: undefined, name: "ca" });
    assert.equal(ca.common_name, "hwlocal test CA");
    expectElbError(await cert({ type: "client", certificate: CA_CERT }), "ELB.8902", 400);
    const upd = await hw.call("PUT", `${base}/certificates/${String(c.id)}`, { body: { certificate: { name: "renamed" } } });
    assert.equal(body(upd, "certificate").name, "renamed");
    expectElbError(await hw.call("PUT", `${base}/certificates/${String(c.id)}`, { body: { certificate: { private_key: CA_KEY } } }), "ELB.8902", 400);
    const list = await hw.call("GET", `${base}/certificates?type=client`);
    assert.deepEqual((list.json.certificates as Row[]).map((x) => x.id), [ca.id]);
    expectElbError(await hw.call("GET", `${base}/certificates/${"0".repeat(32)}`), "ELB.8904", 404);

    // An HTTPS listener uses them; the certificates cannot be deleted while it does.
    const https = await listener("HTTPS", 443, { default_tls_container_ref: c.id, client_ca_tls_container_ref: ca.id });
    assert.equal(https.tls_ciphers_policy, "tls-1-0");
    expectElbError(await hw.call("POST", `${base}/listeners`, { body: { listener: { loadbalancer_id: lbId, protocol: "HTTPS", protocol_port: 444, default_tls_container_ref: ca.id } } }), "ELB.8902", 400);
    expectElbError(await hw.call("DELETE", `${base}/certificates/${String(c.id)}`), "ELB.8907", 409);
    assert.equal((await hw.call("DELETE", `${base}/listeners/${String(https.id)}`)).status, 204);
    assert.equal((await hw.call("DELETE", `${base}/certificates/${String(c.id)}`)).status, 204);
    assert.equal((await hw.call("DELETE", `${base}/certificates/${String(ca.id)}`)).status, 204);
  });

  test("L7 policies and rules on an HTTP listener; deletion order with the listener and the pool", async () => {
    const http = await listener("HTTP", 80, { enhance_l7policy_enable: true });
    const tcp = await listener("TCP", 81);
    const pr = await hw.call("POST", `${base}/pools`, { body: { pool: { loadbalancer_id: lbId, protocol: "HTTP", lb_algorithm: "ROUND_ROBIN" } } });
    const pool = body(pr, "pool");
    const policy = (extra: Row) => hw.call("POST", `${base}/l7policies`, { body: { l7policy: { listener_id: http.id, action: "REDIRECT_TO_POOL", redirect_pool_id: pool.id, ...extra } } });
    expectElbError(await policy({ listener_id: tcp.id }), "ELB.8902", 400);
    expectElbError(await policy({ redirect_pool_id: undefined }), "ELB.8902", 400);
    expectElbError(await policy({ redirect_pool_id: "nope" }), "ELB.8904", 404);
    expectElbError(await policy({ action: "FIXED_RESPONSE" }), "ELB.8902", 400);
    expectElbError(await policy({ action: "DROP" }), "ELB.8902", 400);
    expectElbError(await policy({ listener_id: "nope" }), "ELB.8904", 404);
    const r = await policy({ name: "api", rules: [{ type: "PATH", compare_type: "STARTS_WITH", value: "/api" }] });
    assert.equal(r.status, 201, r.text);
    const p = body(r, "l7policy");
    assert.equal(p.provisioning_status, "ACTIVE");
    assert.equal((p.rules as Row[]).length, 1);
    const fixed = await policy({ action: "FIXED_RESPONSE", redirect_pool_id: undefined, fixed_response_config: { status_code: "503", content_type: "text/plain", message_body: "down" }, priority: 10 });
    assert.equal(fixed.status, 201, fixed.text);

    const rules = `${base}/l7policies/${String(p.id)}/rules`;
    expectElbError(await hw.call("POST", rules, { body: { rule: { type: "PATH", compare_type: "EQUAL_TO", value: "/x" } } }), "ELB.8907", 409);
    expectElbError(await hw.call("POST", rules, { body: { rule: { type: "HOST_NAME", compare_type: "REGEX", value: "a.com" } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", rules, { body: { rule: { type: "HEADER", compare_type: "EQUAL_TO", value: "v" } } }), "ELB.8902", 400);
    const host = await hw.call("POST", rules, { body: { rule: { type: "HOST_NAME", compare_type: "EQUAL_TO", value: "*.example.com" } } });
    assert.equal(host.status, 201, host.text);
    const hr = body(host, "rule");
    const upd = await hw.call("PUT", `${rules}/${String(hr.id)}`, { body: { rule: { value: "www.example.com" } } });
    assert.equal(body(upd, "rule").value, "www.example.com");
    assert.equal((await hw.call("GET", `${rules}/${String(hr.id)}`)).status, 200);
    assert.equal(((await hw.call("GET", `${rules}?type=HOST_NAME`)).json.rules as Row[]).length, 1);
    assert.equal(((await hw.call("GET", `${base}/l7policies/rules?l7policy_id=${String(p.id)}`)).json.rules as Row[]).length, 2);
    expectElbError(await hw.call("GET", `${rules}/nope`), "ELB.8904", 404);
    assert.equal((await hw.call("DELETE", `${rules}/${String(hr.id)}`)).status, 204);

    // Priorities: the first policy of an enhanced listener got 1; they are unique a listener; a batch moves them.
    assert.equal(p.priority, 1);
    const fp = body(fixed, "l7policy");
    assert.equal(fp.priority, 10);
    expectElbError(await policy({ priority: 10 }), "ELB.8902", 400);
    const batch = `${base}/l7policies/batch-update-priority`;
    expectElbError(await hw.call("POST", batch, { body: { l7policies: [{ id: p.id, priority: 10 }] } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", batch, { body: { l7policies: [{ id: "nope", priority: 3 }] } }), "ELB.8904", 404);
    const swapped = await hw.call("POST", batch, { body: { l7policies: [{ id: p.id, priority: 10 }, { id: fp.id, priority: 1 }] } });
    assert.equal(swapped.status, 200, swapped.text);
    assert.equal(body(await hw.call("GET", `${base}/l7policies/${String(p.id)}`), "l7policy").priority, 10);
    assert.equal(body(await hw.call("GET", `${base}/l7policies/${String(fp.id)}`), "l7policy").priority, 1);

    const pu = await hw.call("PUT", `${base}/l7policies/${String(p.id)}`, { body: { l7policy: { name: "api2" } } });
    assert.equal(body(pu, "l7policy").name, "api2");
    assert.deepEqual(((await hw.call("GET", `${base}/l7policies?listener_id=${String(http.id)}&name=api2`)).json.l7policies as Row[]).map((x) => x.id), [p.id]);
    assert.deepEqual(body(await hw.call("GET", `${base}/listeners/${String(http.id)}`), "listener").l7policies, [{ id: p.id }, { id: body(fixed, "l7policy").id }]);
    expectElbError(await hw.call("DELETE", `${base}/pools/${String(pool.id)}`), "ELB.8907", 409);
    expectElbError(await hw.call("DELETE", `${base}/listeners/${String(http.id)}`), "ELB.8907", 409);
    assert.equal((await hw.call("DELETE", `${base}/l7policies/${String(p.id)}`)).status, 204);
    assert.equal((await hw.call("DELETE", `${base}/l7policies/${String(body(fixed, "l7policy").id)}`)).status, 204);
    expectElbError(await hw.call("GET", `${base}/l7policies/${String(p.id)}`), "ELB.8904", 404);
    assert.equal((await hw.call("DELETE", `${base}/pools/${String(pool.id)}`)).status, 204);
    assert.equal((await hw.call("DELETE", `${base}/listeners/${String(http.id)}`)).status, 204);
    assert.equal((await hw.call("DELETE", `${base}/listeners/${String(tcp.id)}`)).status, 204);
  });

  test("IP groups: entries checked, added and removed; used by a listener; deletion refused while used", async () => {
    const create = (extra: Row) => hw.call("POST", `${base}/ipgroups`, { body: { ipgroup: { name: "office", ip_list: [{ ip: "192.168.0.0/24", description: "lan" }], ...extra } } });
    expectElbError(await create({ ip_list: [{ ip: "300.1.1.1" }] }), "ELB.8902", 400);
    expectElbError(await create({ ip_list: [{ ip: "10.0.0.0/33" }] }), "ELB.8902", 400);
    const r = await create({});
    assert.equal(r.status, 201, r.text);
    const g = body(r, "ipgroup");
    const add = await hw.call("POST", `${base}/ipgroups/${String(g.id)}/iplist/create-or-update`, { body: { ipgroup: { ip_list: [{ ip: "10.1.1.1" }] } } });
    assert.deepEqual((body(add, "ipgroup").ip_list as { ip: string }[]).map((e) => e.ip), ["192.168.0.0/24", "10.1.1.1"]);
    const del = await hw.call("POST", `${base}/ipgroups/${String(g.id)}/iplist/batch-delete`, { body: { ipgroup: { ip_list: [{ ip: "192.168.0.0/24" }] } } });
    assert.deepEqual((body(del, "ipgroup").ip_list as { ip: string }[]).map((e) => e.ip), ["10.1.1.1"]);
    const upd = await hw.call("PUT", `${base}/ipgroups/${String(g.id)}`, { body: { ipgroup: { name: "office2" } } });
    assert.equal(body(upd, "ipgroup").name, "office2");
    const l = await listener("TCP", 8443, { ipgroup: { ipgroup_id: g.id, type: "black" } });
    assert.deepEqual(l.ipgroup, { ipgroup_id: g.id, enable_ipgroup: true, type: "black" });
    const rel = await hw.call("GET", `${base}/ipgroups/${String(g.id)}/related-listeners`);
    assert.deepEqual((rel.json.listeners as Row[]).map((x) => x.id), [l.id]);
    assert.deepEqual(body(await hw.call("GET", `${base}/ipgroups/${String(g.id)}`), "ipgroup").listeners, [{ id: l.id }]);
    assert.equal(((await hw.call("GET", `${base}/ipgroups?name=office2`)).json.ipgroups as Row[]).length, 1);
    expectElbError(await hw.call("DELETE", `${base}/ipgroups/${String(g.id)}`), "ELB.8907", 409);
    expectElbError(await hw.call("POST", `${base}/listeners`, { body: { listener: { loadbalancer_id: lbId, protocol: "TCP", protocol_port: 8444, ipgroup: { ipgroup_id: "nope" } } } }), "ELB.8904", 404);
    assert.equal((await hw.call("PUT", `${base}/listeners/${String(l.id)}`, { body: { listener: { ipgroup: null } } })).status, 200);
    assert.equal((await hw.call("DELETE", `${base}/ipgroups/${String(g.id)}`)).status, 204);
    expectElbError(await hw.call("GET", `${base}/ipgroups/${String(g.id)}`), "ELB.8904", 404);
  });

  test("security policies: custom protocol and cipher sets, system policies, used by an HTTPS listener", async () => {
    const sys = await hw.call("GET", `${base}/system-security-policies`);
    assert.equal(sys.status, 200, sys.text);
    const names = (sys.json.system_security_policies as { name: string }[]).map((p) => p.name);
    assert.ok(names.includes("tls-1-2") && names.includes("tls-1-0"));
    const create = (extra: Row) => hw.call("POST", `${base}/security-policies`, { body: { security_policy: { name: "sp", protocols: ["TLSv1.2"], ciphers: ["ECDHE-RSA-AES128-GCM-SHA256"], ...extra } } });
    expectElbError(await create({ protocols: ["SSLv3"] }), "ELB.8902", 400);
    expectElbError(await create({ ciphers: ["NULL-MD5"] }), "ELB.8902", 400);
    expectElbError(await create({ protocols: ["TLSv1.3"] }), "ELB.8902", 400);
    expectElbError(await create({ ciphers: [] }), "ELB.8902", 400);
    const r = await create({});
    assert.equal(r.status, 201, r.text);
    const sp = body(r, "security_policy");
    assert.deepEqual(sp.protocols, ["TLSv1.2"]);
    const upd = await hw.call("PUT", `${base}/security-policies/${String(sp.id)}`, { body: { security_policy: { protocols: ["TLSv1.2", "TLSv1.3"], ciphers: ["ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256"] } } });
    assert.equal(upd.status, 200, upd.text);
    assert.deepEqual(body(upd, "security_policy").protocols, ["TLSv1.2", "TLSv1.3"]);
    const c = await certOk({ name: "for-sp" });
    const l = await listener("HTTPS", 9443, { default_tls_container_ref: c.id, security_policy_id: sp.id, tls_ciphers_policy: "tls-1-2" });
    assert.equal(l.security_policy_id, sp.id);
    assert.equal(l.tls_ciphers_policy, "tls-1-2");
    expectElbError(await hw.call("POST", `${base}/listeners`, { body: { listener: { loadbalancer_id: lbId, protocol: "HTTPS", protocol_port: 8444, default_tls_container_ref: c.id, tls_ciphers_policy: "tls-9" } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/listeners`, { body: { listener: { loadbalancer_id: lbId, protocol: "TCP", protocol_port: 8445, security_policy_id: sp.id } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/listeners`, { body: { listener: { loadbalancer_id: lbId, protocol: "HTTPS", protocol_port: 8446, default_tls_container_ref: c.id, security_policy_id: "nope" } } }), "ELB.8904", 404);
    assert.deepEqual(body(await hw.call("GET", `${base}/security-policies/${String(sp.id)}`), "security_policy").listeners, [{ id: l.id }]);
    assert.equal(((await hw.call("GET", `${base}/security-policies?name=sp`)).json.security_policies as Row[]).length, 1);
    expectElbError(await hw.call("DELETE", `${base}/security-policies/${String(sp.id)}`), "ELB.8907", 409);
    assert.equal((await hw.call("DELETE", `${base}/listeners/${String(l.id)}`)).status, 204);
    assert.equal((await hw.call("DELETE", `${base}/security-policies/${String(sp.id)}`)).status, 204);
    expectElbError(await hw.call("GET", `${base}/security-policies/${String(sp.id)}`), "ELB.8904", 404);
  });

  test("tenancy: another project cannot see certificates, policies or IP groups", async () => {
    const c = await certOk({ name: "private" });
    const g = body(await hw.call("POST", `${base}/ipgroups`, { body: { ipgroup: { ip_list: [] } } }), "ipgroup");
    const other = `/elb/v3/${hw.projectId("cn-east-3")}/elb`;
    expectElbError(await hw.call("GET", `${other}/certificates/${String(c.id)}`), "ELB.8904", 404);
    expectElbError(await hw.call("GET", `${other}/ipgroups/${String(g.id)}`), "ELB.8904", 404);
    assert.deepEqual((await hw.call("GET", `${other}/certificates`)).json.certificates, []);
    assert.deepEqual((await hw.call("GET", `${other}/l7policies`)).json.l7policies, []);
  });
});
