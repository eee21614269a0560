// ELB load balancer extras (topology, features, feature configs, preoccupied IPs, upgrade, charge mode) and the
// certificate private-key echo switch, through raw signed requests, with their error paths and tenancy.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { elbNetwork, expectElbError, newEip, SERVER_CERT, SERVER_KEY, type ElbNet } from "./elb-helpers.ts";

type Row = Record<string, unknown>;
const L7_SMALL = "3b9a2f26-1c25-4e2f-9b4f-7a5f0e1a7001";
const L4_SMALL = "3b9a2f26-1c25-4e2f-9b4f-7a5f0e1a4001";

describe("ELB load balancer extras and the private-key echo", () => {
  let hw: TestHwlocal;
  let base: string;
  let net: ElbNet;
  before(async () => {
    hw = await startTestHwlocal();
    base = `/elb/v3/${hw.projectId()}/elb`;
    net = await elbNetwork(hw);
  });
  after(() => hw.close());

  const call = async (method: string, path: string, b?: Row, status = 200): Promise<Row> => {
    const r = await hw.call(method, `${base}${path}`, { body: b });
    assert.equal(r.status, status, r.text);
    return r.json;
  };
  const newLb = async (extra: Row = {}): Promise<Row> =>
    (await call("POST", "/loadbalancers", { loadbalancer: { availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: net.subnetCidrId, ...extra } }, 201)).loadbalancer as Row;

  test("the topology links EIP, load balancer, listeners and pools, L7 redirects labelled", async () => {
    const eip = await newEip(hw);
    const lb = await newLb({ publicip_ids: [eip.id], name: "topo" });
    const l = (await call("POST", "/listeners", { listener: { loadbalancer_id: lb.id, protocol: "HTTP", protocol_port: 80, name: "web" } }, 201)).listener as Row;
    const p1 = (await call("POST", "/pools", { pool: { listener_id: l.id, protocol: "HTTP", lb_algorithm: "ROUND_ROBIN", name: "main" } }, 201)).pool as Row;
    const p2 = (await call("POST", "/pools", { pool: { loadbalancer_id: lb.id, protocol: "HTTP", lb_algorithm: "LEAST_CONNECTIONS", name: "api" } }, 201)).pool as Row;
    const pol = (await call("POST", "/l7policies", { l7policy: { listener_id: l.id, action: "REDIRECT_TO_POOL", redirect_pool_id: p2.id, name: "to-api" } }, 201)).l7policy as Row;
    const rule = (await call("POST", `/l7policies/${String(pol.id)}/rules`, { rule: { type: "PATH", compare_type: "STARTS_WITH", value: "/api" } }, 201)).rule as Row;
    const t = (await call("GET", `/loadbalancers/${String(lb.id)}/topology`)).topology as { nodes: Record<string, Row[]>; edges: Row[]; labels: { l7policies: Row[] } };
    assert.deepEqual(t.nodes.loadbalancers!.map((n) => [n.id, n.name, n.guaranteed, n.vip_address]), [[lb.id, "topo", true, lb.vip_address]]);
    assert.deepEqual(t.nodes.eips, [{ id: eip.id, ip_address: eip.address, ip_version: 4 }]);
    assert.deepEqual(t.nodes.listeners!.map((n) => [n.id, n.protocol, n.protocol_port]), [[l.id, "HTTP", 80]]);
    assert.deepEqual(t.nodes.pools!.map((n) => [n.name, n.lb_algorithm]), [["main", "ROUND_ROBIN"], ["api", "LEAST_CONNECTIONS"]]);
    assert.deepEqual(
      t.edges.map((e) => [e.source, e.target, e.source_type, e.target_type, e.label_id ?? null]),
      [
        [eip.id, lb.id, "eip", "loadbalancer", null],
        [lb.id, l.id, "loadbalancer", "listener", null],
        [l.id, p1.id, "listener", "pool", null],
        [l.id, p2.id, "listener", "pool", pol.id],
      ],
    );
    assert.deepEqual(t.labels.l7policies.map((p) => [p.id, p.name, p.action, (p.rules as Row[]).map((r) => [r.id, r.type, r.value])]), [[pol.id, "to-api", "REDIRECT_TO_POOL", [[rule.id, "PATH", "/api"]]]]);
    expectElbError(await hw.call("GET", `${base}/loadbalancers/nope/topology`), "ELB.8904", 404);
  });

  test("features and feature configs; preoccupied IPs; upgrade refused for a dedicated load balancer", async () => {
    const lb = await newLb();
    const f = (await call("GET", `/loadbalancers/${String(lb.id)}/features`)).features as Row[];
    assert.deepEqual(f.find((x) => x.feature === "tcpssl"), { feature: "tcpssl", type: "BOOL", value: "false" });
    assert.ok(f.every((x) => typeof x.value === "string"));
    expectElbError(await hw.call("GET", `${base}/loadbalancers/nope/features`), "ELB.8904", 404);
    const all = await call("GET", "/feature/configs");
    assert.equal((all.configs as Row[]).length, f.length);
    const one = (await call("GET", "/feature/configs?feature=ip_target")).configs as Row[];
    assert.deepEqual(one.map((c) => [c.feature, c.service, c.tenant_id, c.switch, c.type, c.value]), [["ip_target", "ELB", hw.projectId(), true, "BOOL", "true"]]);
    assert.equal((all.page_info as Row).current_count, f.length);

    const count = async (q: string) => ((await call("GET", `/preoccupy-ip-num?${q}`)).preoccupy_ip as Row).total;
    assert.equal(await count("availability_zone_id=cn-north-4a&availability_zone_id=cn-north-4b"), 1);
    assert.equal(await count(`availability_zone_id=cn-north-4a&l7_flavor_id=${L7_SMALL}&ip_target_enable=true&ip_version=4`), 1);
    assert.equal(await count(`loadbalancer_id=${String(lb.id)}&l7_flavor_id=${L7_SMALL}`), 0);
    assert.equal(await count(`loadbalancer_id=${String(lb.id)}&nat64_enable=true`), 0);
    for (const [q, code, status] of [
      ["", "ELB.8902", 400],
      ["availability_zone_id=mars-1a", "ELB.8902", 400],
      ["availability_zone_id=cn-north-4a&ip_version=6", "ELB.8902", 400],
      [`availability_zone_id=cn-north-4a&l7_flavor_id=${L4_SMALL}`, "ELB.8902", 400],
      ["availability_zone_id=cn-north-4a&l7_flavor_id=nope", "ELB.8904", 404],
      ["loadbalancer_id=nope", "ELB.8904", 404],
      [`loadbalancer_id=${String(lb.id)}&scene=UPGRADE`, "ELB.8902", 400],
      [`loadbalancer_id=${String(lb.id)}&ip_target_enable=maybe`, "ELB.8902", 400],
    ] as const)
      expectElbError(await hw.call("GET", `${base}/preoccupy-ip-num${q ? `?${q}` : ""}`), code, status);

    const up = `${base}/loadbalancers/${String(lb.id)}/upgrade`;
    expectElbError(await hw.call("POST", up, { body: { action: "start", availability_zone_list: ["cn-north-4a"], l7_flavor_id: L7_SMALL } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", up, { body: { action: "start" } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", up, { body: { action: "finish" } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/loadbalancers/nope/upgrade`, { body: { action: "complete" } }), "ELB.8904", 404);
  });

  test("change to prepaid: the load balancers and chosen EIPs, once", async () => {
    const eip = await newEip(hw);
    const a = await newLb({ publicip_ids: [eip.id] });
    const b = await newLb();
    const r = await call("POST", "/loadbalancers/change-charge-mode", { loadbalancer_ids: [a.id, b.id], charge_mode: "prepaid", prepaid_options: { include_publicip: true, period_type: "month", period_num: 3 } });
    assert.deepEqual(r.loadbalancer_id_list, [a.id, b.id]);
    assert.deepEqual(r.eip_id_list, [eip.id]);
    assert.match(String(r.order_id), /^CS[0-9A-F]{15}$/);
    expectElbError(await hw.call("POST", `${base}/loadbalancers/change-charge-mode`, { body: { loadbalancer_ids: [b.id], charge_mode: "prepaid", prepaid_options: { period_type: "year" } } }), "ELB.8902", 400);
    const c = await newLb();
    const bad = async (body: Row, code: string, status: number) => expectElbError(await hw.call("POST", `${base}/loadbalancers/change-charge-mode`, { body }), code, status);
    await bad({ loadbalancer_ids: [c.id], charge_mode: "postPaid" }, "ELB.8902", 400);
    await bad({ loadbalancer_ids: [c.id], charge_mode: "prepaid", prepaid_options: { period_type: "year", period_num: 4 } }, "ELB.8902", 400);
    await bad({ loadbalancer_ids: [c.id], charge_mode: "prepaid", prepaid_options: { period_type: "month", publicip_ids: [eip.id] } }, "ELB.8902", 400);
    await bad({ loadbalancer_ids: [c.id], charge_mode: "prepaid", prepaid_options: { period_type: "month", include_publicip: true, publicip_ids: [eip.id] } }, "ELB.8902", 400);
    await bad({ loadbalancer_ids: [c.id, "nope"], charge_mode: "prepaid" }, "ELB.8904", 404);
    const ok = await call("POST", "/loadbalancers/change-charge-mode", { loadbalancer_ids: [c.id], charge_mode: "prepaid" });
    assert.deepEqual(ok.eip_id_list, []);
  });

  test("the private-key echo switch masks certificates' keys while off", async () => {
    assert.equal((await call("GET", "/certificates/settings/private-key-echo")).private_key_echo, true);
    const cert = (await call("POST", "/certificates", { certificate: { certificate: SERVER_CERT, private_key: SERVER_KEY } }, 201)).certificate as Row;
    assert.equal(cert.private_key, SERVER_KEY);
    const off = await call("POST", "/certificates/settings/private-key-echo", { private_key_echo: false }, 201);
    assert.equal(off.private_key_echo, false);
    assert.equal((await call("GET", "/certificates/settings/private-key-echo")).private_key_echo, false);
    assert.equal(((await call("GET", `/certificates/${String(cert.id)}`)).certificate as Row).private_key, "*****");
    assert.deepEqual(((await call("GET", "/certificates")).certificates as Row[]).map((c) => c.private_key), ["*****"]);
    const upd = (await call("PUT", `/certificates/${String(cert.id)}`, { certificate: { name: "renamed" } })).certificate as Row;
    assert.equal(upd.private_key, "*****");
    // Another project keeps its own switch (on).
    const other = `/elb/v3/${hw.projectId("cn-east-3")}/elb`;
    const r = await hw.call("GET", `${other}/certificates/settings/private-key-echo`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.private_key_echo, true);
    await call("POST", "/certificates/settings/private-key-echo", { private_key_echo: true }, 201);
    assert.equal(((await call("GET", `/certificates/${String(cert.id)}`)).certificate as Row).private_key, SERVER_KEY);
    expectElbError(await hw.call("POST", `${base}/certificates/settings/private-key-echo`, { body: { private_key_echo: "yes" } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/certificates/settings/private-key-echo`, { body: {} }), "ELB.8902", 400);
  });

  test("tenancy: another project sees neither the topology nor the features of a load balancer", async () => {
    const lb = await newLb();
    const other = `/elb/v3/${hw.projectId("cn-east-3")}/elb`;
    expectElbError(await hw.call("GET", `${other}/loadbalancers/${String(lb.id)}/topology`), "ELB.8904", 404);
    expectElbError(await hw.call("GET", `${other}/loadbalancers/${String(lb.id)}/features`), "ELB.8904", 404);
    expectElbError(await hw.call("GET", `${other}/preoccupy-ip-num?loadbalancer_id=${String(lb.id)}`), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${other}/loadbalancers/change-charge-mode`, { body: { loadbalancer_ids: [lb.id], charge_mode: "prepaid" } }), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${other}/loadbalancers/${String(lb.id)}/upgrade`, { body: { action: "rollback" } }), "ELB.8904", 404);
  });
});
