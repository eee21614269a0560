// Checkpoints of the whole state (POST/GET/DELETE /_hwlocal/state/checkpoints, .../restore), the export
// and import of the state as one tar file, and `start --state FILE`: through plain HTTP and the official
// SDKs, with the error paths, OBS's files, ECS's read caches, the clock, and a restore under concurrent
// requests that must never show half a state nor answer 500.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand, CreateBucketCommand, DeleteObjectCommand } from "@aws-sdk/client-s3";
import { DeleteVpcRequest } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { s3Client, text } from "./helpers/obs-clients.ts";
import { signRequest } from "./helpers/sign.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;
const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";

async function vpcNames(hw: TestHwlocal): Promise<string[]> {
  const r = await hw.call("GET", `/vpc/v1/${hw.projectId()}/vpcs`);
  assert.equal(r.status, 200, r.text);
  return (r.json.vpcs as { name: string }[]).map((v) => v.name).sort();
}

describe("checkpoints", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal();
  });
  after(() => hw.close());

  test("save, change, restore: VPCs, an ECS server, an OBS object and the clock come back", async () => {
    const vpc = vpcClient(hw.url, hw.admin, hw.projectId());
    const keep = await newVpc(vpc, "10.1.0.0/16", "keep");
    const subnet = await newSubnet(vpc, { vpcId: keep.id, cidr: "10.1.0.0/24", gatewayIp: "10.1.0.1" });
    const created = await hw.call("POST", `/ecs/v1/${hw.projectId()}/cloudservers`, {
      body: { server: { name: "web", flavorRef: "s6.small.1", imageRef: UBUNTU, vpcid: keep.id, nics: [{ subnet_id: subnet.id }], root_volume: { volumetype: "SSD" } } },
    });
    assert.equal(created.status, 200, created.text);
    const serverId = (created.json.serverIds as string[])[0]!;
    await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 60 } });
    const s3 = s3Client(hw);
    await s3.send(new CreateBucketCommand({ Bucket: "ckpt-bucket" }));
    await s3.send(new PutObjectCommand({ Bucket: "ckpt-bucket", Key: "a.txt", Body: "first" }));
    const shown = await hw.call("GET", `/ecs/v1/${hw.projectId()}/cloudservers/${serverId}`);
    assert.equal((shown.json.server as Row).status, "ACTIVE");
    const clockAtSave = (await hw.call("GET", "/_hwlocal/clock", { creds: null })).json.offset_seconds as number;

    const saved = await hw.call("POST", "/_hwlocal/state/checkpoints", { creds: null, body: { name: "base" } });
    assert.equal(saved.status, 201, saved.text);
    assert.match(String(saved.json.id), /^ckpt-[0-9a-f]{16}$/);
    assert.equal(saved.json.name, "base");
    assert.ok(Number(saved.json.size) > 0);
    assert.ok(!Number.isNaN(Date.parse(String(saved.json.created_at))));

    // Change everything: a VPC more, the server deleted, the object overwritten and another added, the clock on.
    await newVpc(vpc, "10.2.0.0/16", "extra");
    const del = await hw.call("POST", `/ecs/v1/${hw.projectId()}/cloudservers/delete`, { body: { servers: [{ id: serverId }] } });
    assert.equal(del.status, 200, del.text);
    await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 3600 } });
    assert.equal((await hw.call("GET", `/ecs/v1/${hw.projectId()}/cloudservers/${serverId}`)).status, 404);
    await s3.send(new PutObjectCommand({ Bucket: "ckpt-bucket", Key: "a.txt", Body: "second" }));
    await s3.send(new PutObjectCommand({ Bucket: "ckpt-bucket", Key: "b.txt", Body: "later" }));
    assert.deepEqual(await vpcNames(hw), ["extra", "keep"]);

    const restored = await hw.call("POST", `/_hwlocal/state/checkpoints/${String(saved.json.id)}/restore`, { creds: null });
    assert.equal(restored.status, 200, restored.text);
    assert.equal(restored.json.status, "restored");
    assert.deepEqual(await vpcNames(hw), ["keep"]);
    const back = await hw.call("GET", `/ecs/v1/${hw.projectId()}/cloudservers/${serverId}`);
    assert.equal(back.status, 200, back.text);
    assert.equal((back.json.server as Row).status, "ACTIVE");
    const got = await s3.send(new GetObjectCommand({ Bucket: "ckpt-bucket", Key: "a.txt" }));
    assert.equal(await text(got.Body), "first");
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: "ckpt-bucket", Key: "b.txt" })), { name: "NoSuchKey" });
    const clock = (await hw.call("GET", "/_hwlocal/clock", { creds: null })).json.offset_seconds as number;
    assert.equal(clock, clockAtSave);

    // Restoring twice works (the checkpoint is not consumed), by name too.
    await s3.send(new DeleteObjectCommand({ Bucket: "ckpt-bucket", Key: "a.txt" }));
    assert.equal((await hw.call("POST", "/_hwlocal/state/checkpoints/base/restore", { creds: null })).status, 200);
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket: "ckpt-bucket", Key: "a.txt" }))).Body), "first");
    // The restored state goes on working: a new VPC is created beside the restored one.
    await newVpc(vpc, "10.3.0.0/16", "after");
    assert.deepEqual(await vpcNames(hw), ["after", "keep"]);
    await vpc.deleteVpc(new DeleteVpcRequest().withVpcId(keep.id)).catch(() => undefined);
  });

  test("list, show, delete, and the errors: bad name, duplicate name, unknown id", async () => {
    const a = await hw.call("POST", "/_hwlocal/state/checkpoints", { creds: null, body: { name: "one" } });
    assert.equal(a.status, 201);
    const list = await hw.call("GET", "/_hwlocal/state/checkpoints", { creds: null });
    assert.ok((list.json.checkpoints as Row[]).some((c) => c.id === a.json.id && c.name === "one"));
    assert.equal((await hw.call("GET", "/_hwlocal/state/checkpoints/one", { creds: null })).json.id, a.json.id);

    const dup = await hw.call("POST", "/_hwlocal/state/checkpoints", { creds: null, body: { name: "one" } });
    assert.equal(dup.status, 409);
    assert.equal(dup.json.error_code, "HWLOCAL.0409");
    for (const body of [{}, { name: "" }, { name: "a/b" }, { name: "x".repeat(65) }, { name: "ok", extra: 1 }]) {
      const bad = await hw.call("POST", "/_hwlocal/state/checkpoints", { creds: null, body });
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(bad.json.error_code, "HWLOCAL.0400");
    }
    const notJson = await hw.call("POST", "/_hwlocal/state/checkpoints", { creds: null, rawBody: "{" });
    assert.equal(notJson.status, 400);

    assert.equal((await hw.call("DELETE", `/_hwlocal/state/checkpoints/${String(a.json.id)}`, { creds: null })).status, 204);
    for (const [method, path] of [
      ["DELETE", "/_hwlocal/state/checkpoints/one"],
      ["GET", "/_hwlocal/state/checkpoints/one"],
      ["POST", "/_hwlocal/state/checkpoints/ckpt-0000000000000000/restore"],
    ] as const) {
      const r = await hw.call(method, path, { creds: null });
      assert.equal(r.status, 404, `${method} ${path}`);
      assert.equal(r.json.error_code, "HWLOCAL.0404");
    }
  });

});

