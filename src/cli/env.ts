// `hwlocal env`: asks a running hwlocal for its account and services and prints the variables the official
// SDKs read. Node's core reads HUAWEICLOUD_SDK_AK/SK/PROJECT_ID/IAM_ENDPOINT itself; the Python and Go SDKs
// also read HUAWEICLOUD_SDK_REGION_<SERVICE>_<REGION> (in Node, pass it to `new Region(id, url)`).
import { z } from "zod";

const Info = z.object({
  endpoint: z.string(),
  domain: z.object({ id: z.string(), name: z.string() }),
  access_key: z.object({ ak: z.string(), sk: z.string() }),
  regions: z.array(z.object({ id: z.string(), project_id: z.string() })),
});
const Health = z.object({ services: z.record(z.string(), z.object({ status: z.string() })) });

async function getJson<T>(url: string, schema: z.ZodType<T>): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch {
    throw new Error(`hwlocal is not reachable at ${url}; start it with "npx hwlocal start"`);
  }
  return schema.parse(await res.json());
}

export async function envLines(endpoint: string, region: string): Promise<string[]> {
  const base = endpoint.replace(/\/+$/, "");
  const info = await getJson(`${base}/_hwlocal/info`, Info);
  const health = await getJson(`${base}/_hwlocal/health`, Health);
  const project = info.regions.find((r) => r.id === region);
  if (!project) throw new Error(`hwlocal has no project for region ${region}; it has ${info.regions.map((r) => r.id).join(", ")}`);
  const regionVar = region.toUpperCase().replace(/-/g, "_");
  const lines = [
    `export HUAWEICLOUD_SDK_AK=${info.access_key.ak}`,
    `export HUAWEICLOUD_SDK_SK=${info.access_key.sk}`,
    `export HUAWEICLOUD_SDK_PROJECT_ID=${project.project_id}`,
    `export HUAWEICLOUD_SDK_DOMAIN_ID=${info.domain.id}`,
    `export HUAWEICLOUD_SDK_IAM_ENDPOINT=${base}/iam`,
  ];
  for (const [name, s] of Object.entries(health.services)) {
    if (s.status !== "running") continue;
    lines.push(`export HUAWEICLOUD_SDK_REGION_${name.toUpperCase()}_${regionVar}=${base}/${name}`);
  }
  return lines;
}
