// ELB domain names and DNS IPs: the system-default and user-defined configurations, the IPs they resolve to,
// batch enable/disable, through raw signed requests, with their error paths and tenancy.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { elbNetwork, expectElbError, newEip, type ElbNet } from "./elb-helpers.ts";

type Row = Record<string, unknown>;

describe("ELB domain names and DNS IPs", () => {
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
  const newLb = async (eip?: string): Promise<Row> =>
    (await call("POST", "/loadbalancers", { loadbalancer: { availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: net.subnetCidrId, ...(eip ? { publicip_ids: [eip] } : {}) } }, 201)).loadbalancer as Row;

  test("the system default names resolve the VIP (private) and the EIP (public); IPs switch in and out", async () => {
    const eip = await newEip(hw);
    const lb = await newLb(eip.id);
    const id = String(lb.id);
    const dns = `/loadbalancers/${id}/dns`;
    assert.deepEqual((await call("GET", `${dns}/ips`)).ips, [], "no name is on at first");
    const cfg = (await call("POST", `${dns}/system-default-config`, { loadbalancer: { public_domain_name_enable: true, private_domain_name_enable: true, public_dns_record_set_ttl: 60 } })).loadbalancer as Row;
    assert.equal(cfg.vip_address, lb.vip_address);
    assert.equal(cfg.public_domain_name, `${id}.elb.cn-north-4.myhuaweicloud.com`);
    assert.equal(cfg.private_domain_name, `${id}-internal.elb.cn-north-4.myhuaweicloud.com`);
    assert.equal(cfg.public_dns_record_set_ttl, 60);
    assert.equal(cfg.private_dns_record_set_ttl, 300);
    assert.deepEqual((cfg.eips as Row[]).map((e) => e.eip_address), [eip.address]);
    const ips = (await call("GET", `${dns}/ips`)).ips as Row[];
    assert.deepEqual(
      ips.map((ip) => [ip.ip_address, ip.type, ip.enable, ip.domain_name]),
      [
        [lb.vip_address, "vip", true, cfg.private_domain_name],
        [eip.address, "eip", true, cfg.public_domain_name],
      ],
    );
    assert.match(String(ips[0]!.id), /^[0-9a-f-]{36}$/);
    assert.match(String(ips[0]!.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const off = (await call("POST", `${dns}/ips/batch-disable`, { ips: [{ ip_address: eip.address }] })).ips as Row[];
    assert.deepEqual(((off[0]!.ips as Row[]) ?? []).map((ip) => [ip.ip_address, ip.enable]), [[lb.vip_address, true], [eip.address, false]]);
    assert.deepEqual(((await call("GET", `${dns}/ips`)).ips as Row[]).map((ip) => ip.enable), [true, false]);
    await call("POST", `${dns}/ips/batch-enable`, { ips: [{ ip_address: eip.address }] });
    assert.deepEqual(((await call("GET", `${dns}/ips`)).ips as Row[]).map((ip) => ip.enable), [true, true]);
    // Only the load balancer's own addresses, all or nothing.
    expectElbError(await hw.call("POST", `${base}${dns}/ips/batch-disable`, { body: { ips: [{ ip_address: lb.vip_address }, { ip_address: "10.9.9.9" }] } }), "ELB.8902", 400);
    assert.deepEqual(((await call("GET", `${dns}/ips`)).ips as Row[]).map((ip) => ip.enable), [true, true]);
    expectElbError(await hw.call("POST", `${base}${dns}/ips/batch-enable`, { body: { ips: [] } }), "ELB.8902", 400);
    // Switching the public name off takes the EIP out of the list.
    const priv = (await call("POST", `${dns}/system-default-config`, { loadbalancer: { public_domain_name_enable: false } })).loadbalancer as Row;
    assert.equal(priv.public_domain_name, null);
    assert.deepEqual(((await call("GET", `${dns}/ips`)).ips as Row[]).map((ip) => ip.type), ["vip"]);
  });

  test("user-defined zones name the domains; bad configurations are refused", async () => {
    const lb = await newLb();
    const dns = `/loadbalancers/${String(lb.id)}/dns`;
    const cfg = (await call("POST", `${dns}/user-defined-config`, { loadbalancer: { private_domain_name_enable: true, private_dns_zone_name: "corp.example.com", private_dns_zone_type: "private", private_dns_record_set_ttl: 600 } })).loadbalancer as Row;
    assert.equal(cfg.private_domain_name, `${String(lb.id)}-internal.elb.cn-north-4.corp.example.com`);
    assert.equal(cfg.private_dns_zone_name, "corp.example.com");
    assert.equal(cfg.private_dns_zone_type, "private");
    assert.equal(cfg.private_dns_record_set_ttl, 600);
    assert.equal(cfg.public_domain_name_enable, false);
    assert.deepEqual(((await call("GET", `${dns}/ips`)).ips as Row[]).map((ip) => ip.domain_name), [cfg.private_domain_name]);
    // A public name needs a zone and an EIP; zone names and TTLs are checked.
    expectElbError(await hw.call("POST", `${base}${dns}/user-defined-config`, { body: { loadbalancer: { public_domain_name_enable: true } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}${dns}/user-defined-config`, { body: { loadbalancer: { public_domain_name_enable: true, public_dns_zone_name: "example.com" } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}${dns}/user-defined-config`, { body: { loadbalancer: { private_dns_zone_name: "bad zone!" } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}${dns}/user-defined-config`, { body: { loadbalancer: { private_dns_zone_type: "shared" } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}${dns}/system-default-config`, { body: { loadbalancer: { private_dns_record_set_ttl: 0 } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}${dns}/system-default-config`, { body: {} }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/loadbalancers/nope/dns/system-default-config`, { body: { loadbalancer: {} } }), "ELB.8904", 404);
    expectElbError(await hw.call("GET", `${base}/loadbalancers/nope/dns/ips`), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${base}/loadbalancers/nope/dns/ips/batch-enable`, { body: { ips: [{ ip_address: "10.0.1.1" }] } }), "ELB.8904", 404);
  });

  test("tenancy: another project neither reads nor changes a load balancer's domain names", async () => {
    const lb = await newLb();
    const dns = `/loadbalancers/${String(lb.id)}/dns`;
    await call("POST", `${dns}/system-default-config`, { loadbalancer: { private_domain_name_enable: true } });
    const other = `/elb/v3/${hw.projectId("cn-east-3")}/elb`;
    expectElbError(await hw.call("GET", `${other}${dns}/ips`), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${other}${dns}/system-default-config`, { body: { loadbalancer: { private_domain_name_enable: false } } }), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${other}${dns}/ips/batch-disable`, { body: { ips: [{ ip_address: lb.vip_address }] } }), "ELB.8904", 404);
    assert.deepEqual(((await call("GET", `${dns}/ips`)).ips as Row[]).map((ip) => ip.enable), [true]);
  });
});
