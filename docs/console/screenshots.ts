// Makes the README's console screenshots (docs/console/*.png): a throwaway hwlocal filled through its public
// APIs (servers, networks, a volume, an Auto Scaling group, a Cloud Eye alarm under load, an SMN topic, IAM
// users, an OBS bucket), a fault rule and a checkpoint, then each main page in headless Chromium.
//   node --import tsx docs/console/screenshots.ts      (after npm run build; needs /usr/bin/chromium)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { chromium, type Page } from "playwright-core";
import { ManualClock } from "../../src/kernel/clock.ts";
import { startTestHwlocal, type CallOptions } from "../../test/helpers/hwlocal.ts";
import { asNetwork, UBUNTU } from "../../test/helpers/as.ts";
import { s3Client } from "../../test/helpers/obs-clients.ts";

const out = new URL(".", import.meta.url);
// The script makes the clock it injects, as the tests do (on a minute, for Cloud Eye's points).
// eslint-disable-next-line no-restricted-properties
const clock = new ManualClock(Math.floor(Date.now() / 60_000) * 60_000 + 5_000);
const hw = await startTestHwlocal({ bootDelaySeconds: 30 }, { clock });
const pid = hw.projectId();
const call = async (method: string, path: string, opts: CallOptions = {}) => {
  const r = await hw.call(method, path, opts);
  if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
};
const advance = (seconds: number) => call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });

