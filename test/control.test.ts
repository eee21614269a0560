// hwlocal's control plane: GET /_hwlocal/info only for the admin beyond loopback and with the endpoint the
// caller reached; POST /_hwlocal/clock sets the clock (backwards too) and reset puts it back to real time,
// without the engine running anything early or twice.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { envLines, keyFromEnv } from "../src/cli/env.ts";
import { getMeta } from "../src/store/database.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";
import { signRequest, type Credentials } from "./helpers/sign.ts";
import { asNetwork } from "./helpers/as.ts";

const ADMIN_PASSWORD = "Hwlocal@2026";

/** A GET to 127.0.0.1:port with the Host header given (none when null), signed when creds are given. */
function getWithHost(port: number, path: string, host: string | null, creds?: Credentials): Promise<{ status: number; json: Record<string, unknown> }> {
  let headers: Record<string, string> = {};
  if (creds) headers = signRequest({ method: "GET", url: new URL(`http://${host ?? `127.0.0.1:${port}`}${path}`), headers, body: undefined, creds });
  if (host !== null) headers.host = host;
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers, setHost: host !== null }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on("error", reject);
    req.end();
  });
}

function assertForbidden(r: { status: number; json: Record<string, unknown> }): void {
  assert.equal(r.status, 403, JSON.stringify(r.json));
  assert.equal(r.json.error_code, "HWLOCAL.0403");
}

async function passwordToken(hw: TestHwlocal, user: string, password: string): Promise<string> {
  const r = await hw.call("POST", "/iam/v3/auth/tokens", {
    creds: null,
    body: { auth: { identity: { methods: ["password"], password: { user: { name: user, password, domain: { name: hw.seed.domain.name } } } } } },
  });
  assert.equal(r.status, 201, r.text);
  return r.headers.get("x-subject-token")!;
}

const clockOf = (r: CallResult) => r.json as { now: string; offset_seconds: number };

describe("GET /_hwlocal/info beyond loopback", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal({ host: "0.0.0.0" });
  });
  after(() => hw.close());

  test("only an administrator's signature or token gets the account", async () => {
    assertForbidden(await hw.call("GET", "/_hwlocal/info", { creds: null }));
    const signed = await hw.call("GET", "/_hwlocal/info");
    assert.equal(signed.status, 200, signed.text);
    assert.deepEqual(signed.json.access_key, hw.seed.accessKey);
    assert.equal((signed.json.user as { password: string }).password, ADMIN_PASSWORD);

    const token = await passwordToken(hw, "admin", ADMIN_PASSWORD);
    assert.equal((await hw.call("GET", "/_hwlocal/info", { creds: null, headers: { "X-Auth-Token": token } })).status, 200);

    const user = await hw.call("POST", "/iam/v3/users", {
      body: { user: { name: "reader", password: "Passw0rd!reader", domain_id: hw.seed.domain.id } },
    });
    assert.equal(user.status, 201, user.text);
    const readerToken = await passwordToken(hw, "reader", "Passw0rd!reader");
    assertForbidden(await hw.call("GET", "/_hwlocal/info", { creds: null, headers: { "X-Auth-Token": readerToken } }));
    assert.equal((await hw.call("GET", "/_hwlocal/health", { creds: null })).status, 200, "health stays open");
  });

  test("the endpoint is the one the caller reached", async () => {
    const local = await getWithHost(hw.port, "/_hwlocal/info", `127.0.0.1:${hw.port}`, hw.admin);
    assert.equal(local.json.endpoint, `http://127.0.0.1:${hw.port}`);
    const remote = await getWithHost(hw.port, "/_hwlocal/info", `hwlocal.lan.test:${hw.port}`, hw.admin);
    assert.equal(remote.status, 200, JSON.stringify(remote.json));
    assert.equal(remote.json.endpoint, `http://hwlocal.lan.test:${hw.port}`);
    assertForbidden(await getWithHost(hw.port, "/_hwlocal/info", `hwlocal.lan.test:${hw.port}`));
  });

  test("hwlocal env signs with HUAWEICLOUD_SDK_AK/SK", async () => {
    await assert.rejects(envLines(hw.url, "cn-north-4", keyFromEnv({})), /HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK/);
    const lines = await envLines(hw.url, "cn-north-4", keyFromEnv({ HUAWEICLOUD_SDK_AK: hw.admin.ak, HUAWEICLOUD_SDK_SK: hw.admin.sk }));
    assert.ok(lines.includes(`export HUAWEICLOUD_SDK_PROJECT_ID=${hw.projectId()}`), lines.join("\n"));
    await assert.rejects(envLines(hw.url, "cn-north-4", { ak: hw.admin.ak, sk: "wrong" }), /refused the key/);
  });

  test("setting the clock needs the administrator too", async () => {
    assertForbidden(await hw.call("POST", "/_hwlocal/clock", { creds: null, body: { offset_seconds: 60 } }));
    const set = await hw.call("POST", "/_hwlocal/clock", { body: { offset_seconds: 60 } });
    assert.equal(set.status, 200, set.text);
    assert.equal(clockOf(set).offset_seconds, 60);
  });
});

