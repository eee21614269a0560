// The web console (/_hwlocal/console) in headless Chromium (playwright-core with Debian's chromium, which
// .ci/run installs): servers created through the official ECS SDK appear in the table and change state on
// the page, without a reload, when the clock moves; the journal shows a call's request and response with
// its secrets masked; a fault rule added on the page fails the next SDK call with the chosen code; a
// checkpoint restored on the page brings back a deleted VPC. Also how its files are served. The console is
// read from dist/console, which `npm run build` (run by `npm ci`) writes.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import {
  CreatePostPaidServersRequest,
  CreatePostPaidServersRequestBody,
  PostPaidServer,
  PostPaidServerEip,
  PostPaidServerEipBandwidth,
  PostPaidServerNic,
  PostPaidServerPublicip,
  PostPaidServerRootVolume,
  type EcsClient,
} from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import { DeleteVpcRequest, ShowVpcRequest, type VpcClient } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { ecsClient } from "./helpers/ecs-sdk.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const ADMIN_PASS = "Console-Secret-9f3a!";
/** Playwright's waits: generous for a loaded 2-core machine, never a sleep. */
const WAIT = { timeout: 20_000 };

describe("web console", () => {
  let hw: TestHwlocal;
  let ecs: EcsClient;
  let vpc: VpcClient;
  let vpcId: string;
  let subnetId: string;
  let profile: string;
  let browser: BrowserContext;
  let page: Page;
  let serverIds: string[] = [];

  const go = async (route: string) => {
    await page.evaluate((r) => (location.hash = r), `#/${route}`);
    await page.locator(`nav a[data-nav="${route}"].active`).waitFor(WAIT);
  };
  const row = (table: string, text: string | RegExp) => page.locator(`table[data-table="${table}"] tbody tr`, { hasText: text });

  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 30 });
    ecs = ecsClient(hw.url, { ...hw.admin, projectId: hw.projectId() });
    vpc = vpcClient(hw.url, hw.admin, hw.projectId());
    vpcId = (await newVpc(vpc, "10.20.0.0/16", "console-net")).id;
    subnetId = (await newSubnet(vpc, { vpcId, cidr: "10.20.1.0/24", gatewayIp: "10.20.1.1", name: "console-subnet" })).id;
    profile = mkdtempSync(join(tmpdir(), "hwlocal-chromium-"));
    browser = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
    page = browser.pages()[0] ?? (await browser.newPage());
  });
  after(async () => {
    await browser?.close();
    await hw?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  test("its files are served with their content types; an unknown file is a 404 in hwlocal's shape", async () => {
    const index = await fetch(`${hw.url}/_hwlocal/console`);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get("content-type"), "text/html; charset=utf-8");
    const html = await index.text();
    assert.match(html, /<script type="module" src="\/_hwlocal\/console\/console\.js">/);
    const js = await fetch(`${hw.url}/_hwlocal/console/console.js`);
    assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.ok((await js.text()).length > 1000);
    const css = await fetch(`${hw.url}/_hwlocal/console/console.css`);
    assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
    const missing = await fetch(`${hw.url}/_hwlocal/console/secrets.json`);
    assert.equal(missing.status, 404);
    const body = (await missing.json()) as Record<string, unknown>;
    assert.equal(body.error_code, "HWLOCAL.0404");
    assert.match(String(body.error_msg), /secrets\.json/);
    for (const name of ["constructor", "__proto__", "toString"]) {
      const r = await fetch(`${hw.url}/_hwlocal/console/${name}`);
      assert.equal(r.status, 404, name);
      assert.match(String(((await r.json()) as Record<string, unknown>).error_msg), /has no file/);
    }
    // nothing outside dist/console is reachable by a file name
    assert.equal((await fetch(`${hw.url}/_hwlocal/console/..%2F..%2Fpackage.json`)).status, 404);
  });

  test("servers created through the ECS SDK appear in the table, and change state on the page when the clock moves", async () => {
    const server = new PostPaidServer()
      .withName("console-web")
      .withFlavorRef("s6.small.1")
      .withImageRef(UBUNTU)
      .withVpcid(vpcId)
      .withNics([new PostPaidServerNic().withSubnetId(subnetId)])
      .withRootVolume(new PostPaidServerRootVolume().withVolumetype("SSD").withSize(40))
      .withPublicip(new PostPaidServerPublicip().withEip(new PostPaidServerEip().withIptype("5_bgp").withBandwidth(new PostPaidServerEipBandwidth().withSharetype("PER").withSize(5))))
      .withAdminPass(ADMIN_PASS)
      .withCount(2);
    const created = wire(await ecs.createPostPaidServers(new CreatePostPaidServersRequest().withBody(new CreatePostPaidServersRequestBody().withServer(server))));
    serverIds = created.serverIds as string[];
    assert.equal(serverIds.length, 2);

    await page.goto(`${hw.url}/_hwlocal/console#/servers`);
    for (const id of serverIds) await page.locator(`table[data-table="servers"] tr[data-id="${id}"]`, { hasText: "BUILD" }).waitFor(WAIT);
    await page.locator("header .live.on").waitFor(WAIT);
    const first = page.locator(`table[data-table="servers"] tr[data-id="${serverIds[0]}"]`);
    assert.match(await first.innerText(), /console-web-0001/);
    assert.match(await first.innerText(), /s6\.small\.1/);
    assert.match(await first.innerText(), /10\.20\.1\.\d+/);
    // A mark on the window: a reload would lose it.
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));

    const advanced = await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 30 } });
    assert.equal(advanced.status, 200);
    for (const id of serverIds) await page.locator(`table[data-table="servers"] tr[data-id="${id}"]`, { hasText: "ACTIVE" }).waitFor(WAIT);
    assert.equal(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true);
    // With the EIP bound, the row shows a public address beside the private one.
    const eips = (await hw.call("GET", `/vpc/v1/${hw.projectId()}/publicips`)).json.publicips as { public_ip_address: string }[];
    await first.filter({ hasText: new RegExp(eips.map((e) => e.public_ip_address.replace(/\./g, "\\.")).join("|")) }).waitFor(WAIT);

    // A row opens its detail as JSON.
    await first.click();
    const drawer = page.getByRole("dialog");
    await drawer.waitFor(WAIT);
    assert.match(await drawer.locator("pre.json").innerText(), new RegExp(`"id": "${serverIds[0]}"`));
    await drawer.getByRole("button", { name: "Close" }).click();
  });

  test("the journal shows that call's request and response, its secrets masked", async () => {
    await go("journal");
    const entry = row("journal", "CreatePostPaidServers");
    await entry.waitFor(WAIT);
    await entry.click();
    const detail = page.getByRole("dialog").locator(".entry");
    await detail.waitFor(WAIT);
    const text = await detail.innerText();
    assert.match(text, new RegExp(`POST /ecs/v1/${hw.projectId()}/cloudservers`));
    assert.match(text, /"adminPass": "\*\*\*"/);
    assert.match(text, /SDK-HMAC-SHA256 Access=\S+, SignedHeaders=\S+, Signature=\*\*\*/);
    assert.match(text, /"job_id": "[0-9a-f-]+"/);
    for (const id of serverIds) assert.ok(text.includes(id), `the response names ${id}`);
    assert.ok(!(await page.content()).includes(ADMIN_PASS), "the password is nowhere on the page");
    assert.ok(!(await page.content()).includes(hw.admin.sk), "the secret key is nowhere on the page");
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached", ...WAIT });

    // a filter keeps the rows of one operation; new calls arrive live
    await page.locator('input[name="operation"]').fill("ShowVpc");
    await row("journal", "No request recorded yet.").waitFor(WAIT);
    await vpc.showVpc(new ShowVpcRequest().withVpcId(vpcId));
    await row("journal", "ShowVpc").waitFor(WAIT);
    assert.equal(await page.locator('table[data-table="journal"] tbody tr').count(), 1);
  });

  test("a fault rule added on the page fails the next SDK call with the chosen code", async () => {
    await go("faults");
    const form = page.locator("form.fault-form");
    await form.locator('input[name="service"]').fill("vpc");
    await form.locator('input[name="operation"]').fill("CreateVpc");
    await form.locator('input[name="times"]').fill("1");
    await form.locator('input[name="status"]').fill("429");
    await form.locator('input[name="error_code"]').fill("APIGW.0308");
    await form.locator('input[name="error_msg"]').fill("The throttling threshold has been reached.");
    await form.getByRole("button", { name: "Add rule" }).click();
    await row("faults", "APIGW.0308").waitFor(WAIT);

    const err = await sdkError(newVpc(vpc, "10.30.0.0/16", "throttled"));
    assert.equal(err.httpStatusCode, 429);
    assert.equal(err.errorCode, "APIGW.0308");
    assert.equal(err.errorMsg, "The throttling threshold has been reached.");
    // The page learns of the hit live; the rule is spent and the next call goes through.
    await row("faults", "APIGW.0308").filter({ has: page.locator("td:nth-child(5)", { hasText: /^1$/ }) }).waitFor(WAIT);
    const ok = await newVpc(vpc, "10.30.0.0/16", "not-throttled");
    assert.equal(ok.name, "not-throttled");
    await row("faults", "APIGW.0308").getByRole("button", { name: "Remove" }).click();
    await row("faults", "No fault rule").waitFor(WAIT);
    assert.deepEqual((await hw.call("GET", "/_hwlocal/faults", { creds: null })).json.faults, []);
  });

  test("a Cloud Eye metric opens as a chart of its points", async () => {
    const now = Date.parse(String((await hw.call("GET", "/_hwlocal/clock", { creds: null })).json.now));
    const values = [3, 9, 4, 12, 7];
    const points = values.map((value, i) => ({
      metric: { namespace: "MINE.APP", metric_name: "queue_depth", dimensions: [{ name: "queue", value: "orders" }] },
      ttl: 172800,
      collect_time: now - (values.length - i) * 60_000,
      value,
      unit: "Count",
    }));
    const pushed = await hw.call("POST", `/ces/V1.0/${hw.projectId()}/metric-data`, { body: points });
    assert.equal(pushed.status, 201, pushed.text);
    await go("metrics");
    await row("metrics", "queue_depth").click();
    const chart = page.getByRole("dialog").locator("svg.chart");
    await chart.waitFor(WAIT);
    assert.equal(await chart.getAttribute("aria-label"), "metric chart, 5 points");
    assert.equal(await chart.locator("circle").count(), 5);
    assert.match(await chart.innerHTML(), />12</, "the axis reaches the largest value");
    await page.keyboard.press("Escape");
  });

  test("the region selector shows the resources of that region's project only", async () => {
    const other = hw.projectId("cn-south-1");
    const south = await newVpc(vpcClient(hw.url, hw.admin, other), "10.50.0.0/16", "south-only");
    await go("vpcs");
    await page.locator(`table[data-table="vpcs"] tr[data-id="${vpcId}"]`).waitFor(WAIT);
    assert.equal(await page.locator(`table[data-table="vpcs"] tr[data-id="${south.id}"]`).count(), 0);
    await page.locator('select[name="region"]').selectOption("cn-south-1");
    await page.locator(`table[data-table="vpcs"] tr[data-id="${south.id}"]`, { hasText: "south-only" }).waitFor(WAIT);
    assert.equal(await page.locator(`table[data-table="vpcs"] tr[data-id="${vpcId}"]`).count(), 0);
    assert.equal(await page.locator('select[name="project"]').inputValue(), other);
    await page.locator('select[name="region"]').selectOption("cn-north-4");
    await page.locator(`table[data-table="vpcs"] tr[data-id="${vpcId}"]`).waitFor(WAIT);
  });

  test("a checkpoint restored on the page brings back a deleted VPC", async () => {
    const kept = await newVpc(vpc, "10.40.0.0/16", "keep-me");
    await go("checkpoints");
    await page.locator('input[name="name"]').fill("before-delete");
    await page.getByRole("button", { name: "Save" }).click();
    await row("checkpoints", "before-delete").waitFor(WAIT);

    await vpc.deleteVpc(new DeleteVpcRequest().withVpcId(kept.id));
    await go("vpcs");
    await page.locator(`table[data-table="vpcs"] tr[data-id="${kept.id}"]`).waitFor({ state: "detached", ...WAIT });

    await go("checkpoints");
    await row("checkpoints", "before-delete").getByRole("button", { name: "Restore" }).click();
    await go("vpcs");
    await page.locator(`table[data-table="vpcs"] tr[data-id="${kept.id}"]`, { hasText: "keep-me" }).waitFor(WAIT);
    const shown = wire(await vpc.showVpc(new ShowVpcRequest().withVpcId(kept.id)));
    assert.equal((shown.vpc as { name: string }).name, "keep-me");
  });
});

describe("web console beyond loopback", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal({ host: "0.0.0.0" });
  });
  after(() => hw.close());

  test("its files are an administrator's, like the other control calls", async () => {
    const anon = await hw.call("GET", "/_hwlocal/console", { creds: null });
    assert.equal(anon.status, 403);
    assert.equal(anon.json.error_code, "HWLOCAL.0403");
    assert.equal((await hw.call("GET", "/_hwlocal/console/console.js", { creds: null })).status, 403);
    const signed = await hw.call("GET", "/_hwlocal/console");
    assert.equal(signed.status, 200);
    assert.match(signed.headers.get("content-type") ?? "", /^text\/html/);
    assert.equal((await hw.call("GET", "/_hwlocal/console/console.css")).status, 200);
  });
});
