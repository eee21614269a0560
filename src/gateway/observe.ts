// The pipeline's two optional observers (control/journal.ts, control/faults.ts): recording a finished request
// in the journal, and shaping an answer by a fault rule. Kept apart from pipeline.ts so that the request path
// there reads as before: one check each, which costs nothing while the journal is off and no rule exists.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { ApiError, type ErrorShape } from "../kernel/api-error.ts";
import type { Clock } from "../kernel/clock.ts";
import type { Principal } from "../kernel/identity.ts";
import type { Scope } from "../kernel/service.ts";
import type { Journal } from "../control/journal.ts";
import type { FaultRule, Faults } from "../control/faults.ts";

/** What the pipeline's Ctx holds that the journal shows. */
export interface Observed {
  requestId: string;
  t0?: number;
  remote?: string;
  principal?: Principal;
  method: string;
  rawPath: string;
  rawQuery: string;
  body: Buffer | undefined;
  service?: { name: string; internal: boolean };
  target?: { meta: { name: string } };
  operation?: string;
  scope?: Scope;
  /** A streaming service's region (it has no Scope: OBS buckets belong to a domain, not a project). */
  region?: string;
  fault?: string;
  policy?: { action: string; allowed: boolean; by: string };
}

/**
 * The headers a streaming service answered. writeHead(status, {…}) does not keep them where getHeaders()
 * reads, so they come from the header block Node wrote (`_header`, long stable though undocumented).
 */
export function sentHeaders(res: ServerResponse): Record<string, string> | undefined {
  if (!res.headersSent) return undefined;
  const block = (res as unknown as { _header?: unknown })._header;
  if (typeof block !== "string") return undefined;
  const out: Record<string, string> = {};
  for (const line of block.split("\r\n").slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) out[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  return out;
}

/** Thrown by a "drop" rule: the gateway destroys the connection instead of answering. */
export const DROPPED: unique symbol = Symbol("hwlocal fault: drop");

/** The header the web console sends with its own API calls: not journaled, not matched by fault rules. */
export const CONSOLE_HEADER = "x-hwlocal-console";

/** Records one answered request (the control plane's and the console's own are not recorded). */
export function record(
  journal: Journal,
  clock: Clock,
  ctx: Observed,
  requestHeaders: IncomingHttpHeaders,
  status: number,
  headers: Record<string, string | string[] | number | undefined> | undefined,
  text: string | undefined,
  streamed: boolean,
): void {
  if (ctx.service?.internal || (streamed && ctx.rawPath.startsWith("/_hwlocal/"))) return;
  // The web console's own reads (it marks them): the journal shows what the user's code did.
  if (requestHeaders[CONSOLE_HEADER] !== undefined) return;
  let service = ctx.service?.name;
  let operation = ctx.target?.meta.name;
  if (operation === undefined && ctx.operation !== undefined) {
    // a streaming service's "obs:PutObject"
    const colon = ctx.operation.indexOf(":");
    service ??= colon < 0 ? undefined : ctx.operation.slice(0, colon);
    operation = ctx.operation.slice(colon + 1);
  }
  journal.record({
    now: clock.now(),
    wall: clock.wallNow(),
    requestId: ctx.requestId,
    method: ctx.method,
    rawPath: ctx.rawPath,
    rawQuery: ctx.rawQuery,
    status,
    latencyMs: ctx.t0 === undefined ? undefined : performance.now() - ctx.t0,
    service,
    operation,
    region: ctx.scope?.region ?? ctx.region,
    projectId: ctx.scope?.projectId,
    principal: ctx.principal,
    remote: ctx.remote,
    requestHeaders,
    requestBody: streamed ? undefined : ctx.body,
    responseHeaders: headers,
    responseBody: streamed ? undefined : text,
    fault: ctx.fault,
    policy: ctx.policy,
    streamed,
    seq: 0,
    requestTruncated: false,
    responseTruncated: false,
    requestSize: 0,
    responseSize: 0,
  });
}

/**
 * Applies a matched rule to a JSON service's request: throws its error (in the operation's envelope) or
 * DROPPED, or returns the milliseconds to wait before the handler runs.
 */
export function applyFault(rule: FaultRule, ctx: Observed, shape: ErrorShape): number {
  ctx.fault = rule.id;
  const e = rule.effect;
  if (e.type === "error") throw new ApiError({ status: e.status, code: e.error_code, message: e.error_msg, shape });
  if (e.type === "drop") throw DROPPED;
  return e.type === "latency" ? e.ms : 0;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const xmlText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A streaming service's request (OBS) while fault rules exist: a matching rule answers an error as OBS's
 * XML <Error>, drops the connection or delays `serve`; `done` records what was answered.
 */
export function streamingFault(
  faults: Faults,
  service: string,
  ctx: Observed,
  req: IncomingMessage,
  res: ServerResponse,
  serve: () => void,
  done: (status: number, operation: string | undefined) => void,
): void {
  const rule = faults.match({ service, operation: undefined, region: undefined, projectId: undefined, rawPath: ctx.rawPath });
  if (rule === undefined || rule.effect.type === "job") {
    serve();
    return;
  }
  ctx.fault = rule.id;
  const e = rule.effect;
  if (e.type === "latency") {
    setTimeout(serve, e.ms);
    return;
  }
  if (e.type === "drop") {
    req.socket.destroy();
    done(0, `${service}:-`);
    return;
  }
  const id = ctx.requestId.toUpperCase();
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlText(e.error_code)}</Code><Message>${xmlText(e.error_msg)}</Message>` +
    `<RequestId>${id}</RequestId><HostId>${id}hwlocal</HostId></Error>`;
  req.resume();
  res.writeHead(e.status, {
    "X-Request-Id": ctx.requestId,
    "x-obs-request-id": id,
    "x-amz-request-id": id,
    "x-obs-error-code": e.error_code,
    "x-obs-error-message": encodeURIComponent(e.error_msg),
    Server: "OBS",
    "Content-Type": "application/xml",
    "Content-Length": String(Buffer.byteLength(xml)),
  });
  res.end(req.method === "HEAD" ? undefined : xml);
  done(e.status, `${service}:-`);
}
