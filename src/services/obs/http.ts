// OBS's request path, on the raw request and response (the gateway hands OBS its requests before reading
// any body, see kernel/streaming.ts): route (route.ts), `HEAD /?apiversion` unsigned, authenticate (auth/),
// the bucket's owner, then the operation, which streams bodies itself. Operations hwlocal lacks answer 501
// ServiceNotImplemented naming the operation.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { StreamingHandler, StreamingRequest } from "../../kernel/streaming.ts";
import { authenticateObs, type ObsAuthSuccess } from "./auth/index.ts";
import { header, send, sendError, type ObsCall } from "./call.ts";
import { carriesCredential, claimsAnonymousBucket, claimsObs, obsHost } from "./classify.ts";
import type { ObsContext } from "./context.ts";
import { ObsError, obsErrors } from "./errors.ts";
import { accessOperations, accessTable, authorizeOthers } from "./operations/access.ts";
import { appendOperations } from "./operations/append.ts";
import { bucketConfigOperations } from "./operations/bucket-config.ts";
import { preflight } from "./operations/cors.ts";
import { bucketOperations } from "./operations/buckets.ts";
import { lifecycleOperations } from "./operations/lifecycle.ts";
import { multipartOperations } from "./operations/multipart.ts";
import { objectOperations } from "./operations/objects.ts";
import { versioningOperations } from "./operations/versioning.ts";
import { postObject } from "./operations/post-object.ts";
import { requireIamPermission } from "./iam.ts";
import { routeObs } from "./route.ts";
import { decodeAwsChunked } from "./aws-chunked-request.ts";

export type ObsOperation = (c: ObsCall) => void | Promise<void>;

const OPERATIONS: Record<string, ObsOperation> = {
  ...bucketOperations,
  ...objectOperations,
  ...multipartOperations,
  ...versioningOperations,
  ...bucketConfigOperations,
  ...accessOperations,
  ...appendOperations,
  ...lifecycleOperations,
};

/** The operations hwlocal answers, by name (coverage and health count them). */
export const OBS_OPERATION_NAMES: readonly string[] = [...Object.keys(OPERATIONS), "PostObject"];

async function run(c: ObsCall): Promise<void> {
  const op = OPERATIONS[c.target.operation];
  if (!op) throw obsErrors.serviceNotImplemented(c.target.operation);
  await op(c);
}

function unsigned(r: StreamingRequest): ObsAuthSuccess {
  return { ok: true, principal: r.identity.defaultPrincipal(), accessKey: "", scheme: "v2" };
}

async function serve(svc: ObsContext, req: IncomingMessage, res: ServerResponse, r: StreamingRequest): Promise<void> {
  const host = obsHost(header(req, "host"));
  const copy = header(req, "x-obs-copy-source") !== undefined || header(req, "x-amz-copy-source") !== undefined;
  const target = routeObs(r.method, r.rawPath, r.rawQuery, host, copy);
  const c: ObsCall = { svc, req, res, r, target, body: req, dialect: "s3", region: host?.region ?? svc.defaultRegion };
  try {
    if (target.operation === "GetApiVersion") {
      // Unsigned negotiation (obs-facts §2.1): 3.0 on the service host; on a bucket host, only for a bucket.
      if (target.bucket !== undefined) svc.store.headBucket(target.bucket);
      send(c, 200, { "x-obs-api": "3.0" });
      return;
    }
    if (host?.bucket !== undefined && target.bucket === undefined) throw obsErrors.noSuchBucket("");
    if (target.operation === "PostObject") {
      // A form upload carries its credential in its fields (verified by the operation after reading them).
      await postObject(c);
      return;
    }
    if (target.operation === "OptionsBucket" || target.operation === "OptionsObject") {
      // A browser's CORS preflight carries no credentials: answered from the bucket's rules alone (cors.ts).
      await preflight(c);
      return;
    }
    const anonymous = !carriesCredential(req, r.rawQuery);
    if (anonymous && r.strict) {
      // No credential at all: only what an ACL or the bucket policy grants everyone (operations/access.ts).
      const bucket = authorizeOthers(c, undefined);
      if (host === null) c.region = bucket.location;
      await run(c);
      return;
    }
    // --auth off: an unsigned request acts as the default principal, as it does on the JSON services.
    const auth = anonymous ? unsigned(r) : authenticateObs({
      method: r.method,
      rawPath: r.rawPath,
      rawQuery: r.rawQuery,
      headers: req.headersDistinct,
      ...(host?.bucket !== undefined ? { bucketFromHost: host.bucket } : {}),
      wallNowMs: svc.clock.wallNow(),
      lookup: (ak) => r.identity.accessKey(ak),
      strict: r.strict,
      defaultPrincipal: () => r.identity.defaultPrincipal(),
    });
    if (!auth.ok) throw new ObsError(auth.status, auth.code, auth.message);
    if (auth.awsChunked) c.body = decodeAwsChunked(c, auth.chunkSigning);
    c.principal = auth.principal;
    c.dialect = auth.scheme === "obs" || auth.scheme === "obs-query" ? "obs" : "s3";
    if (auth.payloadHash !== undefined) c.payloadHash = auth.payloadHash;
    // A bucket is its owner's domain's: another domain's request is AccessDenied (the namespace is global).
    if (target.bucket !== undefined && target.operation !== "CreateBucket") {
      const bucket = svc.store.findBucket(target.bucket);
      // …unless its ACL or policy grants the operation to everyone or to that domain (operations/access.ts).
      if (bucket && bucket.domain_id !== auth.principal.domainId) authorizeOthers(c, auth.principal.domainId);
      if (bucket && host === null) c.region = bucket.location;
    }
    // IAM's fine-grained policies, for a user outside its domain's admin group (iam.ts).
    requireIamPermission(c, auth.principal);
    await run(c);
  } catch (err) {
    // A body the client is still sending is drained so that the connection can carry the error answer.
    if (!req.complete) req.resume();
    sendError(c, err, svc.onBug);
  }
}

export function obsStreamingHandler(svc: ObsContext): StreamingHandler {
  return {
    // Rule 6 (an anonymous request for an existing bucket) only after every header rule said no.
    claims: (req, rawPath, rawQuery) =>
      claimsObs(req, rawPath, rawQuery) || claimsAnonymousBucket(req, rawPath, (name) => accessTable(svc.store).bucketExists(name)),
    serve(req, res, r) {
      void serve(svc, req, res, r);
    },
  };
}
