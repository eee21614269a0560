// Services and operations as data (ARCHITECTURE.md, "Operations are data"). A service lists its operations;
// the router, the coverage report and the "not implemented" answers are all derived from these lists.
import type { Database } from "better-sqlite3";
import type { ServerResponse } from "node:http";
import type { z } from "./zod.ts";
import type { ApiError, ErrorShape } from "./api-error.ts";
import type { Clock } from "./clock.ts";
import type { Ids } from "./ids.ts";
import type { IdentityProvider, Principal } from "./identity.ts";
import type { JobsApi } from "./jobs.ts";
import type { StreamingHandler } from "./streaming.ts";

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Where a request acts: the caller, its domain, and (for project-level calls) the project and region. */
export interface Scope {
  principal: Principal;
  domainId: string;
  projectId?: string;
  region?: string;
}

/**
 * Timed work a service hands the engine: called with the clock's time, it does what is due and returns
 * true when it did something (the engine then asks again, as finished work may make more work due).
 */
export type Ticker = (now: number) => boolean | Promise<boolean>;

/** What the gateway hands every handler besides its parsed input. */
export interface RequestInfo {
  /** hwlocal's public base URL as the caller reached it, e.g. http://127.0.0.1:4577 */
  endpoint: string;
  /** The base URL under which the caller reached this service (endpoint + "/iam" for a path prefix). */
  serviceBase: string;
  /** Region named by the Host header, if any. */
  region?: string;
  requestId: string;
}

/** The well-known default account every fresh hwlocal starts with (overridable by a seed file). */
export interface SeedAccount {
  domain: { id: string; name: string };
  user: { id: string; name: string; password: string };
  accessKey: { ak: string; sk: string };
  regions: { id: string; projectId: string }[];
  /** Further accounts (tenants) to create beside the default one, e.g. to test isolation. */
  tenants?: SeedAccount[];
}

export interface Settings {
  seed: SeedAccount;
  tokenTtlSeconds: number;
  /** Seconds of hwlocal's clock a server takes to boot, stop, start or reboot (0: at once). */
  serverBootSeconds: number;
  /** ECS instance quota per project; cores and RAM quotas scale with it (4 vCPUs, 16 GiB a server). */
  ecsMaxServers: number;
  /** The data folder (OBS keeps object bytes under it) and whether state is thrown away at exit. */
  dataDir: string;
  inMemory: boolean;
  /** OBS: refuse aws-chunked uploads as OBS does, or decode them (--obs-aws-chunked). */
  obsAwsChunked: "refuse" | "accept";
}

/** A service hwlocal serves, as token catalogs and `hwlocal env` list it. */
export interface CatalogService {
  name: string;
  type: string;
  global: boolean;
}

/**
 * What services offer each other, by service name. Each service that offers something adds itself by
 * module augmentation, next to its api.ts:
 *   declare module "../../kernel/service.ts" { interface ServiceApis { vpc: VpcApi } }
 * and returns that object from its definition's `api`. Another service reads it with `rt.api("vpc")`,
 * typed, and never touches the other service's tables.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ServiceApis {}

export interface Runtime {
  db: Database;
  clock: Clock;
  ids: Ids;
  settings: Settings;
  catalog: () => CatalogService[];
  /** The engine's persistent jobs (ECS/EVS/IMS job_id). Register runners in init. */
  jobs: JobsApi;
  /** Another service's API, which starts it if it has not started. Call it from handlers and tickers, not from init. */
  api<K extends keyof ServiceApis>(name: K): ServiceApis[K];
  /**
   * Another service's API if it has started, else undefined: a service that has not started has no
   * resources. For readers that must not start services for nothing (Cloud Eye's collection each minute).
   */
  running<K extends keyof ServiceApis>(name: K): ServiceApis[K] | undefined;
}

export interface HandlerContext<S, I> {
  input: I;
  /** undefined only for operations that allow anonymous calls and got none. */
  scope: Scope | undefined;
  svc: S;
  clock: Clock;
  ids: Ids;
  request: RequestInfo;
}

export interface OperationResult {
  status?: number;
  body?: unknown;
  /**
   * The body as JSON text, instead of `body`: for large answers whose constant parts a handler keeps
   * serialized (a token's catalog), so that they are not serialized again on every request.
   */
  json?: string;
  headers?: Record<string, string>;
  /** Instead of a body: the gateway hands the response over as it is (the control plane's SSE streams). */
  takeover?: (res: ServerResponse) => void;
}

/** The raw input the gateway collected, before the operation's schemas parse it. */
export interface RawInput {
  path: Record<string, string>;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  /** undefined when the request had no body. */
  body: Buffer | undefined;
}

export type AuthMode =
  /** a valid credential is required (the default). */
  | "required"
  /** a credential is checked when present, but anonymous calls are allowed (POST /v3/auth/tokens). */
  | "optional"
  /** no credential is looked at (version documents). */
  | "none";

export interface OperationMeta {
  /** Huawei's operationId, verbatim. */
  name: string;
  method: HttpMethod;
  /** Path template with {param} segments, without any service prefix. */
  path: string;
  auth: AuthMode;
  /** Only members of the domain's admin group may call it. */
  adminOnly: boolean;
  /** The envelope of this operation's errors when it differs from its service's (IAM /v3.0 APIs). */
  errorShape: ErrorShape | undefined;
}

export interface Operation<S> extends OperationMeta {
  /**
   * Parses `raw` into `ctx.input` and runs the handler. The gateway builds one context per request and each
   * stage fills its part in place (svc, then input) instead of copying it: copies show on the hot path.
   * Synchronous unless the handler is: most are, and skipping promises is measurable there too.
   */
  run(ctx: HandlerContext<S, unknown>, raw: RawInput): OperationResult | Promise<OperationResult>;
}

