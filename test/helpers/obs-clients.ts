// The OBS clients the tests drive: @aws-sdk/client-s3 (path style, V4, OBS's documented checksum settings,
// Content-MD5 added on DeleteObjects as OBS requires) and esdk-obs-nodejs (Huawei's SDK).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { S3Client } from "@aws-sdk/client-s3";
import type { TestHwlocal } from "./hwlocal.ts";

export interface EsdkResult {
  CommonMsg: { Status: number; Code?: string; Message?: string; RequestId?: string };
  InterfaceResult?: Record<string, unknown>;
}
export type EsdkClient = Record<string, (params: Record<string, unknown>) => Promise<EsdkResult>> & { close(): void };
export const ObsClient = createRequire(import.meta.url)("esdk-obs-nodejs") as new (o: Record<string, unknown>) => EsdkClient;

export interface Credentials {
  ak: string;
  sk: string;
}

export function s3Client(hw: TestHwlocal, creds: Credentials = hw.admin): S3Client {
  const client = new S3Client({
    endpoint: hw.url,
    region: "cn-north-4",
    forcePathStyle: true,
    credentials: { accessKeyId: creds.ak, secretAccessKey: creds.sk },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  // OBS requires Content-MD5 on DeleteObjects, which the AWS SDK no longer sends (obs-facts §2.2): users add it.
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string>; body?: unknown };
      if (typeof request.body === "string" && request.headers["content-type"]?.includes("xml") && /<Delete/.test(request.body)) {
        request.headers["content-md5"] = createHash("md5").update(request.body).digest("base64");
      }
      return next(args);
    },
    { step: "build", name: "obsContentMd5" },
  );
  return client;
}

/** esdk-obs-nodejs on path style against 127.0.0.1 (V2 signatures unless `signature: "obs"`). */
export function esdkClient(hw: TestHwlocal, creds: Credentials = hw.admin, options: Record<string, unknown> = {}): EsdkClient {
  return new ObsClient({ access_key_id: creds.ak, secret_access_key: creds.sk, server: hw.url, ...options });
}

/** An AWS SDK body as text. */
export async function text(body: unknown): Promise<string> {
  return (body as { transformToString(): Promise<string> }).transformToString();
}

/** The AWS SDK error a call fails with: its name (OBS's code) and HTTP status. */
export async function errorOf(p: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  assert.fail("expected an error");
}
