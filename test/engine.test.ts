// The engine on a controllable clock: work is due by the clock, a drain runs everything due (including work
// that finishing work makes due), and drains never overlap.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Engine } from "../src/engine/engine.ts";
import { ManualClock } from "../src/kernel/clock.ts";
import { resolveConfig, configFromEnv } from "../src/config.ts";

test("a drain runs what is due by the clock, and what that work makes due, then stops", async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const engine = new Engine(clock);
  const due = [clock.now() + 1000, clock.now() + 5000];
  const ran: number[] = [];
  engine.register("steps", (now) => {
    const next = due[0];
    if (next === undefined || next > now) return false;
    due.shift();
    ran.push(next);
    // Each step schedules a follow-up at the same instant, as a job finishing would start the next one.
    if (ran.length === 1) due.unshift(now);
    return true;
  });
  await engine.drain();
  assert.deepEqual(ran, []);
  clock.setOffsetMs(1000);
  await engine.drain();
  assert.equal(ran.length, 2, "the step and the follow-up it made due");
  clock.setOffsetMs(10_000);
  await engine.drain();
  assert.equal(ran.length, 3);
  assert.throws(() => engine.register("steps", () => false), /registered twice/);
});

test("drains are serialized", async () => {
  const clock = new ManualClock(0);
  const engine = new Engine(clock);
  let running = 0;
  let maxRunning = 0;
  let rounds = 3;
  engine.register("slow", async () => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    await new Promise((r) => setTimeout(r, 5));
    running--;
    return rounds-- > 0;
  });
  await Promise.all([engine.drain(), engine.drain(), engine.drain()]);
  assert.equal(maxRunning, 1);
});

test("settings: flags win over environment variables, which win over the file and the defaults", () => {
  const env = configFromEnv({ HWLOCAL_PORT: "5000", HWLOCAL_HOST: "0.0.0.0", HWLOCAL_IN_MEMORY: "1" });
  const c = resolveConfig({ port: 4000, dataDir: "from-file" }, env, { port: "6000", host: undefined });
  assert.equal(c.port, 6000);
  assert.equal(c.host, "0.0.0.0");
  assert.equal(c.dataDir, "from-file");
  assert.equal(c.inMemory, true);
  assert.equal(c.auth, "strict");
  assert.equal(resolveConfig().port, 4577);
  assert.throws(() => resolveConfig({ port: 70000 }), /port/);
  assert.throws(() => resolveConfig({ auth: "maybe" }), /auth/);
});
