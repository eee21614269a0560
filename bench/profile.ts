// `npm run bench:profile -- <scenario> [seconds]`: drives one gateway scenario (signed-read, token-issue,
// token-validate, health, signed-show) against hwlocal running under `node --cpu-prof`, then prints the
// functions with the most self time, so that an optimisation starts from a profile and not from a guess.
// The .cpuprofile stays in the printed folder for Chrome DevTools or speedscope.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { forkTs, installCleanup, stop, stopAll } from "./children.ts";
import { adminToken, startHwlocal } from "./hwlocal.ts";
import { send } from "./http.ts";
import type { FromLoad, Job, ScenarioId, ToLoad } from "./protocol.ts";
import { createAndWait } from "./servers.ts";

const LOAD = fileURLToPath(new URL("./load.ts", import.meta.url));
const SCENARIOS: ScenarioId[] = ["health", "signed-read", "token-issue", "token-validate", "signed-show"];

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
  if (!SCENARIOS.includes(scenario)) throw new Error(`scenario must be one of ${SCENARIOS.join(", ")}`);
  const seconds = Number(process.argv[3] ?? 5);
  const dir = mkdtempSync(join(tmpdir(), "hwlocal-prof-"));
  const hw = await startHwlocal({ nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`] });
  const info = JSON.parse((await send(`${hw.endpoint}/_hwlocal/info`)).body) as {
    access_key: { ak: string; sk: string };
    regions: { id: string; project_id: string }[];
  };
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
  await stop(hw.child, 10_000);
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
