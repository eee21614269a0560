// `hwlocal start --init DIR`: YAML and JSON files of API calls (with references to earlier answers) and
// executable scripts run in name order on a fresh state, GET /_hwlocal/init reports them; a failure stops
// the run; a state that is not fresh runs nothing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ShowVpcRequest } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { wire } from "./helpers/sdk.ts";
import { vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;

function initDir(files: Record<string, string>, executable: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), "hwlocal-init-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  for (const name of executable) chmodSync(join(dir, name), 0o755);
  return dir;
}

const NETWORK_YAML = `
- service: vpc
  operation: CreateVpc
  as: net
  body:
    vpc: { name: init-vpc, cidr: 10.8.0.0/16 }
- service: vpc
  operation: CreateSubnet
  body:
    subnet: { name: init-subnet, vpc_id: "\${results.0.vpc.id}", cidr: 10.8.1.0/24, gateway_ip: 10.8.1.1 }
`;

const MORE_JSON = JSON.stringify({
  calls: [
    { service: "vpc", operation: "ShowVpc", path: { vpc_id: "${net.vpc.id}" } },
    { service: "vpc", operation: "CreateSecurityGroup", body: { security_group: { name: "sg-of-${results.0.vpc.name}" } } },
    { service: "vpc", operation: "ListVpcs", version: "v3", query: { limit: 10 } },
  ],
});

// A script that reaches hwlocal with what its environment gives it, and prints it.
const SCRIPT = `#!/bin/sh
echo "project=$HUAWEICLOUD_SDK_PROJECT_ID ak=$HUAWEICLOUD_SDK_AK"
exec "${process.execPath}" -e 'fetch(process.env.HWLOCAL_ENDPOINT + "/_hwlocal/health").then((r) => process.exit(r.status === 200 ? 0 : 3))'
`;

describe("--init on a fresh state", () => {
  let hw: TestHwlocal;
  before(async () => {
    const dir = initDir(
      { "01-network.yaml": NETWORK_YAML, "02-more.json": MORE_JSON, "03-check.sh": SCRIPT, "README.md": "notes", "04-not-executable.sh": "exit 1" },
      ["03-check.sh"],
    );
    hw = await startTestHwlocal({ initDir: dir });
  });
  after(() => hw.close());

  test("runs the calls and the script in name order and reports each file", async () => {
    const r = await hw.call("GET", "/_hwlocal/init", { creds: null });
    assert.equal(r.status, 200);
    assert.equal(r.json.status, "done", r.text);
    const files = r.json.files as Row[];
    assert.deepEqual(
      files.map((f) => [f.file, f.kind, f.status]),
      [
        ["01-network.yaml", "calls", "ok"],
        ["02-more.json", "calls", "ok"],
        ["03-check.sh", "script", "ok"],
        ["04-not-executable.sh", "other", "skipped"],
        ["README.md", "other", "skipped"],
      ],
    );
    assert.equal(files[0]!.calls, 2);
    assert.equal(files[1]!.calls, 3);
    assert.equal(files[2]!.exit_code, 0);
    assert.match(String(files[2]!.output), new RegExp(`project=${hw.projectId()} ak=${hw.admin.ak}`));

    // What the calls made is there for the official SDK.
    const vpcs = await hw.call("GET", `/vpc/v1/${hw.projectId()}/vpcs`);
    const made = (vpcs.json.vpcs as Row[]).find((v) => v.name === "init-vpc");
    assert.ok(made);
    const vpc = vpcClient(hw.url, hw.admin, hw.projectId());
    assert.equal((wire(await vpc.showVpc(new ShowVpcRequest().withVpcId(String(made.id)))).vpc as Row).cidr, "10.8.0.0/16");
    const subnets = await hw.call("GET", `/vpc/v1/${hw.projectId()}/subnets`, { query: { vpc_id: String(made.id) } });
    assert.deepEqual((subnets.json.subnets as Row[]).map((s) => s.name), ["init-subnet"]);
    const sgs = await hw.call("GET", `/vpc/v1/${hw.projectId()}/security-groups`);
    assert.ok((sgs.json.security_groups as Row[]).some((g) => g.name === "sg-of-init-vpc"));

    const status = await hw.call("GET", "/_hwlocal/status", { creds: null });
    assert.equal(status.json.init, "done");
  });
});