describe("GET /_hwlocal/info on loopback", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal();
  });
  after(() => hw.close());

  test("open, with the endpoint from the Host header, or hwlocal's own without one", async () => {
    const named = await getWithHost(hw.port, "/_hwlocal/info", `localhost:${hw.port}`);
    assert.equal(named.status, 200);
    assert.equal(named.json.endpoint, `http://localhost:${hw.port}`);
    const hostless = await getWithHost(hw.port, "/_hwlocal/info", null);
    assert.equal(hostless.status, 200);
    assert.equal(hostless.json.endpoint, hw.url);
  });
});

describe("POST /_hwlocal/clock and reset", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 60 });
  });
  after(() => hw.close());
  const setClock = (body: unknown) => hw.call("POST", "/_hwlocal/clock", { creds: null, body });
  const advance = async (seconds: number) =>
    assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);

  test("sets the offset, or the time, backwards too, and persists it", async () => {
    const back = await setClock({ offset_seconds: -3600 });
    assert.equal(back.status, 200, back.text);
    assert.equal(clockOf(back).offset_seconds, -3600);
    assert.ok(Math.abs(Date.parse(clockOf(back).now) - (Date.now() - 3600_000)) < 5000);
    assert.equal(getMeta(hw.db, "clock_offset_ms"), "-3600000");
    assert.deepEqual(clockOf(await hw.call("GET", "/_hwlocal/clock", { creds: null })), clockOf(back));

    const at = await setClock({ now: "2030-01-02T03:04:05Z" });
    assert.equal(at.status, 200, at.text);
    assert.equal(clockOf(at).now, "2030-01-02T03:04:05Z");
    const past = await setClock({ now: "2025-06-01T12:00:00+08:00" });
    assert.equal(clockOf(past).now, "2025-06-01T04:00:00Z");
    assert.ok(clockOf(past).offset_seconds < 0);

    for (const bad of [{}, { offset_seconds: 60, now: "2030-01-01T00:00:00Z" }, { now: "tomorrow" }, { now: "2030-01-01" },
      { offset_seconds: "60" }, { offset_seconds: 11 * 365 * 86400 }, { now: "2199-01-01T00:00:00Z" }, { seconds: 1 }]) {
      const r = await setClock(bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.equal(r.json.error_code, "HWLOCAL.0400");
    }
  });

  test("moving back delays what is scheduled: nothing runs early or twice", async () => {
    assert.equal((await setClock({ offset_seconds: 0 })).status, 200);
    const { vpcId, subnetId } = await asNetwork(hw);
    const p = hw.projectId();
    const created = await hw.call("POST", `/ecs/v1/${p}/cloudservers`, {
      body: {
        server: {
          name: "early", imageRef: "24e55760-5493-4b66-b471-ddaa29f3f89f", flavorRef: "s6.small.1", vpcid: vpcId,
          nics: [{ subnet_id: subnetId }], root_volume: { volumetype: "SSD" },
        },
      },
    });
    assert.equal(created.status, 200, created.text);
    const jobId = String(created.json.job_id);
    const serverId = (created.json.serverIds as string[])[0]!;
    const status = async () => (await hw.call("GET", `/ecs/v1/${p}/cloudservers/${serverId}`)).json.server as { status: string };
    const job = async () => (await hw.call("GET", `/ecs/v1/${p}/jobs/${jobId}`)).json;
    await advance(0);
    assert.equal((await job()).status, "RUNNING", "the server boots for 60 s of hwlocal's clock");
    const token = await passwordToken(hw, "admin", ADMIN_PASSWORD);

    assert.equal((await setClock({ offset_seconds: -3600 })).status, 200);
    await advance(60);
    assert.equal((await status()).status, "BUILD", "the boot is still due at its own time");
    assert.equal((await hw.call("GET", "/iam/v3/auth/domains", { creds: null, headers: { "X-Auth-Token": token } })).status, 200,
      "a token issued 'later' stays valid");
    await advance(3600);
    const done = await job();
    assert.equal(done.status, "SUCCESS");
    assert.equal((await status()).status, "ACTIVE");
    const ports = await hw.call("GET", `/vpc/v1/${p}/ports`, { query: { device_id: serverId } });
    assert.equal((ports.json.ports as unknown[]).length, 1, "the boot's steps ran once");
  });

  test("reset puts the clock back to real time", async () => {
    await advance(86400);
    const reset = await hw.call("POST", "/_hwlocal/reset", { creds: null });
    assert.equal(reset.status, 200, reset.text);
    const clock = clockOf(await hw.call("GET", "/_hwlocal/clock", { creds: null }));
    assert.equal(clock.offset_seconds, 0);
    assert.ok(Math.abs(Date.parse(clock.now) - Date.now()) < 5000);
    assert.equal(getMeta(hw.db, "clock_offset_ms"), "0");
    const token = await passwordToken(hw, "admin", ADMIN_PASSWORD);
    assert.equal((await hw.call("GET", "/iam/v3/auth/domains", { creds: null, headers: { "X-Auth-Token": token } })).status, 200);
  });
});