// OBS first, while hwlocal's clock is real time (the SDK signs with its own).
const s3 = s3Client(hw);
for (const bucket of ["app-assets", "build-artifacts"]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
for (const key of ["index.html", "css/site.css", "img/logo.svg"]) await s3.send(new PutObjectCommand({ Bucket: "app-assets", Key: key, Body: `<!-- ${key} -->` }));

const { vpcId, subnetId, configId } = await asNetwork(hw, pid);
const prod = (await call("POST", `/vpc/v1/${pid}/vpcs`, { body: { vpc: { name: "prod", cidr: "172.16.0.0/16" } } })).vpc as { id: string };
await call("POST", `/vpc/v1/${pid}/subnets`, { body: { subnet: { name: "prod-app", cidr: "172.16.1.0/24", gateway_ip: "172.16.1.1", vpc_id: prod.id } } });
const sg = (await call("POST", `/vpc/v1/${pid}/security-groups`, { body: { security_group: { name: "web", description: "HTTPS from anywhere" } } })).security_group as { id: string };
await call("POST", `/vpc/v1/${pid}/security-group-rules`, { body: { security_group_rule: { security_group_id: sg.id, direction: "ingress", protocol: "tcp", port_range_min: 443, port_range_max: 443, remote_ip_prefix: "0.0.0.0/0" } } });
const server = (name: string, count: number, eip: boolean) => ({
  server: {
    name, flavorRef: "s6.medium.2", imageRef: UBUNTU, vpcid: vpcId, nics: [{ subnet_id: subnetId }], count,
    root_volume: { volumetype: "SSD", size: 40 }, security_groups: [{ id: sg.id }], adminPass: "Screenshot-Passw0rd!",
    ...(eip ? { publicip: { eip: { iptype: "5_bgp", bandwidth: { sharetype: "PER", size: 10 } } } } : {}),
  },
});
await call("POST", `/ecs/v1.1/${pid}/cloudservers`, { body: server("web", 2, true) });
await call("POST", `/ecs/v1.1/${pid}/cloudservers`, { body: server("db", 1, false) });
await call("POST", `/evs/v2.1/${pid}/cloudvolumes`, { body: { volume: { name: "db-data", availability_zone: "cn-north-4a", volume_type: "SSD", size: 100 } } });

const base = `/as/autoscaling-api/v1/${pid}`;
const group = (await call("POST", `${base}/scaling_group`, {
  body: { scaling_group_name: "api", scaling_configuration_id: configId, vpc_id: vpcId, networks: [{ id: subnetId }], min_instance_number: 1, max_instance_number: 6, desire_instance_number: 2 },
})).scaling_group_id as string;
await call("POST", `${base}/scaling_group/${group}/action`, { body: { action: "resume" } });
const topic = (await call("POST", `/smn/v2/${pid}/notifications/topics`, { body: { name: "ops-alerts", display_name: "Ops alerts" } })).topic_urn as string;
await call("POST", `/smn/v2/${pid}/notifications/topics/${topic}/subscriptions`, { body: { protocol: "email", endpoint: "oncall@example.com", remark: "on-call" } });
const alarm = (await call("POST", `/ces/V1.0/${pid}/alarms`, {
  body: {
    alarm_name: "api-cpu-high",
    metric: { namespace: "SYS.AS", metric_name: "cpu_util", dimensions: [{ name: "AutoScalingGroup", value: group }] },
    condition: { period: 1, filter: "average", comparison_operator: ">", value: 70, unit: "%", count: 1 },
    alarm_action_enabled: true,
    alarm_actions: [{ type: "notification", notificationList: [topic] }],
  },
})).alarm_id as string;
await call("POST", `${base}/scaling_policy`, {
  body: { scaling_policy_name: "scale-out-on-cpu", scaling_group_id: group, scaling_policy_type: "ALARM", alarm_id: alarm, scaling_policy_action: { operation: "ADD", instance_number: 1 }, cool_down_time: 300 },
});
await advance(1);
for (const load of [12, 18, 25, 40, 55, 78, 92, 88, 64, 35]) {
  await call("PUT", "/_hwlocal/ces/load", { creds: null, body: { scaling_group_id: group, cpu_util: load } });
  await advance(60);
}

const user = (await call("POST", "/iam/v3.0/OS-USER/users", { body: { user: { name: "developer", domain_id: hw.seed.domain.id, password: "Dev-Passw0rd!", description: "CI pipeline" } } })).user as { id: string };
const devs = (await call("POST", "/iam/v3/groups", { body: { group: { name: "developers", description: "Application teams" } } })).group as { id: string };
await call("PUT", `/iam/v3/groups/${devs.id}/users/${user.id}`);
await call("POST", "/iam/v3.0/OS-CREDENTIAL/credentials", { body: { credential: { user_id: user.id, description: "CI key" } } });

await call("POST", "/_hwlocal/faults", { creds: null, body: { service: "ecs", operation: "CreateServers", times: 3, effect: { type: "error", status: 403, error_code: "Ecs.0001", error_msg: "Quota exceeded." } } });
await call("POST", "/_hwlocal/faults", { creds: null, body: { service: "vpc", probability: 0.1, seed: "demo", effect: { type: "latency", ms: 800 } } });
await call("POST", "/_hwlocal/state/checkpoints", { creds: null, body: { name: "baseline" } });
await hw.call("GET", `/vpc/v1/${pid}/vpcs/00000000-0000-0000-0000-000000000000`);

const profile = mkdtempSync(join(tmpdir(), "hwlocal-shots-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox"],
  viewport: { width: 1440, height: 900 },
});
const page: Page = browser.pages()[0] ?? (await browser.newPage());
const shot = async (route: string, file: string, then?: () => Promise<void>) => {
  await page.goto(`${hw.url}/_hwlocal/console#/${route}`);
  await page.locator(`nav a[data-nav="${route}"].active`).waitFor();
  await page.locator("main table tbody tr:not(:has(td.muted))").first().waitFor();
  await then?.();
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: new URL(file, out).pathname });
  console.log(file);
};
const open = (table: string, text: string) => async () => {
  await page.locator(`table[data-table="${table}"] tbody tr`, { hasText: text }).first().click();
  await page.getByRole("dialog").locator("table tbody tr:not(:has(td.muted)), svg.chart").first().waitFor();
};
await shot("overview", "overview.png");
await shot("servers", "servers.png");
await shot("scaling-groups", "scaling-group.png", open("scaling-groups", "api"));
await shot("alarms", "alarm.png", async () => {
  await open("alarms", "api-cpu-high")();
  await page.locator("svg.chart").waitFor();
});
await shot("journal", "journal.png");
await shot("journal", "journal-entry.png", open("journal", "CreateServers"));
await shot("faults", "faults.png");
await shot("checkpoints", "checkpoints.png");
await shot("vpcs", "vpcs.png");
await shot("buckets", "buckets.png", open("buckets", "app-assets"));
await shot("topics", "topic.png", open("topics", "ops-alerts"));
await shot("users", "user.png", open("users", "developer"));
await shot("volumes", "volumes.png");
await shot("images", "images.png");
await browser.close();
rmSync(profile, { recursive: true, force: true });
await hw.close();
