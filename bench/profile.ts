// `npm run bench:profile -- <scenario> [seconds]`: drives one gateway scenario (signed-read, token-issue,
// token-validate, health, signed-show) or an OBS one (obs-put-4k, obs-get-1m: autocannon over a presigned
// URL, hwlocal on a data folder) against hwlocal running under `node --cpu-prof`, then prints the
// functions with the most self time, so that an optimisation starts from a profile and not from a guess.
// The .cpuprofile stays in the printed folder for Chrome DevTools or speedscope.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cpuSeconds, forkTs, installCleanup, stop, stopAll } from "./children.ts";
import { adminToken, startHwlocal } from "./hwlocal.ts";
import { send } from "./http.ts";
import type { FromLoad, Job, ScenarioId, ToLoad } from "./protocol.ts";
import { createAndWait } from "./servers.ts";
import { S3Client, CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { rawRate } from "./obs-raw.ts";

const LOAD = fileURLToPath(new URL("./load.ts", import.meta.url));
const SCENARIOS: ScenarioId[] = ["health", "signed-read", "token-issue", "token-validate", "signed-show"];
const OBS_SCENARIOS = ["obs-put-4k", "obs-get-1m"];

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  samples: number[];
}

function topSelf(profile: CpuProfile, n: number): string[] {
  const total = profile.samples.length;
  const byKey = new Map<string, number>();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const file = f.url.replace(/^.*\/(node_modules\/|src\/|dist\/)/, "$1");
    const key = `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}`;
    byKey.set(key, (byKey.get(key) ?? 0) + (node.hitCount ?? 0));
  }
  return [...byKey.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, hits]) => `${((hits / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
}

async function main(): Promise<void> {
  installCleanup();
  const scenario = (process.argv[2] ?? "signed-read") as ScenarioId;
  const obs = OBS_SCENARIOS.includes(scenario);
  if (!SCENARIOS.includes(scenario) && !obs) throw new Error(`scenario must be one of ${[...SCENARIOS, ...OBS_SCENARIOS].join(", ")}`);
  const seconds = Number(process.argv[3] ?? 5);
  const dir = mkdtempSync(join(tmpdir(), "hwlocal-prof-"));
  const hw = await startHwlocal({
    nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
    ...(obs && process.env.PROFILE_IN_MEMORY !== "1" ? { inMemory: false, args: ["--data-dir", join(dir, "data")] } : {}),
  });
  const info = JSON.parse((await send(`${hw.endpoint}/_hwlocal/info`)).body) as {
    access_key: { ak: string; sk: string };
    regions: { id: string; project_id: string }[];
  };
  if (obs) {
    await profileObs(scenario, hw.endpoint, info.access_key, seconds, hw.child.pid!);
    await report(hw.child, dir);
    return;
  }
  const token = await adminToken(hw.endpoint);
  let signedPaths: string[] | undefined;
  if (scenario === "signed-show") {
    const created = await createAndWait(hw.endpoint, "cn-east-3", 100);
    const pid = info.regions.find((r) => r.id === "cn-east-3")!.project_id;
    signedPaths = created.serverIds.map((id) => `/ecs/v1/${pid}/cloudservers/${id}`);
  }
  const load = forkTs(LOAD);
  const job: Job = {
    scenario,
    base: hw.endpoint,
    seconds,
    connections: 32,
    expectStatus: scenario === "token-issue" ? 201 : 200,
    creds: info.access_key,
    token,
    signatures: 100_000,
    nonce: `profile-${scenario}`,
    ...(signedPaths ? { signedPaths } : {}),
  };
  const result = await new Promise<FromLoad>((resolve) => {
    load.once("message", (m: FromLoad) => resolve(m));
    load.send({ type: "job", job } satisfies ToLoad);
  });
  load.send({ type: "exit" } satisfies ToLoad);
  if (result.type === "error") throw new Error(result.message);
  console.log(`${scenario}: ${result.result.rps.toFixed(0)} req/s${result.result.problem ? ` (${result.result.problem})` : ""}`);
  await report(hw.child, dir);
}

async function profileObs(scenario: string, endpoint: string, creds: { ak: string; sk: string }, seconds: number, pid: number): Promise<void> {
  const s3 = new S3Client({
    endpoint,
    region: "cn-north-4",
    forcePathStyle: true,
    credentials: { accessKeyId: creds.ak, secretAccessKey: creds.sk },
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
  await s3.send(new CreateBucketCommand({ Bucket: "profile" }));
  await s3.send(new PutObjectCommand({ Bucket: "profile", Key: "get-1m", Body: Buffer.alloc(1 << 20, "m") }));
  const cpu0 = cpuSeconds(pid);
  const rps =
    scenario === "obs-put-4k"
      ? await rawRate(await getSignedUrl(s3, new PutObjectCommand({ Bucket: "profile", Key: "put-4k" }), { expiresIn: 3600 }), {
          method: "PUT",
          body: Buffer.alloc(4096, "s"),
          connections: 16,
          seconds,
        })
      : await rawRate(await getSignedUrl(s3, new GetObjectCommand({ Bucket: "profile", Key: "get-1m" }), { expiresIn: 3600 }), {
          method: "GET",
          connections: 8,
          seconds,
        });
  s3.destroy();
  const cpuPerRequest = ((cpuSeconds(pid) - cpu0) / (rps * seconds)) * 1e6;
  console.log(`${scenario}: ${rps.toFixed(0)} req/s, hwlocal CPU ${cpuPerRequest.toFixed(0)} µs a request (profiler included)`);
}

async function report(child: Parameters<typeof stop>[0], dir: string): Promise<void> {
  await stop(child, 10_000);
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no profile written in ${dir}`);
  const top = Number(process.env.PROFILE_TOP ?? 40);
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
  console.log(`profile: ${join(dir, file)}\nself time:`);
  for (const line of topSelf(profile, top)) console.log(line);
}

main().then(
  async () => {
    await stopAll();
    process.exit(0);
  },
  async (err: unknown) => {
    console.error(`profile: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await stopAll();
    process.exit(1);
  },
);
