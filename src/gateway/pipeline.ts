// THE request pipeline: every request to hwlocal passes these stages in this order (read this file first).
//
//   assignRequestId   X-Request-Id on every response, 32 lower-case hex
//   readRequest       method, path, query; the body up to the size limit (413 beyond it)
//   resolveService    Host, path prefix or unambiguous bare path → service (+ region); unknown → 404 APIGW.0101
//   matchOperation    method + path template → operation; an SDK operation hwlocal lacks → 501 naming it
//   authenticate      AK/SK signature | X-Auth-Token | anonymous where Huawei allows it
//   resolveScope      {domain_id}/{project_id}, X-Domain-Id/X-Project-Id and the credential's own scope must
//                     all agree → Scope; any disagreement or another tenant → 403 in the service's shape
//   authorize         a caller outside the admin group: IAM's fine-grained policies judge the operation's
//                     action (authorize.ts, actions.ts) → a denial in the service's code
//   invokeHandler     the operation parses its input (400 with the service's codes) and runs
//   render            JSON + headers; errors in the service's envelope, always with error_code/error_msg;
//                     written with the rest of the event-loop turn's answers (see flush)
//
// authenticate and resolveScope live in identify.ts. The gateway knows no service's internals: services come in as routing tables (bind.ts), identities
// through IdentityProvider.
import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { Duplex } from "node:stream";
import { ApiError, errorBody } from "../kernel/api-error.ts";
import { apigw } from "../kernel/apigw-errors.ts";
import type { Clock } from "../kernel/clock.ts";
import type { IdentityProvider, Principal } from "../kernel/identity.ts";
import type { Ids } from "../kernel/ids.ts";
import type { HttpMethod, OperationResult, RawInput, Scope, ServiceErrors } from "../kernel/service.ts";
import type { BoundService, RouteTarget } from "./bind.ts";
import { parseQuery, readBody } from "./request.ts";
import { ServiceResolver } from "./resolve-service.ts";
import type { StreamingCaller, StreamingHandler, StreamingRequest } from "../kernel/streaming.ts";
import type { Journal } from "../control/journal.ts";
import type { Faults } from "../control/faults.ts";
import { applyFault, CONSOLE_HEADER, DROPPED, record, sentHeaders, sleep, streamingFault } from "./observe.ts";
import { Authorizer, type PolicyMode, type PolicyNote } from "./authorize.ts";
import { authenticate, resolveScope } from "./identify.ts";

export interface GatewayOptions {
  services: BoundService[];
  identity: IdentityProvider;
  clock: Clock;
  ids: Ids;
  /** "off" accepts any well-formed credential without checking it. */
  auth: "strict" | "off";
  maxBodyBytes: number;
  /** Called with unexpected exceptions (bugs), which answer 500. */
  onError?: (err: unknown) => void;
  /** When set, one line per request (see log()). */
  logRequest?: (line: string) => void;
  /** Services offered each request first, before its body is read (OBS): see streaming.ts. */
  streaming?: StreamingHandler[];
  /** The request journal: every answered request but the control plane's (observe.ts). */
  journal?: Journal;
  /** Fault rules, consulted only while one exists (`active`). */
  faults?: Faults;
  /**
   * Fine-grained policies (--iam-policies): enforce them (a denial answers in the service's code), log what
   * they would deny, or skip them. Callers in their domain's admin group are never asked about.
   */
  policies?: PolicyMode;
  /** Where log mode writes what it would have denied. */
  policyLog?: (line: string) => void;
}

const MAX_URI = 32 * 1024;
const JSON_TYPE = "application/json;charset=UTF-8";
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]);

interface Ctx {
  requestId: string;
  /** Set only with --log-requests: the listener's start (latency) and the caller's address. */
  t0?: number;
  remote?: string;
  principal?: Principal;
  method: HttpMethod;
  rawPath: string;
  rawQuery: string;
  body: Buffer | undefined;
  service?: BoundService;
  target?: RouteTarget;
  /** A streaming service's operation, for the request log ("obs:PutObject"). */
  operation?: string;
  scope?: Scope;
  /** A streaming service's region (OBS has no project scope), for the journal. */
  region?: string;
  /** The fine-grained policy decision (callers outside the admin group), for the journal. */
  policy?: PolicyNote;
  /** The fault rule that shaped the answer. */
  fault?: string;
}

