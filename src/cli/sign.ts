// Signs the CLI's own GET requests with SDK-HMAC-SHA256, as the official SDKs sign, so that `hwlocal env`
// can read GET /_hwlocal/info from a hwlocal that shows it only to the admin (one listening beyond loopback).
import { createHash, createHmac } from "node:crypto";
import { SystemClock } from "../kernel/clock.ts";

export interface AccessKey {
  ak: string;
  sk: string;
}

const sha256Hex = (data: string): string => createHash("sha256").update(data).digest("hex");

/** 20260101T000000Z, as X-Sdk-Date carries it. */
function sdkDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** Headers for a GET of `url` (a path of plain characters, no query) signed with the key. */
export function signedGetHeaders(url: URL, key: AccessKey, nowMs = new SystemClock().wallNow()): Record<string, string> {
  const date = sdkDate(nowMs);
  const signed: [string, string][] = [
    ["host", url.host],
    ["x-sdk-date", date],
  ];
  const path = url.pathname.endsWith("/") ? url.pathname : `${url.pathname}/`;
  const canonical = ["GET", path, "", signed.map(([k, v]) => `${k}:${v}\n`).join(""), signed.map(([k]) => k).join(";"), sha256Hex("")].join("\n");
  const toSign = `SDK-HMAC-SHA256\n${date}\n${sha256Hex(canonical)}`;
  const signature = createHmac("sha256", key.sk).update(toSign).digest("hex");
  return {
    "X-Sdk-Date": date,
    Authorization: `SDK-HMAC-SHA256 Access=${key.ak}, SignedHeaders=${signed.map(([k]) => k).join(";")}, Signature=${signature}`,
  };
}
