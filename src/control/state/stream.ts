// GET /_hwlocal/state/export and POST /_hwlocal/state/import: the state as one tar file, streamed both
// ways, so they are offered each request before the gateway reads a body (kernel/streaming.ts) and are not
// bound by --max-body-bytes. Like every control call they are open on loopback; beyond it they take an
// administrator's X-Auth-Token or AK/SK signature. An import signed with AK/SK states its body's SHA-256 in
// X-Sdk-Content-Sha256 (as the SDKs do), checked once the body is read and before anything is loaded.
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { PassThrough } from "node:stream";
import { ApiError, errorBody } from "../../kernel/api-error.ts";
import type { Principal } from "../../kernel/identity.ts";
import type { StreamingHandler, StreamingRequest } from "../../kernel/streaming.ts";
import { parseSdkDate } from "../../kernel/time.ts";
import { headerString } from "../../gateway/request.ts";
import { parseAuthorization, verifySignature } from "../../gateway/auth/aksk.ts";
import type { Clock } from "../../kernel/clock.ts";
import type { StateManager } from "./checkpoints.ts";
import { stateErrors } from "./errors.ts";

const EXPORT = "/_hwlocal/state/export";
const IMPORT = "/_hwlocal/state/import";
const SKEW_MS = 15 * 60 * 1000;

export interface StateStreamOptions {
  state: StateManager;
  loopbackOnly: boolean;
  clock: Clock;
}

function answerError(req: IncomingMessage, res: ServerResponse, r: StreamingRequest, err: ApiError): void {
  const text = JSON.stringify(errorBody(err, r.requestId));
  if (res.headersSent) {
    res.destroy();
  } else {
    // A body not read to its end (an import refused early) leaves the connection unusable for another request.
    const close = req.complete ? {} : { Connection: "close" };
    res.writeHead(err.status, { ...err.headers, "X-Request-Id": r.requestId, "Content-Type": "application/json;charset=UTF-8", "Content-Length": Buffer.byteLength(text), ...close });
    res.end(text);
  }
  r.done(err.status, undefined);
}

/** The caller as an administrator, or throws 401/403 (only asked when hwlocal listens beyond loopback). */
function admin(req: IncomingMessage, r: StreamingRequest, clock: Clock): { principal: Principal; declaredSha256?: string } {
  const authorization = req.headers.authorization;
  let principal: Principal | undefined;
  let declared: string | undefined;
  if (authorization) {
    const auth = parseAuthorization(authorization);
    const record = auth && r.identity.accessKey(auth.accessKey);
    if (!auth || !record) throw stateErrors.unauthorized("The Authorization header is malformed or names an unknown access key.");
    if (r.strict) {
      const date = parseSdkDate(headerString(req.headers["x-sdk-date"]) ?? "");
      if (date === undefined || Math.abs(clock.wallNow() - date) > SKEW_MS) throw stateErrors.unauthorized("X-Sdk-Date is missing, malformed or skewed.");
      const verdict = verifySignature({ method: r.method, rawPath: r.rawPath, rawQuery: r.rawQuery, headers: req.headers, body: undefined }, auth, record.secret);
      if (!verdict.ok) throw stateErrors.unauthorized(`The signature does not verify (${verdict.reason}).`);
      declared = headerString(req.headers["x-sdk-content-sha256"]);
    }
    if (record.refusal) throw stateErrors.unauthorized(record.refusal);
    principal = record.principal;
  } else {
    const token = headerString(req.headers["x-auth-token"]);
    const looked = token ? r.identity.token(token) : undefined;
    if (looked?.ok) principal = looked.principal;
    else if (token && !r.strict) principal = r.identity.defaultPrincipal();
    else throw stateErrors.unauthorized("hwlocal listens beyond loopback: send an administrator's X-Auth-Token or AK/SK signature.");
  }
  if (!principal.isAdmin) throw stateErrors.forbidden("Only an administrator may export or import hwlocal's state.");
  return { principal, declaredSha256: declared };
}

export function stateStreamingHandler(o: StateStreamOptions): StreamingHandler {
  const serve = async (req: IncomingMessage, res: ServerResponse, r: StreamingRequest) => {
    const isExport = r.rawPath === EXPORT;
    const method = isExport ? "GET" : "POST";
    if (r.method !== method && !(isExport && r.method === "HEAD")) {
      throw new ApiError({ status: 405, code: "HWLOCAL.0405", message: `${r.rawPath} answers ${method} only.`, headers: { Allow: method } });
    }
    const declared = o.loopbackOnly ? undefined : admin(req, r, o.clock).declaredSha256;
    if (isExport) {
      res.writeHead(200, {
        "X-Request-Id": r.requestId,
        "Content-Type": "application/x-tar",
        "Content-Disposition": 'attachment; filename="hwlocal-state.tar"',
      });
      if (r.method === "HEAD") res.end();
      else await o.state.export(res);
      r.done(200, "ExportState");
      return;
    }
    const hash = createHash("sha256");
    const body = new PassThrough();
    req.on("data", (c: Buffer) => hash.update(c));
    req.pipe(body);
    // A client that goes away mid-upload ends the read (else it would wait for the rest forever).
    req.once("close", () => {
      if (!req.complete) body.destroy(new Error("the client went away before the end of the file"));
    });
    const check = () => {
      if (declared === undefined || declared === "UNSIGNED-PAYLOAD") return;
      if (hash.digest("hex") !== declared.toLowerCase()) throw stateErrors.unauthorized("The body's SHA-256 differs from X-Sdk-Content-Sha256.");
    };
    await o.state.import(body, { check });
    const text = JSON.stringify({ status: "imported" });
    res.writeHead(200, { "X-Request-Id": r.requestId, "Content-Type": "application/json;charset=UTF-8", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
    r.done(200, "ImportState");
  };
  return {
    claims: (_req, rawPath) => rawPath === EXPORT || rawPath === IMPORT,
    serve(req, res, r) {
      serve(req, res, r).catch((err: unknown) => {
        req.resume(); // drain what the client still sends, so that it reads the answer
        answerError(req, res, r, err instanceof ApiError ? err : new ApiError({ status: 500, code: "HWLOCAL.0500", message: String(err) }));
      });
    },
  };
}
