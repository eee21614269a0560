// `hwlocal env`: asks a running hwlocal for its account and services and prints the variables the official
// SDKs read. Node's core reads HUAWEICLOUD_SDK_AK/SK/PROJECT_ID/IAM_ENDPOINT itself; the Python and Go SDKs
// also read HUAWEICLOUD_SDK_REGION_<SERVICE>_<REGION> (in Node, pass it to `new Region(id, url)`). For OBS it
// prints the AWS SDKs' S3 variables and an rclone remote named `hwlocal:` (obsLines). With --openstack it
// prints the OpenStack CLI's and openstacksdk's OS_* variables instead (openstackLines).
// A hwlocal listening beyond loopback shows its account only to the admin: with HUAWEICLOUD_SDK_AK/SK set
// (say, to the seed's key), the request is signed with them.
import { z } from "../kernel/zod.ts";
import { signedGetHeaders, type AccessKey } from "./sign.ts";

const Info = z.object({
  endpoint: z.string(),
  domain: z.object({ id: z.string(), name: z.string() }),
  user: z.object({ name: z.string(), password: z.string() }).optional(),
  access_key: z.object({ ak: z.string(), sk: z.string() }),
  regions: z.array(z.object({ id: z.string(), project_id: z.string() })),
  obs: z.object({ endpoint: z.string() }).optional(),
});
const Health = z.object({ services: z.record(z.string(), z.object({ status: z.string() })) });

async function getJson<T>(url: string, schema: z.ZodType<T>, key?: AccessKey): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { headers: key ? signedGetHeaders(new URL(url), key) : {} });
  } catch {
    throw new Error(`hwlocal is not reachable at ${url}; start it with "npx hwlocal start"`);
  }
  if (res.status === 403 || res.status === 401) {
    throw new Error(
      key
        ? `${url} refused the key ${key.ak} (${res.status}): it needs an administrator's access key`
        : `${url} shows the account only to its admin (hwlocal listens beyond loopback): ` +
            "set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK to the admin's access key and run this again",
    );
  }
  return schema.parse(await res.json());
}

/** The admin key to sign with, from HUAWEICLOUD_SDK_AK/SK when both are set. */
export function keyFromEnv(env: NodeJS.ProcessEnv): AccessKey | undefined {
  const ak = env.HUAWEICLOUD_SDK_AK;
  const sk = env.HUAWEICLOUD_SDK_SK;
  return ak && sk ? { ak, sk } : undefined;
}

export async function envLines(endpoint: string, region: string, key?: AccessKey): Promise<string[]> {
  const base = endpoint.replace(/\/+$/, "");
  const info = await getJson(`${base}/_hwlocal/info`, Info, key);
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
    // OBS has no path prefix and no SDK-core client: its lines follow.
    if (!served(s.status) || name === "obs") continue;
    lines.push(`export HUAWEICLOUD_SDK_REGION_${name.toUpperCase()}_${regionVar}=${base}/${name}`);
  }
  if (info.obs && served(health.services.obs?.status)) lines.push(...obsLines(info.obs.endpoint, region, info.access_key));
  return lines;
}

/** A service hwlocal serves: started ("running"), or to start on its first call ("available"). */
export function served(status: string | undefined): boolean {
  return status === "running" || status === "available";
}

/**
 * The OpenStack clients' variables: password authentication (the clients speak Keystone, not AK/SK) of the
 * seed's admin, scoped to the region's project, which Huawei names after the region. OS_REGION_NAME must
 * equal the catalog's region exactly, and OS_INTERFACE public is the only interface the catalog lists.
 */
export async function openstackLines(endpoint: string, region: string, key?: AccessKey): Promise<string[]> {
  const base = endpoint.replace(/\/+$/, "");
  const info = await getJson(`${base}/_hwlocal/info`, Info, key);
  if (!info.regions.some((r) => r.id === region)) {
    throw new Error(`hwlocal has no project for region ${region}; it has ${info.regions.map((r) => r.id).join(", ")}`);
  }
  if (!info.user) throw new Error(`${base}/_hwlocal/info does not name the admin user`);
  return [
    `export OS_AUTH_URL=${base}/iam/v3`,
    `export OS_USERNAME=${shellWord(info.user.name)}`,
    `export OS_PASSWORD=${shellWord(info.user.password)}`,
    `export OS_USER_DOMAIN_NAME=${shellWord(info.domain.name)}`,
    `export OS_PROJECT_NAME=${region}`,
    `export OS_PROJECT_DOMAIN_NAME=${shellWord(info.domain.name)}`,
    `export OS_REGION_NAME=${region}`,
    "export OS_IDENTITY_API_VERSION=3",
    "export OS_INTERFACE=public",
  ];
}

/** A value as one shell word: as it is when plain, else single-quoted (a seed's password may hold anything). */
function shellWord(v: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/**
 * What S3 clients need for OBS (obs-facts §2.2, §2.3, §3.2): the AWS SDKs' and CLIs' shared variables, with
 * the checksum settings Huawei documents for OBS (else the SDKs send aws-chunked uploads OBS refuses), and an
 * rclone remote `hwlocal:` (provider Other, path style; HuaweiOBS would ignore force_path_style).
 */
export function obsLines(endpoint: string, region: string, key: AccessKey): string[] {
  const base = endpoint.replace(/\/+$/, "");
  const rclone = "RCLONE_CONFIG_HWLOCAL";
  return [
    `export AWS_ENDPOINT_URL_S3=${base}`,
    `export AWS_ACCESS_KEY_ID=${key.ak}`,
    `export AWS_SECRET_ACCESS_KEY=${key.sk}`,
    `export AWS_REGION=${region}`,
    "export AWS_REQUEST_CHECKSUM_CALCULATION=when_required",
    "export AWS_RESPONSE_CHECKSUM_VALIDATION=when_required",
    `export ${rclone}_TYPE=s3`,
    `export ${rclone}_PROVIDER=Other`,
    `export ${rclone}_ENDPOINT=${base}`,
    `export ${rclone}_ACCESS_KEY_ID=${key.ak}`,
    `export ${rclone}_SECRET_ACCESS_KEY=${key.sk}`,
    `export ${rclone}_FORCE_PATH_STYLE=true`,
    `export ${rclone}_REGION=${region}`,
  ];
}