describe("a restore under concurrent requests", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal();
  });
  after(() => hw.close());

  test("every answer sees one whole state, none is a 500", async () => {
    const vpc = vpcClient(hw.url, hw.admin, hw.projectId());
    const before = await vpcNames(hw);
    for (let i = 0; i < 3; i++) await newVpc(vpc, `10.${10 + i}.0.0/16`, `a${i}`);
    const stateA = await vpcNames(hw);
    assert.equal((await hw.call("POST", "/_hwlocal/state/checkpoints", { creds: null, body: { name: "concurrent" } })).status, 201);
    const listed = await hw.call("GET", `/vpc/v1/${hw.projectId()}/vpcs`);
    for (const v of listed.json.vpcs as { id: string; name: string }[]) {
      if (v.name.startsWith("a")) assert.equal((await hw.call("DELETE", `/vpc/v1/${hw.projectId()}/vpcs/${v.id}`)).status, 204);
    }
    for (let i = 0; i < 2; i++) await newVpc(vpc, `10.${20 + i}.0.0/16`, `b${i}`);
    const stateB = await vpcNames(hw);
    assert.notDeepEqual(stateA, stateB);

    const reads = Array.from({ length: 60 }, () => vpcNames(hw).then((n) => JSON.stringify(n)));
    const writes = Array.from({ length: 10 }, (_, i) =>
      hw.call("POST", `/vpc/v1/${hw.projectId()}/security-groups`, { body: { security_group: { name: `w${i}` } } }),
    );
    const restore = hw.call("POST", "/_hwlocal/state/checkpoints/concurrent/restore", { creds: null });
    const more = Array.from({ length: 60 }, () => vpcNames(hw).then((n) => JSON.stringify(n)));
    const [r, seen, written, seenAfter] = await Promise.all([restore, Promise.all(reads), Promise.all(writes), Promise.all(more)]);
    assert.equal(r.status, 200, r.text);
    for (const w of written) assert.ok(w.status === 200, w.text);
    const whole = (names: string[]) => JSON.stringify(names);
    for (const s of [...seen, ...seenAfter]) {
      const names = whole(JSON.parse(s) as string[]);
      assert.ok(names === JSON.stringify(stateA) || names === JSON.stringify(stateB), `half a state: ${names}`);
    }
    assert.deepEqual(await vpcNames(hw), stateA);
    assert.ok(before.every((n) => stateA.includes(n)));
  });
});