export class Gateway {
  private readonly resolver: ServiceResolver;
  /** --log-requests or the journal: requests are timed and observed when answered. */
  private readonly observed: boolean;
  /** The streaming services' names, for fault rules (the control plane's own streaming calls have none). */
  private readonly streamNames = new Map<StreamingHandler, string>();
  /** Fine-grained policies (authorize.ts); undefined when they are off. */
  private readonly authorizer: Authorizer | undefined;

  constructor(private readonly opts: GatewayOptions) {
    this.resolver = new ServiceResolver(opts.services);
    this.observed = opts.logRequest !== undefined || opts.journal !== undefined;
    this.authorizer = Authorizer.create(opts.identity, opts.policies ?? "enforce", opts.policyLog);
    for (const s of opts.services) if (s.stream) this.streamNames.set(s.stream, s.name);
  }

  /** The node:http request listener. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    // assignRequestId; readRequest's path and query, once, for the streaming services and the handlers
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const ctx: Ctx = {
      requestId: this.opts.ids.requestId(),
      method: "GET",
      rawPath: q < 0 ? url : url.slice(0, q),
      rawQuery: q < 0 ? "" : url.slice(q + 1),
      body: undefined,
    };
    if (this.observed) {
      ctx.t0 = performance.now();
      ctx.remote = req.socket?.remoteAddress; // "::ffff:" is stripped when shown
    }
    // classifyStreaming: a streaming service (OBS) takes its requests here, from their headers alone.
    const streaming = this.opts.streaming;
    if (streaming !== undefined && streaming.length > 0 && this.offer(req, res, ctx, streaming)) return;
    // Synchronous whenever the request has no body and the handler is synchronous: no promise hops.
    try {
      const result = this.handle(req, ctx);
      if (result instanceof Promise) {
        result.then(
          (r) => this.render(req, res, ctx, r),
          (err: unknown) => this.renderError(res, ctx, err),
        );
      } else this.render(req, res, ctx, result);
    } catch (err) {
      this.renderError(res, ctx, err);
    }
  };

  /**
   * Requests that Node's HTTP parser rejects (bad request line, conflicting Content-Length, …) never reach
   * the listener: answer them in Huawei's shape too, then close the connection.
   */
  readonly clientError = (err: Error & { code?: string }, socket: Duplex): void => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const requestId = this.opts.ids.requestId();
    const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
    const e = tooLarge ? apigw.headersTooLarge() : apigw.badRequest("The request is not valid HTTP.");
    const text = JSON.stringify(errorBody(e, requestId));
    socket.end(
      `HTTP/1.1 ${e.status} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
        `X-Request-Id: ${requestId}\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
        `Connection: close\r\n\r\n${text}`,
    );
  };

  /** Offers the request to the streaming services; true when one of them took it. */
  private offer(req: IncomingMessage, res: ServerResponse, ctx: Ctx, streaming: StreamingHandler[]): boolean {
    const { rawPath, rawQuery } = ctx;
    for (const s of streaming) {
      if (!s.claims(req, rawPath, rawQuery)) continue;
      ctx.method = (req.method ?? "GET").toUpperCase() as HttpMethod;
      const done = (status: number, operation: string | undefined, caller?: StreamingCaller) => {
        if (!this.observed) return;
        ctx.operation = operation;
        ctx.region = caller?.region;
        ctx.principal = caller?.principal;
        this.observe(ctx, req, status, sentHeaders(res), undefined, true);
      };
      const { identity, auth, faults } = this.opts;
      const authorizer = this.authorizer;
      const name = this.streamNames.get(s) ?? "";
      const r: StreamingRequest = { requestId: ctx.requestId, method: ctx.method, rawPath, rawQuery, done, identity, strict: auth === "strict" };
      if (authorizer !== undefined) r.authorize = (p, action, region) => authorizer.allows(ctx, p, name, action, region);
      if (faults === undefined || !faults.active || name === "") s.serve(req, res, r);
      else streamingFault(faults, name, ctx, req, res, () => s.serve(req, res, r), done);
      return true;
    }
    return false;
  }

  private handle(req: IncomingMessage, ctx: Ctx): OperationResult | Promise<OperationResult> {
    // readRequest
    if ((req.url ?? "/").length > MAX_URI) throw apigw.uriTooLarge();
    const method = (req.method ?? "GET").toUpperCase();
    if (!METHODS.has(method)) throw apigw.apiNotFound(`The method ${method} is not supported.`);
    ctx.method = method as HttpMethod;
    if (req.headers["content-length"] !== undefined || req.headers["transfer-encoding"] !== undefined) {
      return readBody(req, this.opts.maxBodyBytes).then((body) => {
        ctx.body = body;
        return this.dispatch(req, ctx);
      });
    }
    return this.dispatch(req, ctx);
  }

  private dispatch(req: IncomingMessage, ctx: Ctx): OperationResult | Promise<OperationResult> {
    // resolveService
    const resolved = this.resolver.resolve(req.headers.host, ctx.method, ctx.rawPath);
    if (!resolved) throw apigw.apiNotFound();
    const service = resolved.service;
    ctx.service = service;

    // matchOperation
    const match = service.router.match(ctx.method, resolved.path);
    if (match.kind === "none") throw apigw.apiNotFound();
    if (match.kind === "method-mismatch") throw apigw.apiNotFound(`${ctx.method} is not one of ${match.allowed.join(", ")}.`);
    const target = match.value;
    ctx.target = target;
    if (!target.invoke) throw apigw.notImplemented(service.name, target.meta.name);

    // authenticate
    const principal = target.meta.auth === "none" ? undefined : authenticate(this.opts, req, ctx);
    ctx.principal = principal;
    if (!principal && target.meta.auth === "required") {
      throw apigw.authFailed("the request has neither an Authorization header nor an X-Auth-Token.");
    }

    // resolveScope
    const scope = principal && resolveScope(this.opts.identity, req, service, match.params, principal, resolved.region);
    ctx.scope = scope;
    if (target.meta.adminOnly && !scope?.principal.isAdmin) {
      throw service.errors.forbidden("Only members of the admin group may call this API.");
    }

    // authorize: fine-grained policies, for callers outside the admin group (authorize() below)
    if (scope !== undefined) this.authorizer?.check(ctx, service, target.meta, match.params, scope);

    // faults (control/faults.ts): a rule's error or drop is thrown, its latency waited before the handler
    const faults = this.opts.faults;
    let delayMs = 0;
    if (faults !== undefined && faults.active && !service.internal && req.headers[CONSOLE_HEADER] === undefined) {
      const rule = faults.match({ service: service.name, operation: target.meta.name, region: scope?.region ?? resolved.region, projectId: scope?.projectId, rawPath: ctx.rawPath });
      if (rule) delayMs = applyFault(rule, ctx, target.meta.errorShape ?? service.errors.shape);
    }

    // invokeHandler
    const host = req.headers.host ?? "127.0.0.1";
    const endpoint = `http://${host}`;
    const raw: RawInput = {
      path: match.params,
      query: parseQuery(ctx.rawQuery),
      headers: req.headers,
      body: ctx.body,
    };
    // One context object for the whole request, in a fixed shape; bind.ts fills svc and the operation input.
    const hctx = {
      scope,
      svc: undefined,
      input: undefined,
      clock: this.opts.clock,
      ids: this.opts.ids,
      request: { endpoint, serviceBase: `${endpoint}${resolved.prefix}`, region: resolved.region, requestId: ctx.requestId },
    };
    const invoke = target.invoke;
    if (delayMs > 0) return sleep(delayMs).then(() => invoke(hctx, raw));
    return invoke(hctx, raw);
  }

  /** The request log and the journal, once the answer is known. */
  private observe(
    ctx: Ctx,
    req: IncomingMessage,
    status: number,
    headers: Record<string, string | string[] | number | undefined> | undefined,
    text: string | undefined,
    streamed: boolean,
  ): void {
    if (this.opts.logRequest) this.log(ctx, status);
    if (this.opts.journal) record(this.opts.journal, this.opts.clock, ctx, req.headers, status, headers, text, streamed);
  }

  /** --log-requests: wall time, caller's address, method, path, status, operation, latency, caller, request id. */
  private log(ctx: Ctx, status: number): void {
    const p = ctx.principal;
    const caller = p ? `${p.userName}@${p.domainName}/${p.via}${p.accessKey ? `:${p.accessKey}` : ""}` : "-";
    const op = ctx.target ? `${ctx.service?.name}:${ctx.target.meta.name}` : (ctx.operation ?? "-");
    const ms = ctx.t0 === undefined ? "-" : `${(performance.now() - ctx.t0).toFixed(1)}ms`;
    const time = new Date(this.opts.clock.wallNow()).toISOString();
    this.opts.logRequest?.(`${time} ${ctx.remote?.replace(/^::ffff:/, "") ?? "-"} ${ctx.method} ${ctx.rawPath} ${status} ${op} ${ms} ${caller} ${ctx.requestId}`);
  }

  /**
   * Responses are written together once the current I/O phase has handled every request it read: under
   * concurrent load the client is then woken once per batch instead of once per response, and waking a
   * sleeping peer was the largest single cost of a request on a small VM (measured with a bare server
   * doing 30 µs of work a request: +15–20% throughput, -15% CPU a request). An idle server's answer waits
   * for nothing but the end of its own event-loop turn.
   */
  private pending: [ServerResponse, number, Record<string, string>, string | undefined][] = [];

  private readonly flush = (): void => {
    const batch = this.pending;
    this.pending = [];
    for (const [res, status, headers, text] of batch) {
      try {
        res.writeHead(status, headers);
        res.end(text);
      } catch {
        res.destroy(); // the client went away meanwhile
      }
    }
  };

  private send(res: ServerResponse, status: number, headers: Record<string, string>, text: string | undefined): void {
    if (this.pending.length === 0) setImmediate(this.flush);
    this.pending.push([res, status, headers, text]);
  }

  private render(req: IncomingMessage, res: ServerResponse, ctx: Ctx, result: OperationResult): void {
    if (result.takeover !== undefined) {
      result.takeover(res);
      return;
    }
    const status = result.status ?? 200;
    const headers: Record<string, string> = result.headers
      ? { "X-Request-Id": ctx.requestId, ...result.headers }
      : { "X-Request-Id": ctx.requestId };
    if ((result.body === undefined && result.json === undefined) || status === 204 || status === 304) {
      if (this.observed) this.observe(ctx, req, status, headers, undefined, false);
      this.send(res, status, headers, undefined);
      return;
    }
    const text = result.json ?? JSON.stringify(result.body);
    headers["Content-Type"] = JSON_TYPE;
    headers["Content-Length"] = String(Buffer.byteLength(text));
    if (this.observed) this.observe(ctx, req, status, headers, text, false);
    this.send(res, status, headers, ctx.method === "HEAD" || req.method === "HEAD" ? undefined : text);
  }

  private renderError(res: ServerResponse, ctx: Ctx, thrown: unknown): void {
    if (thrown === DROPPED) {
      if (this.observed) this.observe(ctx, res.req, 0, undefined, undefined, false);
      res.destroy();
      return;
    }
    let err: ApiError;
    if (thrown instanceof ApiError) err = this.reshape(thrown, ctx);
    else {
      this.opts.onError?.(thrown);
      err = apigw.internal();
    }
    if (res.headersSent) {
      if (this.observed) this.observe(ctx, res.req, err.status, undefined, undefined, false);
      res.destroy();
      return;
    }
    const text = ctx.method === "HEAD" ? "" : JSON.stringify(errorBody(err, ctx.requestId));
    const headers = {
      ...err.headers,
      "X-Request-Id": ctx.requestId,
      "Content-Type": JSON_TYPE,
      "Content-Length": String(Buffer.byteLength(text)),
      ...(err.status === 413 ? { Connection: "close" } : {}),
    };
    if (this.observed) this.observe(ctx, res.req, err.status, headers, text, false);
    this.send(res, err.status, headers, text);
  }

  /** Errors of an operation whose envelope differs from its service's (IAM /v3.0) take the operation's. */
  private reshape(err: ApiError, ctx: Ctx): ApiError {
    const shape = ctx.target?.meta.errorShape;
    const serviceShape: ServiceErrors["shape"] | undefined = ctx.service?.errors.shape;
    if (!shape || err.shape !== serviceShape || shape === err.shape) return err;
    return new ApiError({ status: err.status, code: err.code, message: err.message, shape, headers: err.headers });
  }
}
