// Turns service definitions into routing tables. Each service's table holds its implemented operations and,
// from the official SDK's operation list, every operation it lacks, so that those answer 501 with their
// name instead of a generic 404.
import { isHttpMethod, loadCatalogue, routeKey, type CatalogueEntry } from "../kernel/catalogue.ts";
import type {
  HandlerContext,
  OperationMeta,
  OperationResult,
  RawInput,
  Runtime,
  ServiceDefinition,
  Ticker,
  ServiceErrors,
} from "../kernel/service.ts";
import type { IdentityProvider } from "../kernel/identity.ts";
import { Router } from "./router.ts";
import type { StreamingHandler } from "../kernel/streaming.ts";

export interface RouteTarget {
  meta: OperationMeta;
  /** undefined: the official SDK has this operation, hwlocal does not implement it yet. */
  /** Fills ctx.svc with the service's context and runs the operation (ctx is the request's, filled in place). */
  invoke?: (ctx: HandlerContext<unknown, unknown>, raw: RawInput) => OperationResult | Promise<OperationResult>;
}

export interface BoundService {
  name: string;
  catalogType: string;
  global: boolean;
  internal: boolean;
  /** false for services known only from an SDK's operation list. */
  served: boolean;
  /** false until a served service starts (engine/service-host.ts: services start when first used). */
  readonly started: boolean;
  errors: ServiceErrors;
  router: Router<RouteTarget>;
  implemented: OperationMeta[];
  sdkOperations: CatalogueEntry[];
  /** SDK operations that an implemented operation answers (same method and path shape, or by name for a streaming service). */
  sdkCovered: CatalogueEntry[];
  /** A streaming service's implemented operations, by name (ServiceDefinition.streamOperations). */
  streamOperations: readonly string[];
  seed(rt: Runtime): void;
  afterReset(): void;
  identity?: IdentityProvider;
  tickers: Record<string, Ticker>;
  api?: unknown;
  stream?: StreamingHandler;
}

function addCatalogue(router: Router<RouteTarget>, files: string[]) {
  const entries = files.flatMap((f) => loadCatalogue(f));
  for (const e of entries) {
    if (!isHttpMethod(e.method)) continue;
    router.add(e.method, e.path, {
      meta: { name: e.name, method: e.method, path: e.path, auth: "required", adminOnly: false, errorShape: undefined },
    });
  }
  return entries;
}

export function bindService<S>(def: ServiceDefinition<S>, rt: Runtime): BoundService {
  const svc = def.init(rt);
  const router = new Router<RouteTarget>();
  for (const op of def.operations) {
    const invoke = (ctx: HandlerContext<unknown, unknown>, raw: RawInput) => {
      const own = ctx as HandlerContext<S, unknown>;
      own.svc = svc;
      return op.run(own, raw);
    };
    const added = router.add(op.method, op.path, { meta: op, invoke });
    if (!added) throw new Error(`${def.name}: two operations answer ${op.method} ${op.path}`);
  }
  // A streaming service answers its own requests (and names what it lacks itself): its lists are counted
  // by name against the operations it reports, not routed.
  const streaming = def.stream !== undefined;
  if (!streaming) router.addLater(() => addCatalogue(router, def.sdkCatalogues));
  const streamOperations = def.streamOperations ?? [];
  let sdk: { operations: CatalogueEntry[]; covered: CatalogueEntry[] } | undefined;
  // The catalogues are read when first asked for (a match, health, coverage), not at start.
  const catalogued = () => {
    if (sdk) return sdk;
    const operations = def.sdkCatalogues.flatMap((f) => loadCatalogue(f));
    const implementedKeys = new Set(def.operations.map((o) => routeKey(o.method, o.path)));
    const streamNames = new Set(streamOperations);
    const covered = operations.filter((e) => (streaming ? streamNames.has(e.name) : implementedKeys.has(routeKey(e.method, e.path))));
    return (sdk = { operations, covered });
  };
  return {
    name: def.name,
    catalogType: def.catalogType,
    global: def.global,
    internal: def.internal ?? false,
    served: true,
    started: true,
    errors: def.errors,
    router,
    implemented: def.operations,
    get sdkOperations() {
      return catalogued().operations;
    },
    get sdkCovered() {
      return catalogued().covered;
    },
    streamOperations,
    seed: (r) => def.seed?.(svc, r),
    afterReset: () => def.afterReset?.(svc),
    identity: def.identity?.(svc),
    tickers: def.tickers?.(svc) ?? {},
    api: def.api?.(svc),
    stream: def.stream?.(svc),
  };
}

/** A service hwlocal does not serve yet but whose SDK operation list it knows: every call is a named 501. */
export function bindCatalogueOnly(opts: {
  name: string;
  catalogType: string;
  global: boolean;
  files: string[];
  errors: ServiceErrors;
}): BoundService {
  const router = new Router<RouteTarget>();
  const sdkOperations = addCatalogue(router, opts.files);
  return {
    name: opts.name,
    catalogType: opts.catalogType,
    global: opts.global,
    internal: false,
    served: false,
    started: true,
    errors: opts.errors,
    router,
    implemented: [],
    sdkOperations,
    sdkCovered: [],
    streamOperations: [],
    seed: () => {},
    afterReset: () => {},
    tickers: {},
  };
}