describe("--init failures", () => {
  const cases: { name: string; files: Record<string, string>; exec?: string[]; error: RegExp }[] = [
    { name: "an unknown operation", files: { "a.json": '[{"service":"vpc","operation":"MakeVpc"}]' }, error: /vpc has no operation MakeVpc/ },
    { name: "an unknown service", files: { "a.yaml": "- {service: nope, operation: X}" }, error: /serves no service nope/ },
    { name: "a YAML syntax error", files: { "a.yml": "- service: [vpc" }, error: /not valid YAML/ },
    { name: "a call of the wrong shape", files: { "a.json": '[{"service":"vpc"}]' }, error: /not a list of calls: 0\.operation/ },
    { name: "a reference to nothing", files: { "a.json": '[{"service":"vpc","operation":"ShowVpc","path":{"vpc_id":"${results.3.vpc.id}"}}]' }, error: /no earlier call 3/ },
    { name: "a missing path parameter", files: { "a.json": '[{"service":"vpc","operation":"ShowVpc"}]' }, error: /path parameter vpc_id missing/ },
    {
      name: "the operation's own error",
      files: { "a.json": '[{"service":"vpc","operation":"CreateVpc","body":{"vpc":{"cidr":"not-a-cidr"}}}]' },
      error: /call 0 \(vpc CreateVpc\): 400 /,
    },
    { name: "a script that fails", files: { "a.sh": "#!/bin/sh\necho broken >&2\nexit 7\n" }, exec: ["a.sh"], error: /exited with 7/ },
  ];
  for (const c of cases) {
    test(`${c.name} fails its file and leaves the later ones unrun`, async () => {
      const dir = initDir({ ...c.files, "z-later.json": '[{"service":"vpc","operation":"ListVpcs"}]' }, c.exec);
      const hw = await startTestHwlocal({ initDir: dir });
      try {
        const r = await hw.call("GET", "/_hwlocal/init", { creds: null });
        assert.equal(r.json.status, "failed");
        const files = r.json.files as Row[];
        assert.equal(files[0]!.status, "failed");
        assert.match(String(files[0]!.error), c.error);
        assert.match(String(r.json.reason), c.error);
        assert.equal(files[1]!.status, "not run");
      } finally {
        await hw.close();
      }
    });
  }

  test("a folder that cannot be read is reported, and hwlocal still starts", async () => {
    const hw = await startTestHwlocal({ initDir: join(tmpdir(), "no-such-init-dir-hwlocal") });
    try {
      const r = await hw.call("GET", "/_hwlocal/init", { creds: null });
      assert.equal(r.json.status, "failed");
      assert.match(String(r.json.reason), /cannot read/);
    } finally {
      await hw.close();
    }
  });
});

describe("--init on a state that is not fresh", () => {
  test("runs on the first start of a data folder only; without --init the report says none", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hwlocal-init-data-"));
    const dir = initDir({ "01.json": '[{"service":"vpc","operation":"CreateVpc","body":{"vpc":{"name":"once","cidr":"10.9.0.0/16"}}}]' });
    const first = await startTestHwlocal({ inMemory: false, dataDir, initDir: dir });
    assert.equal((await first.call("GET", "/_hwlocal/init", { creds: null })).json.status, "done");
    await first.close();
    const second = await startTestHwlocal({ inMemory: false, dataDir, initDir: dir });
    try {
      const r = await second.call("GET", "/_hwlocal/init", { creds: null });
      assert.equal(r.json.status, "skipped");
      assert.match(String(r.json.reason), /not fresh/);
      const vpcs = await second.call("GET", `/vpc/v1/${second.projectId()}/vpcs`);
      assert.equal((vpcs.json.vpcs as Row[]).filter((v) => v.name === "once").length, 1);
    } finally {
      await second.close();
    }
    const none = await startTestHwlocal();
    try {
      assert.deepEqual((await none.call("GET", "/_hwlocal/init", { creds: null })).json, { status: "none", files: [] });
    } finally {
      await none.close();
    }
  });
});
