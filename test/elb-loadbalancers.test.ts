// ELB load balancers and listeners through raw signed requests: a load balancer with its VIP taken from the
// subnet as a VPC port and an EIP bound to it, flavors and protocols, ports unique per load balancer, the
// documented deletion order with its 409 ELB.8907, lists and filters, tags, zones/flavors/quotas, 501s.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { body, elbNetwork, expectElbError, newEip, type ElbNet } from "./elb-helpers.ts";

type Row = Record<string, unknown>;

describe("ELB load balancers and listeners", () => {
  let hw: TestHwlocal;
  let base: string;
  let net: ElbNet;
  before(async () => {
    hw = await startTestHwlocal();
    base = `/elb/v3/${hw.projectId()}/elb`;
    net = await elbNetwork(hw);
  });
  after(() => hw.close());

  const createLb = (extra: Row = {}) =>
    hw.call("POST", `${base}/loadbalancers`, { body: { loadbalancer: { name: "lb", availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: net.subnetCidrId, ...extra } } });
  const createLbOk = async (extra: Row = {}): Promise<Row> => {
    const r = await createLb(extra);
    assert.equal(r.status, 201, r.text);
    return body(r, "loadbalancer");
  };
  const listener = (lbId: string, protocol: string, port: number, extra: Row = {}) =>
    hw.call("POST", `${base}/listeners`, { body: { listener: { loadbalancer_id: lbId, protocol, protocol_port: port, ...extra } } });

  test("a load balancer takes its VIP from the subnet as a port and binds an existing EIP to it", async () => {
    const eip = await newEip(hw);
    const lb = await createLbOk({ publicip_ids: [eip.id], description: "web" });
    assert.equal(lb.provisioning_status, "ACTIVE");
    assert.equal(lb.operating_status, "ONLINE");
    assert.equal(lb.provider, "vlb");
    assert.equal(lb.vpc_id, net.vpcId);
    assert.equal(lb.vip_subnet_cidr_id, net.subnetCidrId);
    assert.match(String(lb.vip_address), /^10\.0\.1\.\d+$/);
    assert.deepEqual(lb.eips, [{ eip_id: eip.id, eip_address: eip.address, ip_version: 4 }]);
    assert.deepEqual(lb.publicips, [{ publicip_id: eip.id, publicip_address: eip.address, ip_version: 4 }]);
    assert.deepEqual(lb.elb_virsubnet_ids, [net.networkId]);
    assert.match(String(lb.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const port = await hw.call("GET", `/vpc/v1/${hw.projectId()}/ports/${String(lb.vip_port_id)}`);
    assert.equal(port.status, 200, port.text);
    const p = body(port, "port");
    assert.equal((p.fixed_ips as { ip_address: string }[])[0]!.ip_address, lb.vip_address);
    assert.equal(p.device_id, lb.id);
    const e = await hw.call("GET", `/vpc/v1/${hw.projectId()}/publicips/${eip.id}`);
    assert.equal(body(e, "publicip").port_id, lb.vip_port_id);
    // The VIP address is taken: a second load balancer asking for it is refused; deleting frees port and EIP.
    expectElbError(await createLb({ vip_address: lb.vip_address }), "ELB.8907", 409);
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${String(lb.id)}`)).status, 204);
    assert.equal((await hw.call("GET", `/vpc/v1/${hw.projectId()}/ports/${String(lb.vip_port_id)}`)).status, 404);
    const after = await hw.call("GET", `/vpc/v1/${hw.projectId()}/publicips/${eip.id}`);
    assert.equal(after.status, 200, "an existing EIP outlives the load balancer");
    assert.equal(body(after, "publicip").port_id ?? null, null);
    expectElbError(await hw.call("GET", `${base}/loadbalancers/${String(lb.id)}`), "ELB.8904", 404);
  });

  test("publicip creates a new EIP, released with the load balancer; a fixed vip_address is honoured", async () => {
    const lb = await createLbOk({ vip_address: "10.0.1.77", publicip: { network_type: "5_bgp", bandwidth: { name: "bw", size: 10, share_type: "PER", charge_mode: "traffic" } } });
    assert.equal(lb.vip_address, "10.0.1.77");
    const eips = lb.eips as { eip_id: string }[];
    assert.equal(eips.length, 1);
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${String(lb.id)}`)).status, 204);
    assert.equal((await hw.call("GET", `/vpc/v1/${hw.projectId()}/publicips/${eips[0]!.eip_id}`)).status, 404);
  });

  test("bad bodies answer 400 ELB.8902, missing references 404 ELB.8904", async () => {
    expectElbError(await createLb({ availability_zone_list: ["mars-1a"] }), "ELB.8902", 400);
    expectElbError(await createLb({ availability_zone_list: [] }), "ELB.8902", 400);
    expectElbError(await createLb({ guaranteed: false }), "ELB.8902", 400);
    expectElbError(await createLb({ provider: "octavia" }), "ELB.8902", 400);
    expectElbError(await createLb({ vip_subnet_cidr_id: net.networkId }), "ELB.8902", 400);
    expectElbError(await createLb({ vip_subnet_cidr_id: "9d2c1f1e-0000-4000-8000-000000000000" }), "ELB.8904", 404);
    expectElbError(await createLb({ vip_address: "10.9.9.9" }), "ELB.8902", 400);
    expectElbError(await createLb({ l4_flavor_id: "nope" }), "ELB.8904", 404);
    expectElbError(await createLb({ publicip_ids: ["nope"] }), "ELB.8904", 404);
    expectElbError(await createLb({ publicip_ids: ["a"], publicip: { bandwidth: { size: 1 } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/loadbalancers`, { body: { loadbalancer: { availability_zone_list: ["cn-north-4a"] } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/loadbalancers`, { body: "{not json" }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/loadbalancers`), "ELB.8902", 400);
    expectElbError(await hw.call("PUT", `${base}/loadbalancers/nope`, { body: { loadbalancer: { name: "x" } } }), "ELB.8904", 404);
    expectElbError(await hw.call("DELETE", `${base}/loadbalancers/nope`), "ELB.8904", 404);
    expectElbError(await hw.call("GET", `${base}/loadbalancers/nope/statuses`), "ELB.8904", 404);
  });

  test("flavors decide the protocols; ports are unique per load balancer except UDP beside TCP", async () => {
    const flavors = await hw.call("GET", `${base}/flavors?type=L4`);
    assert.equal(flavors.status, 200, flavors.text);
    const l4 = (flavors.json.flavors as { id: string; type: string }[])[0]!;
    assert.equal(l4.type, "L4");
    const shown = await hw.call("GET", `${base}/flavors/${l4.id}`);
    assert.equal(body(shown, "flavor").id, l4.id);
    expectElbError(await hw.call("GET", `${base}/flavors/nope`), "ELB.8904", 404);
    const onlyL4 = await createLbOk({ l4_flavor_id: l4.id, name: "l4-only" });
    assert.equal(onlyL4.l7_flavor_id, null);
    expectElbError(await listener(String(onlyL4.id), "HTTP", 80), "ELB.8902", 400);
    const tcp = await listener(String(onlyL4.id), "TCP", 80);
    assert.equal(tcp.status, 201, tcp.text);
    const l = body(tcp, "listener");
    assert.equal(l.keepalive_timeout, 300);
    assert.deepEqual(l.loadbalancers, [{ id: onlyL4.id }]);
    expectElbError(await listener(String(onlyL4.id), "TCP", 80), "ELB.8907", 409);
    assert.equal((await listener(String(onlyL4.id), "UDP", 80)).status, 201);
    expectElbError(await listener(String(onlyL4.id), "UDP", 80), "ELB.8907", 409);
    expectElbError(await listener(String(onlyL4.id), "TCP", 0), "ELB.8902", 400);
    expectElbError(await listener(String(onlyL4.id), "SCTP", 81), "ELB.8902", 400);
    expectElbError(await listener("nope", "TCP", 81), "ELB.8904", 404);

    const both = await createLbOk({ name: "both" });
    const http = await listener(String(both.id), "HTTP", 80, { name: "web", client_timeout: 30 });
    assert.equal(http.status, 201, http.text);
    const h = body(http, "listener");
    assert.equal(h.keepalive_timeout, 60);
    assert.equal(h.client_timeout, 30);
    expectElbError(await listener(String(both.id), "HTTPS", 443), "ELB.8902", 400);
    expectElbError(await listener(String(both.id), "HTTPS", 443, { default_tls_container_ref: "0123456789abcdef0123456789abcdef" }), "ELB.8904", 404);

    const upd = await hw.call("PUT", `${base}/listeners/${String(h.id)}`, { body: { listener: { name: "renamed", keepalive_timeout: 100 } } });
    assert.equal(upd.status, 200, upd.text);
    assert.equal(body(upd, "listener").name, "renamed");
    assert.equal(body(upd, "listener").protocol_port, 80);
    const list = await hw.call("GET", `${base}/listeners?loadbalancer_id=${String(both.id)}&protocol=HTTP`);
    assert.deepEqual((list.json.listeners as Row[]).map((x) => x.id), [h.id]);
    const shown2 = await hw.call("GET", `${base}/loadbalancers/${String(both.id)}`);
    assert.deepEqual(body(shown2, "loadbalancer").listeners, [{ id: h.id }]);
    expectElbError(await hw.call("GET", `${base}/listeners/nope`), "ELB.8904", 404);
  });

  test("deletion order: load balancer with a listener, listener with its pool, pool with members or a monitor", async () => {
    const lb = await createLbOk({ name: "order" });
    const lbId = String(lb.id);
    const l = body(await listener(lbId, "HTTP", 8080), "listener");
    const pr = await hw.call("POST", `${base}/pools`, { body: { pool: { listener_id: l.id, protocol: "HTTP", lb_algorithm: "ROUND_ROBIN" } } });
    assert.equal(pr.status, 201, pr.text);
    const pool = body(pr, "pool");
    assert.deepEqual(pool.loadbalancers, [{ id: lbId }]);
    assert.equal(body(await hw.call("GET", `${base}/listeners/${String(l.id)}`), "listener").default_pool_id, pool.id);
    const mr = await hw.call("POST", `${base}/pools/${String(pool.id)}/members`, { body: { member: { address: "10.0.1.50", protocol_port: 80, subnet_cidr_id: net.subnetCidrId } } });
    assert.equal(mr.status, 201, mr.text);
    const hm = await hw.call("POST", `${base}/healthmonitors`, { body: { healthmonitor: { pool_id: pool.id, type: "HTTP", delay: 5, timeout: 3, max_retries: 3 } } });
    assert.equal(hm.status, 201, hm.text);

    expectElbError(await hw.call("DELETE", `${base}/loadbalancers/${lbId}`), "ELB.8907", 409);
    expectElbError(await hw.call("DELETE", `${base}/listeners/${String(l.id)}`), "ELB.8907", 409);
    expectElbError(await hw.call("DELETE", `${base}/pools/${String(pool.id)}`), "ELB.8907", 409);
    assert.equal((await hw.call("DELETE", `${base}/pools/${String(pool.id)}/members/${String(body(mr, "member").id)}`)).status, 204);
    expectElbError(await hw.call("DELETE", `${base}/pools/${String(pool.id)}`), "ELB.8907", 409);
    assert.equal((await hw.call("DELETE", `${base}/healthmonitors/${String(body(hm, "healthmonitor").id)}`)).status, 204);
    assert.equal((await hw.call("DELETE", `${base}/pools/${String(pool.id)}`)).status, 204);
    assert.equal(body(await hw.call("GET", `${base}/listeners/${String(l.id)}`), "listener").default_pool_id, null);
    assert.equal((await hw.call("DELETE", `${base}/listeners/${String(l.id)}`)).status, 204);
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${lbId}`)).status, 204);
  });

  test("update, deletion protection, lists with filters and marker paging", async () => {
    const a = await createLbOk({ name: "page-a" });
    const b = await createLbOk({ name: "page-b", deletion_protection_enable: true });
    const upd = await hw.call("PUT", `${base}/loadbalancers/${String(a.id)}`, { body: { loadbalancer: { name: "page-a2", description: "d" } } });
    assert.equal(upd.status, 200, upd.text);
    assert.equal(body(upd, "loadbalancer").name, "page-a2");
    expectElbError(await hw.call("PUT", `${base}/loadbalancers/${String(a.id)}`, { body: { loadbalancer: { admin_state_up: false } } }), "ELB.8902", 400);
    expectElbError(await hw.call("DELETE", `${base}/loadbalancers/${String(b.id)}`), "ELB.8907", 409);
    const byName = await hw.call("GET", `${base}/loadbalancers?name=page-a2&name=page-b`);
    assert.equal(byName.status, 200, byName.text);
    assert.deepEqual((byName.json.loadbalancers as Row[]).map((x) => x.name), ["page-a2", "page-b"]);
    const first = await hw.call("GET", `${base}/loadbalancers?name=page-a2&name=page-b&limit=1`);
    const info = first.json.page_info as { next_marker: string; current_count: number };
    assert.equal(info.current_count, 1);
    const second = await hw.call("GET", `${base}/loadbalancers?name=page-a2&name=page-b&limit=1&marker=${info.next_marker}`);
    assert.deepEqual((second.json.loadbalancers as Row[]).map((x) => x.name), ["page-b"]);
    expectElbError(await hw.call("GET", `${base}/loadbalancers?limit=abc`), "ELB.8902", 400);
    const byVip = await hw.call("GET", `${base}/loadbalancers?vip_address=${String(a.vip_address)}`);
    assert.deepEqual((byVip.json.loadbalancers as Row[]).map((x) => x.id), [a.id]);
    assert.equal((await hw.call("PUT", `${base}/loadbalancers/${String(b.id)}`, { body: { loadbalancer: { deletion_protection_enable: false } } })).status, 200);
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${String(b.id)}`)).status, 204);
  });

  test("tags of load balancers and listeners (v3 paths without /elb)", async () => {
    const lb = await createLbOk({ name: "tagged", tags: [{ key: "env", value: "dev" }] });
    const tagBase = `/elb/v3/${hw.projectId()}/loadbalancers`;
    assert.equal((await hw.call("POST", `${tagBase}/${String(lb.id)}/tags/action`, { body: { action: "create", tags: [{ key: "team", value: "web" }] } })).status, 204);
    const tags = await hw.call("GET", `${tagBase}/${String(lb.id)}/tags`);
    assert.deepEqual(tags.json.tags, [{ key: "env", value: "dev" }, { key: "team", value: "web" }]);
    assert.equal((await hw.call("POST", `${tagBase}/${String(lb.id)}/tags/action`, { body: { action: "delete", tags: [{ key: "env" }] } })).status, 204);
    const keys = await hw.call("GET", `${tagBase}/tags`);
    assert.deepEqual(keys.json.tags, [{ key: "team", values: ["web"] }]);
    expectElbError(await hw.call("POST", `${tagBase}/${String(lb.id)}/tags/action`, { body: { action: "create", tags: [{ key: "k".repeat(37), value: "v" }] } }), "ELB.8902", 400);
    expectElbError(await hw.call("GET", `${tagBase}/nope/tags`), "ELB.8904", 404);
    const l = body(await listener(String(lb.id), "TCP", 22, { tags: [{ key: "a", value: "1" }] }), "listener");
    const lBase = `/elb/v3/${hw.projectId()}/listeners`;
    assert.equal((await hw.call("POST", `${lBase}/${String(l.id)}/tags/action`, { body: { action: "create", tags: [{ key: "b", value: "2" }] } })).status, 204);
    assert.deepEqual((await hw.call("GET", `${lBase}/${String(l.id)}/tags`)).json.tags, [{ key: "a", value: "1" }, { key: "b", value: "2" }]);
    assert.deepEqual((await hw.call("GET", `${lBase}/tags`)).json.tags, [{ key: "a", values: ["1"] }, { key: "b", values: ["2"] }]);
    expectElbError(await hw.call("GET", `${lBase}/nope/tags`), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${lBase}/nope/tags/action`, { body: { action: "create", tags: [{ key: "b", value: "2" }] } }), "ELB.8904", 404);
  });

  test("zones, quotas, the elb host, and named 501s for operations not built", async () => {
    const zones = await hw.call("GET", `${base}/availability-zones`);
    assert.equal(zones.status, 200, zones.text);
    assert.deepEqual((zones.json.availability_zones as { code: string }[][])[0]!.map((z) => z.code), ["cn-north-4a", "cn-north-4b", "cn-north-4c"]);
    const quota = await hw.call("GET", `${base}/quotas`);
    assert.equal(body(quota, "quota").loadbalancer, 50);
    const details = await hw.call("GET", `${base}/quotas/details?quota_key=loadbalancer`);
    const d = (details.json.quotas as { quota_key: string; used: number; quota_limit: number }[])[0]!;
    assert.equal(d.quota_key, "loadbalancer");
    assert.equal(d.quota_limit, 50);
    assert.ok(d.used >= 1);
    const viaHost = await hw.call("GET", `/v3/${hw.projectId()}/elb/quotas`, { headers: { host: "elb.cn-north-4.myhuaweicloud.com" } });
    assert.equal(viaHost.status, 200, viaHost.text);
    const r = await hw.call("GET", `${base}/loadbalancers/x/local-ports`);
    assert.equal(r.status, 501, r.text);
    assert.equal(r.json.error_code, "HWLOCAL.0501");
    assert.match(String(r.json.error_msg), /ShowLoadBalancerPorts/);
  });

  test("tenancy: another project neither sees nor touches a load balancer", async () => {
    const lb = await createLbOk({ name: "mine" });
    const other = `/elb/v3/${hw.projectId("cn-east-3")}/elb`;
    expectElbError(await hw.call("GET", `${other}/loadbalancers/${String(lb.id)}`), "ELB.8904", 404);
    expectElbError(await hw.call("DELETE", `${other}/loadbalancers/${String(lb.id)}`), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${other}/listeners`, { body: { listener: { loadbalancer_id: lb.id, protocol: "TCP", protocol_port: 1 } } }), "ELB.8904", 404);
    const list = await hw.call("GET", `${other}/loadbalancers`);
    assert.deepEqual(list.json.loadbalancers, []);
    // A request whose X-Project-Id names another project than its path is the gateway's 403 in ELB's shape.
    const mixed = await hw.call("GET", `${base}/loadbalancers/${String(lb.id)}`, { headers: { "X-Project-Id": hw.projectId("cn-east-3") } });
    expectElbError(mixed, "ELB.1103", 403);
    // A subnet of another project is not found either.
    const r = await hw.call("POST", `${other}/loadbalancers`, { body: { loadbalancer: { availability_zone_list: ["cn-east-3a"], vip_subnet_cidr_id: net.subnetCidrId } } });
    expectElbError(r, "ELB.8904", 404);
  });
});