/** A service's error catalogue entries that the generic machinery needs. */
export interface ServiceErrors {
  shape: ErrorShape;
  /** The body is not JSON, or JSON of the wrong form. */
  invalidBody(detail: string): ApiError;
  /** A query parameter or header is missing or malformed. */
  invalidParameter(detail: string): ApiError;
  /** The caller may not do this (wrong domain or project, not an admin). */
  forbidden(detail: string): ApiError;
}

export interface ServiceDefinition<S> {
  /** Host label and path prefix: "iam" serves iam.<region>.myhuaweicloud.com and /iam/… */
  name: string;
  /** Token catalog "type" (identity, compute, network, …). */
  catalogType: string;
  /** Global services (IAM) have no region in their scope. */
  global: boolean;
  /** The official SDK operation lists (files in catalogue/) this service is measured against. */
  sdkCatalogues: string[];
  errors: ServiceErrors;
  /** SQL applied once each, in order; append only. */
  migrations: readonly string[];
  init(rt: Runtime): S;
  /** Writes the seed state into empty tables: on first start and after POST /_hwlocal/reset. */
  seed?(svc: S, rt: Runtime): void;
  /** What this service offers other services (see ServiceApis). */
  api?(svc: S): ServiceApis[keyof ServiceApis];
  /** Timed work for the engine, by name. */
  tickers?(svc: S): Record<string, Ticker>;
  /** The service that owns identities (IAM) hands the gateway its lookups. */
  identity?(svc: S): IdentityProvider;
  /** Drops in-memory caches after a reset. */
  afterReset?(svc: S): void;
  /** A streaming service's raw request handler (OBS), offered each request before its body is read. */
  stream?(svc: S): StreamingHandler;
  /**
   * The operations a streaming service answers, by name (it has no `operations` to count): health and
   * coverage count these, and match them by name against its lists in sdkCatalogues, which are not routed.
   */
  streamOperations?: readonly string[];
  /** hwlocal's own control plane: served under its prefix, left out of catalogs and coverage. */
  internal?: boolean;
  operations: Operation<S>[];
}

/**
 * A served service before it starts (services/index.ts): what the gateway needs to route to it, and its
 * definition, loaded when it is first used (engine/service-host.ts). The fields repeat the definition's;
 * starting a service whose entry disagrees with its definition fails.
 */
export interface ServiceManifest {
  name: string;
  catalogType: string;
  global: boolean;
  /** The service that owns identities (IAM): the gateway's identity lookups start it. */
  identity?: boolean;
  /**
   * Services this one calls through rt.api (or whose tables it shares: eip's are vpc's). They start with it,
   * when its first request is routed, so that none starts inside one of its transactions: a rollback would
   * take the new tables away from under a started service. test/service-start.test.ts checks the list.
   */
  uses?: string[];
  /** Services whose start starts this one too (Cloud Eye collects their metrics each minute of the clock). */
  follows?: string[];
  /** A streaming service's classifier, run on every request without starting it (ServiceDefinition.stream). */
  claims?: StreamingHandler["claims"];
  load(): ServiceDefinition<unknown>;
}

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface OperationSpec<S, Q, B, H> {
  name: string;
  method: HttpMethod;
  path: string;
  auth?: AuthMode;
  adminOnly?: boolean;
  errorShape?: ErrorShape;
  query?: Q;
  body?: B;
  headers?: H;
  handle(
    ctx: HandlerContext<S, { path: Record<string, string>; query: Infer<Q>; body: Infer<B>; headers: Infer<H> }>,
  ): OperationResult | Promise<OperationResult>;
}

export function defineService<S>(def: ServiceDefinition<S>): ServiceDefinition<S> {
  return def;
}

function zodDetail(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return "invalid input";
  const where = issue.path.length ? issue.path.join(".") : "(root)";
  return `${where}: ${issue.message}`;
}

/**
 * Returns the operation builder for a service whose handlers receive `S` as ctx.svc. Each operation parses
 * its query, headers and body with its own schemas and fails with the service's own 400s.
 */
export function operationsFor<S>(errors: ServiceErrors) {
  return function defineOperation<
    Q extends z.ZodType | undefined = undefined,
    B extends z.ZodType | undefined = undefined,
    H extends z.ZodType | undefined = undefined,
  >(spec: OperationSpec<S, Q, B, H>): Operation<S> {
    const parse = (schema: z.ZodType | undefined, value: unknown, fail: (d: string) => ApiError): unknown => {
      if (!schema) return undefined;
      const r = schema.safeParse(value);
      if (!r.success) throw fail(zodDetail(r.error));
      return r.data;
    };
    return {
      name: spec.name,
      method: spec.method,
      path: spec.path,
      auth: spec.auth ?? "required",
      adminOnly: spec.adminOnly ?? false,
      errorShape: spec.errorShape,
      run(ctx, raw) {
        const query = parse(spec.query, raw.query, errors.invalidParameter);
        const headers = parse(spec.headers, raw.headers, errors.invalidParameter);
        let body: unknown = undefined;
        if (spec.body) {
          let json: unknown;
          const text = raw.body?.toString("utf8") ?? "";
          if (text.trim() === "") json = undefined;
          else {
            try {
              json = JSON.parse(text);
            } catch {
              throw errors.invalidBody("The request body is not valid JSON.");
            }
          }
          body = parse(spec.body, json, errors.invalidBody);
        }
        const typed = ctx as HandlerContext<S, { path: Record<string, string>; query: Infer<Q>; body: Infer<B>; headers: Infer<H> }>;
        typed.input = { path: raw.path, query: query as Infer<Q>, body: body as Infer<B>, headers: headers as Infer<H> };
        return spec.handle(typed);
      },
    };
  };
}
