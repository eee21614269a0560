// The official Huawei SDK clients, pointed at a test hwlocal the way a user points them (sdk-wire-facts §2):
// `withEndpoint` with hwlocal's path prefix, or `withRegion(new Region(id, url))` for project discovery.
import { BasicCredentials, GlobalCredentials, Region } from "@huaweicloud/huaweicloud-sdk-core";
import { IamClient } from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import log4js from "log4js";
import type { Credentials } from "./sign.ts";

// The SDK logs every failed call at ERROR to stdout, Authorization header included; tests provoke many.
log4js.configure({ appenders: { off: { type: "stdout" } }, categories: { default: { appenders: ["off"], level: "off" } } });

export function iamClient(url: string, creds: Credentials & { domainId?: string }): IamClient {
  let cred = new GlobalCredentials().withAk(creds.ak).withSk(creds.sk);
  if (creds.domainId) cred = cred.withDomainId(creds.domainId);
  if (creds.securityToken) cred = cred.withSecurityToken(creds.securityToken);
  return IamClient.newBuilder().withCredential(cred).withEndpoint(`${url}/iam`).build();
}

/** An IAM client with BasicCredentials for project-level calls ({project_id} comes from the credentials). */
export function iamProjectClient(url: string, creds: Credentials & { projectId: string }): IamClient {
  const cred = new BasicCredentials().withAk(creds.ak).withSk(creds.sk).withProjectId(creds.projectId);
  return IamClient.newBuilder().withCredential(cred).withEndpoint(`${url}/iam`).build();
}

/** Region-based: GlobalCredentials without a domain id, which the SDK discovers from hwlocal's IAM. */
export function iamRegionClient(url: string, regionId: string, creds: Credentials): IamClient {
  const cred = new GlobalCredentials().withAk(creds.ak).withSk(creds.sk).withIamEndpoint(`${url}/iam`);
  return IamClient.newBuilder()
    .withCredential(cred)
    .withRegion(new Region(regionId, `${url}/iam`))
    .build();
}

/** The SDK hands back the wire JSON itself (plus httpStatusCode), not model instances. */
export function wire(res: unknown): Record<string, unknown> {
  if (typeof res !== "object" || res === null) throw new Error(`SDK returned ${String(res)}`);
  return res as Record<string, unknown>;
}

export interface SdkError {
  httpStatusCode: number;
  errorCode: string | number | undefined;
  errorMsg: string;
  requestId: string | undefined;
}

/** Runs an SDK call that must fail and returns the SDK's exception fields. */
export async function sdkError(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (e) {
    const err = e as Partial<SdkError>;
    if (typeof err.httpStatusCode !== "number") throw e;
    return {
      httpStatusCode: err.httpStatusCode,
      errorCode: err.errorCode,
      errorMsg: err.errorMsg ?? "",
      requestId: err.requestId,
    };
  }
  throw new Error("the SDK call succeeded but was expected to fail");
}
