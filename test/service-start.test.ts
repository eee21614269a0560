// Services start when first used (engine/service-host.ts): a fresh hwlocal starts none of them; the first
// call routed to one starts it and the services it calls (IAM with the first signed request, whose key it
// looks up; Cloud Eye with ECS, AS or ELB, whose metrics it collects); health says which are "running" and which "available". A
// data folder's services start with hwlocal and carry on; reset, checkpoints and restores start them all.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SERVICES } from "../src/services/index.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";

const SERVED = ["iam", "ecs", "ims", "evs", "vpc", "eip", "as", "smn", "ces", "obs", "elb"];

async function statuses(hw: TestHwlocal): Promise<Record<string, string>> {
  const r = await hw.call("GET", "/_hwlocal/health", { creds: null });
  assert.equal(r.status, 200, r.text);
  const services = r.json.services as Record<string, { status: string }>;
  return Object.fromEntries(Object.entries(services).map(([k, v]) => [k, v.status]));
}

function ok(r: { status: number; text: string; json: Record<string, unknown> }, status = 200): Record<string, unknown> {
  assert.equal(r.status, status, r.text);
  return r.json;
}

describe("services start when first used", () => {
  test("a fresh hwlocal starts none; a call starts its service and those it calls, and Cloud Eye starts with ECS", async () => {
    const hw = await startTestHwlocal();
    try {
      const fresh = await statuses(hw);
      assert.deepEqual(Object.keys(fresh).sort(), [...SERVED].sort());
      for (const s of SERVED) assert.equal(fresh[s], "available", s);
      assert.ok(hw.services.every((s) => !s.served || s.internal || !s.started));

      // Signed with the admin's key: IAM starts to look it up; then ECS starts with what it calls (VPC, EVS,
      // IMS), and Cloud Eye follows it.
      ok(await hw.call("GET", `/ecs/v1/${hw.projectId()}/cloudservers/detail`));
      const after = await statuses(hw);
      assert.deepEqual(
        SERVED.filter((s) => after[s] === "running"),
        ["iam", "ecs", "ims", "evs", "vpc", "ces"],
      );
      const health = (await hw.call("GET", "/_hwlocal/health", { creds: null })).json.services as Record<string, Record<string, number>>;
      assert.ok(health.ecs!.operations! > 50 && health.ecs!.sdk_operations! >= health.ecs!.sdk_operations_covered!);

      // The token catalog lists every served service, started or not.
      const token = await hw.call("POST", "/iam/v3/auth/tokens", {
        creds: null,
        body: {
          auth: {
            identity: { methods: ["password"], password: { user: { name: "admin", password: "Hwlocal@2026", domain: { name: "hwlocal" } } } },
            scope: { project: { name: "cn-north-4" } },
          },
        },
      });
      const catalog = (ok(token, 201).token as { catalog: { type: string }[] }).catalog.map((c) => c.type);
      for (const t of ["compute", "network", "object", "elb", "smn"]) assert.ok(catalog.includes(t), t);
      assert.equal((await statuses(hw)).smn, "available", "listing it in a catalog does not start it");
    } finally {
      await hw.close();
    }
  });

  test("a data folder's services start with hwlocal and keep their state", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hwlocal-start-"));
    try {
      const first = await startTestHwlocal({ inMemory: false, dataDir });
      const base = `/smn/v2/${first.projectId()}/notifications/topics`;
      const urn = ok(await first.call("POST", base, { body: { name: "kept" } }), 201).topic_urn;
      await first.close();

      const second = await startTestHwlocal({ inMemory: false, dataDir });
      try {
        const at = await statuses(second);
        assert.equal(at.smn, "running", "its tables are in the data folder: it starts with hwlocal");
        assert.equal(at.iam, "running");
        assert.equal(at.ecs, "available");
        const topics = ok(await second.call("GET", base)).topics as { topic_urn: string }[];
        assert.deepEqual(
          topics.map((t) => t.topic_urn),
          [urn],
        );
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test("checkpoints start every service: a restore finds every table, whichever started since", async () => {
    const hw = await startTestHwlocal();
    try {
      const c = ok(await hw.call("POST", "/_hwlocal/state/checkpoints", { creds: null, body: { name: "empty" } }), 201);
      const all = await statuses(hw);
      for (const s of SERVED) assert.equal(all[s], "running", s);
      const base = `/smn/v2/${hw.projectId()}/notifications/topics`;
      ok(await hw.call("POST", base, { body: { name: "later" } }), 201);
      ok(await hw.call("POST", `/_hwlocal/state/checkpoints/${String(c.id)}/restore`, { creds: null }));
      assert.deepEqual(ok(await hw.call("GET", base)).topics, []);
    } finally {
      await hw.close();
    }
  });

  test("reset starts every service and seeds the account again", async () => {
    const hw = await startTestHwlocal();
    try {
      ok(await hw.call("POST", "/_hwlocal/reset", { creds: null }));
      const all = await statuses(hw);
      for (const s of SERVED) assert.equal(all[s], "running", s);
      ok(await hw.call("GET", "/iam/v3/auth/domains"));
    } finally {
      await hw.close();
    }
  });

  test("every service another one calls through rt.api is in its `uses`: it starts first, outside any transaction", () => {
    const root = new URL("../src/services/", import.meta.url);
    for (const m of SERVICES) {
      const files = readdirSync(new URL(`${m.name}/`, root), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
      const called = new Set<string>();
      for (const f of files) {
        for (const hit of readFileSync(new URL(`${m.name}/${f}`, root), "utf8").matchAll(/\brt\.api\("([a-z]+)"\)/g)) called.add(hit[1]!);
      }
      called.delete(m.name);
      assert.deepEqual([...called].filter((c) => !(m.uses ?? []).includes(c)), [], `${m.name} calls services not in its uses`);
    }
  });

  test("--eager-services starts every service with hwlocal", async () => {
    const hw = await startTestHwlocal({ eagerServices: true });
    try {
      const all = await statuses(hw);
      for (const s of SERVED) assert.equal(all[s], "running", s);
    } finally {
      await hw.close();
    }
  });
});
