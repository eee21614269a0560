// Scaling policies through raw signed requests, their lifecycles driven only by hwlocal's clock: a manual
// execute sets the group's desire (SET, REMOVE by percentage floored, clamped to min, protected instances
// kept) and the engine scales; a SCHEDULED policy fires once at its minute and a RECURRENCE Weekly one on
// its weekday only; cool-down blocks neither; execute logs; ALARM → AS.3030; the codes of §1.10.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { expectError, asNetwork } from "./helpers/as.ts";

type Row = Record<string, unknown>;
const DAY = 86_400_000;
const FAR = "2099-01-01T00:00Z";


describe("AS scaling policies", () => {
  let hw: TestHwlocal;
  let base: string;
  let vpcId: string;
  let subnetId: string;
  let configId: string;
  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 30 });
    base = `/as/autoscaling-api/v1/${hw.projectId()}`;
    ({ vpcId, subnetId, configId } = await asNetwork(hw));
  });
  after(() => hw.close());

  const advance = async (seconds: number) => assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);
  const now = async (): Promise<number> => Date.parse(String((await hw.call("GET", "/_hwlocal/clock", { creds: null })).json.now));
  const settle = async () => {
    await advance(1);
    await advance(60);
  };
  const newGroup = async (name: string, extra: Row = {}): Promise<string> => {
    const r = await hw.call("POST", `${base}/scaling_group`, {
      body: { scaling_group_name: name, scaling_configuration_id: configId, vpc_id: vpcId, networks: [{ id: subnetId }], min_instance_number: 1, max_instance_number: 10, desire_instance_number: 2, ...extra },
    });
    assert.equal(r.status, 200, r.text);
    const id = r.json.scaling_group_id as string;
    assert.equal((await hw.call("POST", `${base}/scaling_group/${id}/action`, { body: { action: "resume" } })).status, 204);
    return id;
  };
  const group = async (id: string): Promise<Row> => (await hw.call("GET", `${base}/scaling_group/${id}`)).json.scaling_group as Row;
  const instances = async (id: string): Promise<Row[]> => (await hw.call("GET", `${base}/scaling_group_instance/${id}/list`)).json.scaling_group_instances as Row[];
  const create = (body: Row) => hw.call("POST", `${base}/scaling_policy`, { body });
  const newPolicy = async (groupId: string, name: string, extra: Row): Promise<string> => {
    const r = await create({ scaling_policy_name: name, scaling_group_id: groupId, scaling_policy_type: "SCHEDULED", scheduled_policy: { launch_time: FAR }, ...extra });
    assert.equal(r.status, 200, r.text);
    return r.json.scaling_policy_id as string;
  };
  const act = (id: string, action: string) => hw.call("POST", `${base}/scaling_policy/${id}/action`, { body: { action } });
  const logs = async (id: string, query: Record<string, string> = {}): Promise<Row[]> => {
    const r = await hw.call("GET", `${base}/scaling_policy_execute_log/${id}`, { query });
    assert.equal(r.status, 200, r.text);
    return r.json.scaling_policy_execute_log as Row[];
  };
  const inService = async (id: string) => (await instances(id)).filter((i) => i.life_cycle_state === "INSERVICE");

  test("manual execute: SET 5, REMOVE 50% (floored, protected kept), REMOVE 10 clamped to min; logs; no cool-down", async () => {
    const gid = await newGroup("pol");
    await settle();
    assert.equal((await inService(gid)).length, 2);

    const set5 = await newPolicy(gid, "set5", { scaling_policy_action: { operation: "SET", instance_number: 5 }, cool_down_time: 900 });
    assert.equal((await act(set5, "execute")).status, 204);
    assert.equal((await group(gid)).desire_instance_number, 5);
    await advance(1);
    expectError(await act(set5, "execute"), "AS.0034"); // the activity runs
    await advance(60);
    const five = await inService(gid);
    assert.equal(five.length, 5);

    const oldest = five[0]?.instance_id as string;
    const protect = await hw.call("POST", `${base}/scaling_group_instance/${gid}/action`, { body: { action: "PROTECT", instances_id: [oldest] } });
    assert.equal(protect.status, 204, protect.text);
    // Within both cool-downs (group 300 s, policy 900 s): manual executes still run.
    const half = await newPolicy(gid, "half", { scaling_policy_action: { operation: "REDUCE", instance_percentage: 50 } });
    assert.equal((await act(half, "execute")).status, 204);
    assert.equal((await group(gid)).desire_instance_number, 3); // 5 − floor(2.5)
    await settle();
    const three = await inService(gid);
    assert.equal(three.length, 3);
    assert.ok(three.some((i) => i.instance_id === oldest), "the protected instance stays");

    const drop = await newPolicy(gid, "drop", { scaling_policy_action: { operation: "REMOVE", instance_number: 10 } });
    assert.equal((await act(drop, "execute")).status, 204);
    assert.equal((await group(gid)).desire_instance_number, 1);
    await settle();
    assert.deepEqual((await instances(gid)).map((i) => i.instance_id), [oldest]);

    const [log] = await logs(set5);
    assert.deepEqual(
      [log?.status, log?.execute_type, log?.old_value, log?.desire_value, log?.limit_value, log?.type, log?.scaling_resource_id, log?.scaling_resource_type, log?.failed_reason],
      ["SUCCESS", "MANUAL", "2", "5", "10", "SET", gid, "SCALING_GROUP", null],
    );
    assert.match(String(log?.execute_time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.deepEqual(((await logs(half))[0] ?? {}).limit_value, "1");
    assert.equal((await logs(set5, { execute_type: "SCHEDULED" })).length, 0);
    assert.equal((await logs(set5, { log_id: String(log?.id) })).length, 1);
    expectError(await hw.call("GET", `${base}/scaling_policy_execute_log/${set5}`, { query: { start_time: "yesterday" } }), "AS.9007");

    // Paused policy, paused group: AS.3027; a missing policy: AS.3020 (400).
    assert.equal((await act(drop, "pause")).status, 204);
    expectError(await act(drop, "execute"), "AS.3027");
    assert.equal((await act(drop, "resume")).status, 204);
    assert.equal((await hw.call("POST", `${base}/scaling_group/${gid}/action`, { body: { action: "pause" } })).status, 204);
    expectError(await act(drop, "execute"), "AS.3027");
    expectError(await act(drop, "stop"), "AS.3022");
    assert.equal((await hw.call("DELETE", `${base}/scaling_group/${gid}`, { query: { force_delete: "yes" } })).status, 204);
    await settle();
    expectError(await hw.call("GET", `${base}/scaling_policy/${set5}`), "AS.3020");
  });

  test("a SCHEDULED policy fires once at its minute, within the group's cool-down, and logs SCHEDULED", async () => {
    const gid = await newGroup("sched", { desire_instance_number: 1 });
    await settle();
    const t = (await now()) + 3 * 60_000;
    const at = new Date(t).toISOString().slice(0, 16) + "Z";
    const pid = await newPolicy(gid, "once", { scheduled_policy: { launch_time: at }, scaling_policy_action: { operation: "ADD", instance_number: 2 } });
    const shown = (await hw.call("GET", `${base}/scaling_policy/${pid}`)).json.scaling_policy as Row;
    assert.deepEqual([shown.policy_status, shown.scaling_policy_type, shown.scheduled_policy, shown.cool_down_time], ["INSERVICE", "SCHEDULED", { launch_time: at }, 300]);
    assert.deepEqual(shown.scaling_policy_action, { operation: "ADD", instance_number: 2 });
    await advance(60);
    assert.equal((await logs(pid)).length, 0);
    await advance(150);
    const [log] = await logs(pid);
    assert.deepEqual([log?.execute_type, log?.status, log?.old_value, log?.desire_value], ["SCHEDULED", "SUCCESS", "1", "3"]);
    assert.equal((await group(gid)).desire_instance_number, 3);
    await settle();
    assert.equal((await inService(gid)).length, 3);
    await advance(DAY / 1000);
    assert.equal((await logs(pid)).length, 1, "fires once");
    assert.equal((await hw.call("DELETE", `${base}/scaling_group/${gid}`, { query: { force_delete: "yes" } })).status, 204);
    await settle();
  });

  test("a RECURRENCE Weekly policy fires at its time on its weekday only", async () => {
    const gid = await newGroup("weekly", { min_instance_number: 0, desire_instance_number: 0 });
    const start = await now();
    const fire = Math.floor(start / DAY) * DAY + 2 * DAY + (10 * 60 + 30) * 60_000; // 10:30 UTC two days ahead
    const weekday = new Date(fire).getUTCDay() + 1; // 1 = Sunday
    const end = new Date(fire + 20 * DAY).toISOString().slice(0, 16) + "Z";
    const pid = await newPolicy(gid, "weekly", {
      scaling_policy_type: "RECURRENCE",
      scheduled_policy: { launch_time: "10:30", recurrence_type: "Weekly", recurrence_value: String(weekday), end_time: end },
      scaling_policy_action: { operation: "ADD", instance_number: 1 },
    });
    const sp = ((await hw.call("GET", `${base}/scaling_policy/${pid}`)).json.scaling_policy as Row).scheduled_policy as Row;
    assert.deepEqual([sp.launch_time, sp.recurrence_type, sp.recurrence_value, sp.end_time], ["10:30", "Weekly", String(weekday), end]);
    assert.match(String(sp.start_time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/);

    await advance((fire - (await now())) / 1000 - 120);
    assert.equal((await logs(pid)).length, 0, "not before its minute");
    await advance(180);
    const [first] = await logs(pid);
    assert.deepEqual([first?.execute_type, first?.status, first?.old_value, first?.desire_value], ["RECURRENCE", "SUCCESS", "0", "1"]);
    for (let d = 1; d < 7; d++) {
      await advance(DAY / 1000);
      assert.equal((await logs(pid)).length, 1, `no run on day +${d}`);
    }
    await advance(DAY / 1000);
    const all = await logs(pid, { execute_type: "RECURRENCE" });
    assert.equal(all.length, 2, "runs again a week later");
    assert.equal(all[0]?.desire_value, "2");
    assert.equal((await group(gid)).desire_instance_number, 2);
    assert.equal((await hw.call("DELETE", `${base}/scaling_group/${gid}`, { query: { force_delete: "yes" } })).status, 204);
    await settle();
    await settle();
    expectError(await hw.call("GET", `${base}/scaling_policy_execute_log/${pid}`), "AS.3020");
  });

  test("list, update, delete, batch, and the codes for invalid fields", async () => {
    const gid = await newGroup("codes", { min_instance_number: 0, desire_instance_number: 0 });
    const a = await newPolicy(gid, "alpha", {});
    const b = await newPolicy(gid, "beta", { scaling_policy_action: { operation: "SET", instance_percentage: 0 } });
    const list = await hw.call("GET", `${base}/scaling_policy/${gid}/list`, { query: { scaling_policy_name: "alp", limit: "5" } });
    assert.equal(list.status, 200, list.text);
    assert.deepEqual([list.json.total_number, list.json.start_number, list.json.limit], [1, 0, 5]);
    assert.equal(((list.json.scaling_policies as Row[])[0] ?? {}).scaling_policy_id, a);
    const all = await hw.call("GET", `${base}/scaling_policy/${gid}/list`, { query: { scaling_policy_type: "SCHEDULED", start_number: "1" } });
    assert.deepEqual([all.json.total_number, (all.json.scaling_policies as Row[]).length], [2, 1]);
    expectError(await hw.call("GET", `${base}/scaling_policy/${gid}/list`, { query: { scaling_policy_type: "CRON" } }), "AS.3002");
    expectError(await hw.call("GET", `${base}/scaling_policy/nope/list`), "AS.2007");

    const up = await hw.call("PUT", `${base}/scaling_policy/${a}`, { body: { scaling_policy_name: "alpha2", cool_down_time: 60, scaling_policy_action: { operation: "REMOVE", instance_number: 2 } } });
    assert.equal(up.status, 200, up.text);
    const shown = (await hw.call("GET", `${base}/scaling_policy/${a}`)).json.scaling_policy as Row;
    assert.deepEqual([shown.scaling_policy_name, shown.cool_down_time, shown.scaling_policy_action], ["alpha2", 60, { operation: "REMOVE", instance_number: 2 }]);
    expectError(await hw.call("PUT", `${base}/scaling_policy/${a}`, { body: { scheduled_policy: { launch_time: "2001-01-01T00:00Z" } } }), "AS.3010");
    expectError(await hw.call("PUT", `${base}/scaling_policy/nope`, { body: { scaling_policy_name: "x" } }), "AS.3020");

    expectError(await hw.call("POST", `${base}/scaling_policies/action`, { body: { action: "pause", scaling_policy_id: [] } }), "AS.3049");
    expectError(await hw.call("POST", `${base}/scaling_policies/action`, { body: { action: "stop", scaling_policy_id: [a] } }), "AS.3022");
    expectError(await hw.call("POST", `${base}/scaling_policies/action`, { body: { action: "delete", force_delete: "maybe", scaling_policy_id: [a] } }), "AS.3048");
    const many = Array.from({ length: 21 }, (_, i) => `p${i}`);
    expectError(await hw.call("POST", `${base}/scaling_policies/action`, { body: { action: "pause", scaling_policy_id: many } }), "AS.0022");
    assert.equal((await hw.call("POST", `${base}/scaling_policies/action`, { body: { action: "pause", scaling_policy_id: [a, b] } })).status, 204);
    assert.equal(((await hw.call("GET", `${base}/scaling_policy/${b}`)).json.scaling_policy as Row).policy_status, "PAUSED");
    expectError(await hw.call("POST", `${base}/scaling_policies/action`, { body: { action: "delete", scaling_policy_id: [a, "nope"] } }), "AS.3045");
    expectError(await hw.call("GET", `${base}/scaling_policy/${a}`), "AS.3020");
    assert.equal((await hw.call("DELETE", `${base}/scaling_policy/${b}`)).status, 204);
    expectError(await hw.call("DELETE", `${base}/scaling_policy/${b}`), "AS.3020");
    expectError(await act("nope", "execute"), "AS.3020");

    const ok = { scaling_policy_name: "p", scaling_group_id: gid, scaling_policy_type: "SCHEDULED", scheduled_policy: { launch_time: FAR } };
    const rec = { ...ok, scaling_policy_type: "RECURRENCE", scheduled_policy: { launch_time: "08:00", recurrence_type: "Daily", end_time: FAR } };
    const cases: [Row, string][] = [
      [{ ...ok, scaling_policy_type: "ALARM", alarm_id: "al1234567890" }, "AS.3030"],
      [{ ...ok, scaling_policy_type: "ALARM" }, "AS.3026"],
      [{ ...ok, scaling_policy_name: undefined }, "AS.3013"],
      [{ ...ok, scaling_policy_name: "n".repeat(65) }, "AS.3014"],
      [{ ...ok, scaling_policy_name: "bad name!" }, "AS.3031"],
      [{ ...ok, scaling_group_id: undefined }, "AS.3019"],
      [{ ...ok, scaling_group_id: "nope" }, "AS.2007"],
      [{ ...ok, scaling_policy_type: undefined }, "AS.3011"],
      [{ ...ok, scaling_policy_type: "CRON" }, "AS.3002"],
      [{ ...ok, scheduled_policy: undefined }, "AS.3003"],
      [{ ...ok, scheduled_policy: {} }, "AS.3008"],
      [{ ...ok, scheduled_policy: { launch_time: "tomorrow" } }, "AS.3009"],
      [{ ...ok, scheduled_policy: { launch_time: "2001-01-01T00:00Z" } }, "AS.3010"],
      [{ ...rec, scheduled_policy: { launch_time: "08:00", end_time: FAR } }, "AS.3023"],
      [{ ...rec, scheduled_policy: { launch_time: "08:00", recurrence_type: "Yearly", end_time: FAR } }, "AS.3004"],
      [{ ...rec, scheduled_policy: { launch_time: "08:00", recurrence_type: "Weekly", end_time: FAR } }, "AS.3024"],
      [{ ...rec, scheduled_policy: { launch_time: "08:00", recurrence_type: "Weekly", recurrence_value: "8", end_time: FAR } }, "AS.3025"],
      [{ ...rec, scheduled_policy: { launch_time: "25:00", recurrence_type: "Daily", end_time: FAR } }, "AS.3009"],
      [{ ...rec, scheduled_policy: { launch_time: "08:00", recurrence_type: "Daily" } }, "AS.3005"],
      [{ ...rec, scheduled_policy: { launch_time: "08:00", recurrence_type: "Daily", end_time: "2099-01-01" } }, "AS.3006"],
      [{ ...rec, scheduled_policy: { launch_time: "08:00", recurrence_type: "Daily", end_time: "2001-01-01T00:00Z" } }, "AS.3007"],
      [{ ...rec, scheduled_policy: { launch_time: "08:00", recurrence_type: "Daily", start_time: "x", end_time: FAR } }, "AS.3028"],
      [{ ...rec, scheduled_policy: { launch_time: "08:00", recurrence_type: "Daily", start_time: FAR, end_time: "2098-01-01T00:00Z" } }, "AS.3029"],
      [{ ...rec, scheduled_policy: { launch_time: "08:00", recurrence_type: "Daily", start_time: "2098-01-01T09:00Z", end_time: "2098-01-01T10:00Z" } }, "AS.3033"],
      [{ ...ok, scaling_policy_action: { operation: "MULTIPLY" } }, "AS.3017"],
      [{ ...ok, scaling_policy_action: { operation: "ADD", instance_number: 1, instance_percentage: 10 } }, "AS.3036"],
      [{ ...ok, scaling_policy_action: { operation: "ADD", instance_number: 0 } }, "AS.3018"],
      [{ ...ok, scaling_policy_action: { operation: "ADD", instance_percentage: 0 } }, "AS.3035"],
      [{ ...ok, cool_down_time: 86401 }, "AS.3012"],
      [{ ...ok, cool_down_time: "60" }, "AS.0022"],
    ];
    for (const [body, code] of cases) expectError(await create(body), code);
    const q = await hw.call("GET", `${base}/quotas/${gid}`);
    assert.equal(((q.json.quotas as { resources: Row[] }).resources[0] ?? {}).used, 0);
    assert.equal((await hw.call("DELETE", `${base}/scaling_group/${gid}`)).status, 204);
  });
});