describe("reset after an advance", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal();
  });
  after(() => hw.close());

  // Cloud Eye keeps the last built-in minute written in memory (svc.builtin.until); its afterReset clears
  // it, else after a reset that puts the clock a day back it would wait a day before writing again.
  test("Cloud Eye writes its built-in metrics again at once", async () => {
    const advance = async (seconds: number) =>
      assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);
    await advance(86400);
    assert.equal((await hw.call("POST", "/_hwlocal/reset", { creds: null })).status, 200);
    const pid = hw.projectId();
    const base = `/as/autoscaling-api/v1/${pid}`;
    const { vpcId, subnetId, configId } = await asNetwork(hw, pid);
    const g = await hw.call("POST", `${base}/scaling_group`, {
      body: {
        scaling_group_name: "after-reset", scaling_configuration_id: configId, vpc_id: vpcId, networks: [{ id: subnetId }],
        min_instance_number: 0, max_instance_number: 2, desire_instance_number: 1,
      },
    });
    assert.equal(g.status, 200, g.text);
    const groupId = g.json.scaling_group_id as string;
    assert.equal((await hw.call("POST", `${base}/scaling_group/${groupId}/action`, { body: { action: "resume" } })).status, 204);
    await advance(1);
    await advance(120);
    const now = hw.clock.now();
    const r = await hw.call("GET", `/ces/V1.0/${pid}/metric-data`, {
      query: { namespace: "SYS.AS", metric_name: "instance_num", "dim.0": `AutoScalingGroup,${groupId}`, from: String(now - 3600_000), to: String(now + 1), period: "1", filter: "average" },
    });
    assert.equal(r.status, 200, r.text);
    assert.ok((r.json.datapoints as unknown[]).length > 0, "built-in points after the reset");
  });
});

// Schedules some services keep in memory (IAM's token pruning and last-use marks) go on after the clock is
// set back or reset, rather than waiting until the clock reaches the time of their last run again.
describe("in-memory schedules after the clock moves back", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal({ tokenTtlSeconds: 60 });
  });
  after(() => hw.close());
  const setClock = async (offsetSeconds: number) =>
    assert.equal((await hw.call("POST", "/_hwlocal/clock", { creds: null, body: { offset_seconds: offsetSeconds } })).status, 200);
  const advance = async (seconds: number) =>
    assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);
  // Using a token: an expired one is APIGW.0307 while IAM keeps it, a deleted one APIGW.0301 like any unknown.
  const useToken = async (token: string) =>
    (await hw.call("GET", "/iam/v3/auth/domains", { creds: null, headers: { "X-Auth-Token": token } })).json.error_code;
  // A day after its expiry (and up to ten minutes of the ticker's pace), the 60 s token is deleted.
  const assertPruned = async (token: string) => {
    assert.equal(await useToken(token), "APIGW.0307", "expired, kept a day");
    await advance(86400 + 11 * 60);
    assert.equal(await useToken(token), "APIGW.0301", "deleted");
  };

  test("IAM prunes expired tokens after POST /_hwlocal/clock moves the clock back", async () => {
    await setClock(2 * 86400);
    await setClock(0);
    const token = await passwordToken(hw, "admin", ADMIN_PASSWORD);
    await advance(61);
    await assertPruned(token);
  });

  test("IAM prunes expired tokens after a reset", async () => {
    await advance(2 * 86400);
    assert.equal((await hw.call("POST", "/_hwlocal/reset", { creds: null })).status, 200);
    const token = await passwordToken(hw, "admin", ADMIN_PASSWORD);
    await advance(61);
    await assertPruned(token);
  });

  test("an access key's last_use_time follows the clock back", async () => {
    const path = `/iam/v3.0/OS-CREDENTIAL/credentials/${hw.admin.ak}`;
    const lastUse = async () => Date.parse(((await hw.call("GET", path)).json.credential as { last_use_time: string }).last_use_time);
    await setClock(2 * 86400);
    assert.ok((await lastUse()) > Date.now() + 86400_000);
    await setClock(0);
    const back = await lastUse();
    assert.ok(Math.abs(back - Date.now()) < 60_000, new Date(back).toISOString());
  });
});