describe("checkpoints in a data folder", () => {
  test("live under checkpoints/, survive a restart, and one from another hwlocal version is refused untouched", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hwlocal-ckpt-data-"));
    let hw = await startTestHwlocal({ inMemory: false, dataDir });
    const saved = await hw.call("POST", "/_hwlocal/state/checkpoints", { creds: null, body: { name: "kept" } });
    assert.equal(saved.status, 201);
    await hw.close();
    hw = await startTestHwlocal({ inMemory: false, dataDir });
    try {
      const list = await hw.call("GET", "/_hwlocal/state/checkpoints", { creds: null });
      assert.deepEqual((list.json.checkpoints as Row[]).map((c) => c.name), ["kept"]);
      const file = new Database(join(dataDir, "checkpoints", String(saved.json.id), "hwlocal.db"));
      file.prepare("INSERT INTO _migrations (service, idx) VALUES ('future', 0)").run();
      file.close();
      const names = await vpcNames(hw);
      const r = await hw.call("POST", "/_hwlocal/state/checkpoints/kept/restore", { creds: null });
      assert.equal(r.status, 400, r.text);
      assert.match(String(r.json.error_msg), /another hwlocal version \(migrations unknown: future#0\)/);
      assert.deepEqual(await vpcNames(hw), names);
    } finally {
      await hw.close();
    }
  });
});

describe("state export and import", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal();
  });
  after(() => hw.close());

  const exportState = async () => {
    const res = await fetch(`${hw.url}/_hwlocal/state/export`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/x-tar");
    assert.match(res.headers.get("x-request-id") ?? "", /^[0-9a-f]{32}$/);
    return Buffer.from(await res.arrayBuffer());
  };
  const importState = async (body: Buffer | string) => {
    const res = await fetch(`${hw.url}/_hwlocal/state/import`, { method: "POST", body: typeof body === "string" ? body : new Uint8Array(body) });
    return { status: res.status, json: (await res.json()) as Row };
  };

  test("export a state, change it, import it back; start another hwlocal from the file", async () => {
    const vpc = vpcClient(hw.url, hw.admin, hw.projectId());
    await newVpc(vpc, "10.5.0.0/16", "exported");
    const s3 = s3Client(hw);
    await s3.send(new CreateBucketCommand({ Bucket: "export-bucket" }));
    await s3.send(new PutObjectCommand({ Bucket: "export-bucket", Key: "k", Body: "exported bytes" }));
    const tar = await exportState();
    // A plain ustar archive: the database first after the description.
    assert.equal(tar.toString("latin1", 257, 262), "ustar");
    assert.equal(tar.toString("latin1", 0, 18), "hwlocal-state.json");

    await newVpc(vpc, "10.6.0.0/16", "not-exported");
    await s3.send(new DeleteObjectCommand({ Bucket: "export-bucket", Key: "k" }));
    const r = await importState(tar);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(await vpcNames(hw), ["exported"]);
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket: "export-bucket", Key: "k" }))).Body), "exported bytes");

    const file = join(mkdtempSync(join(tmpdir(), "hwlocal-state-")), "state.tar");
    writeFileSync(file, tar);
    const other = await startTestHwlocal({ stateFile: file, initDir: tmpdir() });
    try {
      assert.deepEqual(await vpcNames(other), ["exported"]);
      assert.equal(await text((await s3Client(other).send(new GetObjectCommand({ Bucket: "export-bucket", Key: "k" }))).Body), "exported bytes");
      const init = await other.call("GET", "/_hwlocal/init", { creds: null });
      assert.equal(init.json.status, "skipped");
    } finally {
      await other.close();
    }
    await assert.rejects(startTestHwlocal({ stateFile: join(tmpdir(), "no-such-state.tar") }), /no such file/);
  });

  test("a file that is not a state is refused with 400, and the state is untouched; wrong methods get 405", async () => {
    const names = await vpcNames(hw);
    for (const body of ["not a tar at all", Buffer.alloc(1024), Buffer.alloc(2000, 1)]) {
      const r = await importState(body);
      assert.equal(r.status, 400, JSON.stringify(r.json));
      assert.equal(r.json.error_code, "HWLOCAL.0400");
    }
    // A well-formed tar holding a file that is no part of a state.
    const tar = await exportState();
    const renamed = Buffer.from(tar);
    renamed.write("etc/passwd\0\0\0\0\0\0\0\0", 0, "latin1");
    assert.equal((await importState(renamed)).status, 400);
    const dotted = Buffer.from(tar);
    dotted.write("obs/..\0", 0, "latin1");
    assert.equal((await importState(dotted)).status, 400);
    assert.deepEqual(await vpcNames(hw), names);
    assert.equal((await fetch(`${hw.url}/_hwlocal/state/export`, { method: "POST" })).status, 405);
    assert.equal((await fetch(`${hw.url}/_hwlocal/state/import`)).status, 405);
  });
});

