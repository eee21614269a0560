// One OBS request being answered: what every operation gets, and the ways to answer. Every answer carries
// OBS's and S3's request-id headers (esdk in V2 mode reads x-amz-*, in OBS mode x-obs-*) and hwlocal's
// X-Request-Id; errors are OBS's XML <Error> with the code and message also in headers (errors.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { ApiError } from "../../kernel/api-error.ts";
import type { Principal } from "../../kernel/identity.ts";
import type { StreamingRequest } from "../../kernel/streaming.ts";
import { errorHeaders, ObsError, obsErrors } from "./errors.ts";
import type { ObsContext } from "./context.ts";
import type { ObsRequestTarget } from "./route.ts";
import { namespaceFor, xmlError, type Dialect } from "./xml.ts";
import { actualCorsHeaders } from "./operations/cors.ts";

export interface ObsCall {
  svc: ObsContext;
  req: IncomingMessage;
  res: ServerResponse;
  r: StreamingRequest;
  target: ObsRequestTarget;
  /** undefined only for the unsigned calls OBS allows (HEAD /?apiversion). */
  principal?: Principal;
  /** OBS answers in its own dialect (x-obs-* headers, its XML namespace) to OBS-signed requests. */
  dialect: Dialect;
  region: string;
  /** The declared SHA-256 of a V4 body, checked after streaming. */
  payloadHash?: string;
  /** The body's bytes: the request itself, or its decoded aws-chunked payload (--obs-aws-chunked accept). */
  body: Readable;
}

/** A header's first value. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The body's announced length: MissingContentLength without one (unless chunked), undefined when chunked. */
export function bodyLength(c: ObsCall): number | undefined {
  const raw = header(c.req, "content-length");
  if (raw === undefined) {
    if (header(c.req, "transfer-encoding") === undefined) throw obsErrors.missingContentLength();
    return undefined;
  }
  if (!/^\d+$/.test(raw)) throw obsErrors.invalidArgument("Content-Length is not a number.");
  return Number(raw);
}

/** A request header in either dialect: `x-obs-<name>` or `x-amz-<name>`. */
export function dialectHeader(req: IncomingMessage, name: string): string | undefined {
  return header(req, `x-obs-${name}`) ?? header(req, `x-amz-${name}`);
}

export function ns(c: ObsCall): string {
  return namespaceFor(c.dialect, c.region);
}

function baseHeaders(c: ObsCall): Record<string, string> {
  const id = c.r.requestId.toUpperCase();
  return {
    "X-Request-Id": c.r.requestId,
    "x-obs-request-id": id,
    "x-amz-request-id": id,
    "x-obs-id-2": `${id}hwlocal`,
    "x-amz-id-2": `${id}hwlocal`,
    Server: "OBS",
  };
}

function finish(c: ObsCall, status: number): void {
  c.r.done(status, `obs:${c.target.operation}`, { region: c.region, principal: c.principal });
}

/** Answers with a status, headers and an optional XML (or empty) body. */
export function send(c: ObsCall, status: number, headers: Record<string, string> = {}, xml?: string): void {
  const all: Record<string, string> = { ...baseHeaders(c), ...actualCorsHeaders(c), ...headers };
  if (xml !== undefined) {
    all["Content-Type"] = "application/xml";
    all["Content-Length"] = String(Buffer.byteLength(xml));
  } else if (all["Content-Length"] === undefined) all["Content-Length"] = "0";
  c.res.writeHead(status, all);
  c.res.end(c.req.method === "HEAD" ? undefined : xml);
  finish(c, status);
}

/** Answers with bytes already in memory (a small object, a policy document); HEAD sends the headers alone. */
export function sendBytes(c: ObsCall, status: number, headers: Record<string, string>, bytes: Buffer): void {
  c.res.writeHead(status, { ...baseHeaders(c), ...actualCorsHeaders(c), ...headers });
  c.res.end(c.req.method === "HEAD" ? undefined : bytes);
  finish(c, status);
}

/**
 * Answers with a body that `write` sends and ends (HEAD: the headers alone, after `skip`). A failure
 * once the headers are out can only cut the response short: the client sees fewer bytes than announced.
 */
export async function sendWritten(
  c: ObsCall,
  status: number,
  headers: Record<string, string>,
  write: (res: ObsCall["res"]) => Promise<void>,
  skip: () => void,
): Promise<void> {
  c.res.writeHead(status, { ...baseHeaders(c), ...actualCorsHeaders(c), ...headers });
  if (c.req.method === "HEAD") {
    skip();
    c.res.end();
  } else {
    try {
      await write(c.res);
    } catch {
      c.res.destroy();
    }
  }
  finish(c, status);
}

/** Any thrown value as OBS's XML error; unexpected ones (bugs) are 500 InternalError. */
export function sendError(c: ObsCall, thrown: unknown, onBug?: (err: unknown) => void): void {
  let err: ApiError;
  if (thrown instanceof ApiError) err = thrown;
  else {
    onBug?.(thrown);
    err = new ObsError(500, "InternalError", "We encountered an internal error. Please try again.");
  }
  if (c.res.headersSent) {
    c.res.destroy();
    finish(c, err.status);
    return;
  }
  const xml = xmlError(err, { requestId: c.r.requestId.toUpperCase(), hostId: `${c.r.requestId.toUpperCase()}hwlocal` });
  send(c, err.status, { ...errorHeaders(err), ...err.headers }, xml);
}

/** Reads a small request body (an XML configuration) up to `limit` bytes. */
export function readSmallBody(req: IncomingMessage, limit = 1 << 20): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Refused, but the rest is drained (serve's catch resumes the request) so that the client, still
        // sending, reads the answer instead of a reset connection.
        req.off("data", onData);
        chunks.length = 0;
        reject(obsErrors.invalidRequest(`The request body is larger than ${limit} bytes.`));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", () => reject(obsErrors.invalidRequest("The request body could not be read.")));
  });
}
