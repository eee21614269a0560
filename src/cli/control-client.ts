// What `hwlocal journal` and `hwlocal faults` share: control calls (control-http.ts: signed with
// HUAWEICLOUD_SDK_AK/SK when both are set, as a hwlocal beyond loopback wants), query strings, tables.
import { controlCall, sha256Hex, signedHeaders } from "./control-http.ts";
import { keyFromEnv } from "./env.ts";

export { endpointOf } from "./control-http.ts";

/** A control call, signed with HUAWEICLOUD_SDK_AK/SK when both are set (control-http.ts). */
export function control(endpoint: string, method: string, path: string, body?: unknown): Promise<unknown> {
  return controlCall(endpoint, method, path, { body, key: keyFromEnv(process.env) });
}

/** Headers for the journal's stream: signed like the other calls when a key is set. */
export function streamHeaders(url: URL): Record<string, string> {
  const key = keyFromEnv(process.env);
  const accept = { Accept: "text/event-stream" };
  return key ? { ...accept, ...signedHeaders("GET", url, key, { sha256: sha256Hex(""), contentType: "application/json" }) } : accept;
}

/** A query string of the flags that are set. */
export function queryOf(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  // sorted: the signature's canonical query is
  for (const k of Object.keys(params).sort()) if (params[k] !== undefined) q.set(k, params[k]);
  const s = q.toString();
  return s === "" ? "" : `?${s}`;
}

/** Columns padded to their widest cell (the last column is not padded). */
export function table(rows: string[][], minWidths: number[] = []): string {
  const widths: number[] = [...minWidths];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")).join("\n");
}