describe("state control beyond loopback", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal({ host: "0.0.0.0" });
  });
  after(() => hw.close());

  test("only an administrator saves, restores, lists, exports or imports", async () => {
    const anon = await hw.call("POST", "/_hwlocal/state/checkpoints", { creds: null, body: { name: "x" } });
    assert.equal(anon.status, 403);
    assert.equal((await hw.call("GET", "/_hwlocal/state/checkpoints", { creds: null })).status, 403);
    assert.equal((await hw.call("POST", "/_hwlocal/state/checkpoints", { body: { name: "x" } })).status, 201);
    assert.equal((await hw.call("POST", "/_hwlocal/state/checkpoints/x/restore")).status, 200);
    assert.equal((await fetch(`${hw.url}/_hwlocal/state/export`)).status, 401);
    const url = new URL(`${hw.url}/_hwlocal/state/export`);
    const exported = await fetch(url, { headers: signRequest({ method: "GET", url, headers: {}, body: undefined, creds: hw.admin }) });
    assert.equal(exported.status, 200);
    const tar = Buffer.from(await exported.arrayBuffer());
    // An import signed with AK/SK names its body's hash, checked once the body is read.
    const sha = createHash("sha256").update(tar).digest("hex");
    const imported = await hw.call("POST", "/_hwlocal/state/import", { rawBody: tar, headers: { "X-Sdk-Content-Sha256": sha } });
    assert.equal(imported.status, 200, imported.text);
    const withoutHash = await hw.call("POST", "/_hwlocal/state/import", { rawBody: tar });
    assert.equal(withoutHash.status, 401, withoutHash.text);
    assert.equal((await fetch(`${hw.url}/_hwlocal/state/import`, { method: "POST", body: "x" })).status, 401);
    assert.equal((await hw.call("GET", "/_hwlocal/init", { creds: null })).status, 403);
    assert.equal((await hw.call("GET", "/_hwlocal/init")).status, 200);
    assert.equal((await hw.call("GET", "/_hwlocal/status", { creds: null })).status, 200);
  });
});
