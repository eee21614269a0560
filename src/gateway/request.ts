// Reading a request: header values, the query string and the body (size-limited), for the pipeline.
import type { IncomingMessage } from "node:http";
import { apigw } from "../kernel/apigw-errors.ts";

export function headerString(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Decodes a raw query into values; repeated keys become arrays (VPC v3 list filters). */
export function parseQuery(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (raw === "") return out;
  for (const part of raw.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const k = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const v = safeDecode(eq < 0 ? "" : part.slice(eq + 1));
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev, v];
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, "%20"));
  } catch {
    return s;
  }
}

/** Reads the body up to the limit; undefined when it is empty. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    return Promise.reject(apigw.bodyTooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(apigw.bodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!failed) resolve(size === 0 ? undefined : Buffer.concat(chunks, size));
    });
    req.on("error", () => {
      if (!failed) {
        failed = true;
        reject(apigw.badRequest("The request body could not be read."));
      }
    });
  });
}
