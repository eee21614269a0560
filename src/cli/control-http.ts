// How the control commands (control.ts) reach a running hwlocal: JSON calls under /_hwlocal/, signed with
// HUAWEICLOUD_SDK_AK/SK when both are set (a hwlocal listening beyond loopback takes state-changing calls
// from its admin only), as `hwlocal env` does for GETs (sign.ts).
import { createHash, createHmac } from "node:crypto";
import { SystemClock } from "../kernel/clock.ts";
import type { AccessKey } from "./sign.ts";

const sha256Hex = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/** The endpoint from --endpoint, else 127.0.0.1 at $HWLOCAL_PORT or 4577, without a trailing slash. */
export function endpointOf(flag: string | undefined): string {
  return (flag ?? `http://127.0.0.1:${process.env.HWLOCAL_PORT ?? "4577"}`).replace(/\/+$/, "");
}

/**
 * SDK-HMAC-SHA256 headers for a request of `method` on `url` (a path without query) whose body has the
 * SHA-256 `bodySha256` (hex). With `streamed`, the hash is also sent as X-Sdk-Content-Sha256, which hwlocal's
 * state import checks once it has read a body it cannot hold whole.
 */
export function signedHeaders(
  method: string,
  url: URL,
  key: AccessKey,
  body: { sha256: string; contentType: string; streamed?: boolean },
): Record<string, string> {
  const date = new Date(new SystemClock().wallNow()).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const signed: [string, string][] = [
    ["content-type", body.contentType],
    ["host", url.host],
    ["x-sdk-date", date],
    ...(body.streamed ? ([["x-sdk-content-sha256", body.sha256]] as [string, string][]) : []),
  ];
  const path = url.pathname.endsWith("/") ? url.pathname : `${url.pathname}/`;
  const names = signed.map(([k]) => k).join(";");
  const canonical = [method, path, url.search.slice(1), signed.map(([k, v]) => `${k}:${v}\n`).join(""), names, body.sha256].join("\n");
  const signature = createHmac("sha256", key.sk).update(`SDK-HMAC-SHA256\n${date}\n${sha256Hex(canonical)}`).digest("hex");
  return {
    "Content-Type": body.contentType,
    ...(body.streamed ? { "X-Sdk-Content-Sha256": body.sha256 } : {}),
    "X-Sdk-Date": date,
    Authorization: `SDK-HMAC-SHA256 Access=${key.ak}, SignedHeaders=${names}, Signature=${signature}`,
  };
}

export { sha256Hex };

export class ControlError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** A control call; resolves to the answer's JSON (undefined for 204), throws ControlError otherwise. */
export async function controlCall(base: string, method: string, path: string, opts: { body?: unknown; key?: AccessKey } = {}): Promise<unknown> {
  const url = new URL(`${base}/_hwlocal${path}`);
  const body = opts.body === undefined ? "" : JSON.stringify(opts.body);
  const headers = opts.key ? signedHeaders(method, url, opts.key, { sha256: sha256Hex(body), contentType: "application/json" }) : { "Content-Type": "application/json" };
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: body === "" ? undefined : body });
  } catch {
    throw new ControlError(`hwlocal is not reachable at ${base}; start it with "npx hwlocal start"`, 0);
  }
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const msg = (json as { error_msg?: unknown } | undefined)?.error_msg;
    const hint = res.status === 403 || res.status === 401 ? " (set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK to the admin's key)" : "";
    throw new ControlError(`${method} ${url.pathname}: ${res.status} ${typeof msg === "string" ? msg : text}${hint}`, res.status);
  }
  return json;
}
