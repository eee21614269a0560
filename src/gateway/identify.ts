// The gateway's identify stages: authenticate (who: an AK/SK signature or a token) and resolveScope (where:
// the domain and project the request acts in, refused when the path, the headers and the credential
// disagree). Split out of pipeline.ts; both run on every request.
import type { IncomingMessage } from "node:http";
import { apigw } from "../kernel/apigw-errors.ts";
import type { Clock } from "../kernel/clock.ts";
import type { IdentityProvider, Principal } from "../kernel/identity.ts";
import type { Scope } from "../kernel/service.ts";
import { parseSdkDate } from "../kernel/time.ts";
import { parseAuthorization, verifySignature } from "./auth/aksk.ts";
import type { BoundService } from "./bind.ts";
import { headerString } from "./request.ts";

const SKEW_MS = 15 * 60 * 1000;

export interface IdentifyOptions {
  identity: IdentityProvider;
  clock: Clock;
  auth: "strict" | "off";
}

/** The parts of a request its signature covers. */
export interface SignedParts {
  method: string;
  rawPath: string;
  rawQuery: string;
  body: Buffer | undefined;
}

/** Who the request is from: its AK/SK signature or its token, checked (strict) or trusted (--auth off). */
export function authenticate(opts: IdentifyOptions, req: IncomingMessage, ctx: SignedParts): Principal | undefined {
const { identity, clock } = opts;
const strict = opts.auth === "strict";
  const authorization = req.headers.authorization;
  if (authorization) {
    if (/^[A-Z0-9]+-HMAC-SM3\b/.test(authorization)) {
      throw apigw.signatureAlgorithmNotImplemented(authorization.split(" ")[0]!);
    }
    const auth = parseAuthorization(authorization);
    if (!auth) throw apigw.authFailed("the Authorization header is malformed.");
    const record = identity.accessKey(auth.accessKey);
    if (!record) {
      if (!strict) return identity.defaultPrincipal();
      throw apigw.authFailed(`Get secretKey failed,ak:${auth.accessKey},err:ak not exist`);
    }
    if (strict) {
      const date = parseSdkDate(headerString(req.headers["x-sdk-date"]) ?? "");
      if (date === undefined) throw apigw.authFailed("verify aksk signature fail, X-Sdk-Date is missing or malformed.");
      if (Math.abs(clock.wallNow() - date) > SKEW_MS) {
        throw apigw.authFailed("verify aksk signature fail, X-Sdk-Date differs from the server's time by more than 15 minutes.");
      }
      const verdict = verifySignature(
        { method: ctx.method, rawPath: ctx.rawPath, rawQuery: ctx.rawQuery, headers: req.headers, body: ctx.body },
        auth,
        record.secret,
      );
      if (!verdict.ok) throw apigw.authFailed(`verify aksk signature fail, ak:${auth.accessKey}, ${verdict.reason}`);
      if (record.securityToken !== undefined && headerString(req.headers["x-security-token"]) !== record.securityToken) {
        throw apigw.authFailed(`verify aksk signature fail, the security token of ${auth.accessKey} is missing or wrong.`);
      }
    }
    if (record.refusal) throw apigw.authFailed(record.refusal);
    identity.touchAccessKey(auth.accessKey);
    return record.principal;
  }
  const token = headerString(req.headers["x-auth-token"]);
  if (token) {
    const looked = identity.token(token);
    if (looked.ok) return looked.principal;
    if (!strict) return identity.defaultPrincipal();
    if (looked.reason === "expired") throw apigw.tokenExpired();
    throw apigw.authFailed("decrypt token fail");
  }
  return undefined;
}

/**
 * Where the request acts. Up to three things name the project: the path's {project_id}, X-Project-Id and
 * a project-scoped token (or a temporary key issued from one); the domain likewise by {domain_id},
 * X-Domain-Id and the credential. When any two disagree the request is refused before anything is read.
 */
export function resolveScope(
identity: IdentityProvider,
req: IncomingMessage,
  service: BoundService,
  params: Record<string, string>,
  principal: Principal,
  hostRegion: string | undefined,
): Scope {
  const denied = (why: string) => service.errors.forbidden(why);
  const headerDomain = headerString(req.headers["x-domain-id"]);
  for (const domainId of [params.domain_id, headerDomain]) {
    if (domainId !== undefined && domainId !== principal.domainId) {
      throw denied(`The credential belongs to another domain than ${domainId}.`);
    }
  }
  const pathProject = params.project_id;
  const headerProject = headerString(req.headers["x-project-id"]);
  if (pathProject !== undefined && headerProject !== undefined && pathProject !== headerProject) {
    throw denied(`The path names the project ${pathProject} but X-Project-Id names ${headerProject}.`);
  }
  const projectId = pathProject ?? headerProject;
  if (projectId === undefined) {
    if (!service.global && principal.tokenProjectId) {
      const p = identity.project(principal.tokenProjectId);
      if (p && hostRegion !== undefined && hostRegion !== p.region) {
        throw denied(`The credential is scoped to the project ${p.id} in ${p.region}, not in ${hostRegion}.`);
      }
      return { principal, domainId: principal.domainId, projectId: p?.id, region: p?.region };
    }
    return { principal, domainId: principal.domainId, region: hostRegion };
  }
  const project = identity.project(projectId);
  if (!project || project.domainId !== principal.domainId) {
    throw denied(`The project ${projectId} does not belong to the caller's domain.`);
  }
  if (principal.tokenProjectId !== undefined && principal.tokenProjectId !== project.id) {
    throw denied(`The credential is scoped to another project than ${projectId}.`);
  }
  if (hostRegion !== undefined && !service.global && hostRegion !== project.region) {
    throw denied(`The project ${projectId} is in ${project.region}, not in ${hostRegion}.`);
  }
  return { principal, domainId: principal.domainId, projectId: project.id, region: project.region };
}
