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

test("jobs walk INIT → RUNNING → SUCCESS on the clock, parents derive from sub-jobs, and survive a restart", async () => {
  const { openDatabase, migrate } = await import("../src/store/database.ts");
  const { Jobs, JOB_MIGRATIONS, jobView } = await import("../src/engine/jobs.ts");
  const { JobFailure } = await import("../src/kernel/jobs.ts");
  const { seededIds } = await import("../src/kernel/ids.ts");
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dataDir = mkdtempSync(join(tmpdir(), "hwlocal-jobs-"));
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const boot = (db: ReturnType<typeof openDatabase>, seed: string) => {
    migrate(db, "engine", JOB_MIGRATIONS);
    const jobs = new Jobs(db, clock, seededIds(seed));
    // Two steps 30 s apart; a server named "bad" fails in its second step.
    jobs.register("createSingleServer", (job, now) => {
      if (job.state.booted === undefined) return { status: "RUNNING", nextAt: now + 30_000, state: { booted: false } };
      if (job.entities.server_id === "bad") return { status: "FAIL", errorCode: "Ecs.0031", failReason: "The image does not exist." };
      return { status: "SUCCESS" };
    });
    jobs.register("explode", () => {
      throw new Error("runner bug");
    });
    // Writes, then fails: its write must not survive.
    jobs.register("half-done", () => {
      db.prepare("INSERT INTO scratch (v) VALUES ('written')").run();
      throw new JobFailure("Ecs.0012", "The subnet does not contain enough IP addresses.");
    });
    return jobs;
  };
  let db = openDatabase({ dataDir, inMemory: false });
  db.exec("CREATE TABLE scratch (v TEXT)");
  let jobs = boot(db, "first process");
  const parent = jobs.submit({ service: "ecs", projectId: "p1", jobType: "createServer" }, [
    { jobType: "createSingleServer", entities: { server_id: "ok" } },
    { jobType: "createSingleServer", entities: { server_id: "bad" } },
  ]);
  const view = () => jobView(jobs.get(parent)!, jobs.children(parent));
  assert.equal(view().status, "INIT");
  assert.equal(view().entities.sub_jobs_total, 2);
  assert.equal(jobs.tick(clock.now()), true);
  assert.equal(view().status, "RUNNING");
  assert.equal(jobs.tick(clock.now()), false, "nothing more is due yet");
  // Restart: a new process opens the same file and carries on.
  db.close();
  db = openDatabase({ dataDir, inMemory: false });
  jobs = boot(db, "second process");
  assert.equal(view().status, "RUNNING");
  clock.setOffsetMs(30_000);
  jobs.tick(clock.now());
  const done = view();
  assert.equal(done.status, "FAIL");
  assert.equal(done.error_code, "Common.0021");
  const subs = done.entities.sub_jobs as { status: string; error_code: string | null; begin_time: string }[];
  assert.deepEqual(subs.map((s) => s.status), ["SUCCESS", "FAIL"]);
  assert.equal(subs[1]!.error_code, "Ecs.0031");
  assert.equal(done.begin_time, new Date(Date.UTC(2026, 0, 1)).toISOString());
  assert.equal(done.end_time, new Date(Date.UTC(2026, 0, 1) + 30_000).toISOString());
  const broken = jobs.submit({ service: "ecs", projectId: "p1", jobType: "explode" });
  jobs.tick(clock.now());
  assert.equal(jobs.get(broken)!.status, "FAIL");
  assert.equal(jobs.get(broken)!.failReason, "runner bug");
  const half = jobs.submit({ service: "ecs", projectId: "p1", jobType: "half-done" });
  jobs.tick(clock.now());
  assert.equal(jobs.get(half)!.errorCode, "Ecs.0012");
  assert.equal(Number(db.prepare("SELECT count(*) FROM scratch").pluck().get()), 0, "the failed step's writes were rolled back");
  db.close();
});

test("the router gives each route its own parameter names at a shared position", async () => {
  const { Router } = await import("../src/gateway/router.ts");
  const r = new Router<string>();
  r.add("GET", "/groups/{scaling_group_id}/list", "list");
  r.add("DELETE", "/groups/{instance_id}", "delete");
  assert.deepEqual(r.match("DELETE", "/groups/i-1"), { kind: "found", value: "delete", params: { instance_id: "i-1" } });
  assert.deepEqual(r.match("GET", "/groups/g-1/list"), { kind: "found", value: "list", params: { scaling_group_id: "g-1" } });
  assert.deepEqual(r.match("PUT", "/groups/g-1"), { kind: "method-mismatch", allowed: ["DELETE"] });
});
