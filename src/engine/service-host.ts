// Services start when first used, as LocalStack's do: hwlocal listens at once, and a service's code is
// evaluated, its tables made, its routes bound and its tickers registered on the first thing that needs it
// (a request routed to it, another service's rt.api call, the identity lookups of a signed request for IAM).
// A cold start thus pays for the gateway and the control plane only; each service's first call pays for
// that service (a few ms; `npm run bench` shows both).
//
// What starts a service early:
// - a database that already holds its tables (a data folder from an earlier run, `--state`): it starts with
//   hwlocal, so that its tickers and job runners carry on with its state;
// - whole-state operations (reset, checkpoints, export, import): they start every service first, so that a
//   snapshot holds every table and restores into the same migrations;
// - a service that uses it (ServiceManifest.uses: the services one calls start with it, outside any of its
//   transactions);
// - a service it follows (ServiceManifest.follows): Cloud Eye starts with ECS, AS and ELB, whose metrics it
//   collects each minute of the clock whether or not anyone asks it;
// - `--eager-services` (HWLOCAL_EAGER_SERVICES=1), for who prefers the whole cost up front.
// A service that has not started has no rows anywhere, which is why its absence changes no answer.
//
// Seeding: a service with a seed (IAM: the default account) writes it when it starts on tables that have
// never been seeded (_meta "seeded:<name>", in the seed's own transaction), and again after every reset.
// Databases of versions that seeded everything at the first start carry "seeded" instead.
import type { Database } from "better-sqlite3";
import { bindService, type BoundService } from "../gateway/bind.ts";
import type { IdentityProvider } from "../kernel/identity.ts";
import type { Runtime, ServiceManifest } from "../kernel/service.ts";
import type { StreamingHandler } from "../kernel/streaming.ts";
import { getMeta, migrate, setMeta } from "../store/database.ts";
import type { Engine } from "./engine.ts";

export class ServiceHost {
  /** Every served service, in the registry's order; each starts when one of its heavier fields is read. */
  readonly services: BoundService[];
  private readonly started = new Map<string, BoundService>();
  private readonly manifests: Map<string, ServiceManifest>;

  constructor(
    manifests: readonly ServiceManifest[],
    private readonly o: { db: Database; rt: Runtime; engine: Engine },
  ) {
    this.manifests = new Map(manifests.map((m) => [m.name, m]));
    this.services = manifests.map((m) => this.lazy(m));
  }

  has(name: string): boolean {
    return this.manifests.has(name);
  }

  isStarted(name: string): boolean {
    return this.started.has(name);
  }

  /** The service, started if it was not. */
  start(name: string): BoundService {
    const done = this.started.get(name);
    if (done) return done;
    const m = this.manifests.get(name);
    if (!m) throw new Error(`no service is named ${name}`);
    const def = m.load();
    if (def.name !== m.name || def.catalogType !== m.catalogType || def.global !== m.global) {
      throw new Error(`services/index.ts: the entry of ${m.name} disagrees with its definition (name, catalogType or global)`);
    }
    const { db, rt, engine } = this.o;
    migrate(db, def.name, def.migrations);
    const bound = bindService(def, rt);
    this.started.set(name, bound);
    if (def.seed !== undefined && getMeta(db, `seeded:${name}`) !== "1" && getMeta(db, "seeded") !== "1") this.seed([bound]);
    for (const [ticker, run] of Object.entries(bound.tickers)) engine.register(`${name}.${ticker}`, run);
    if (Object.keys(bound.tickers).length > 0) engine.wake();
    for (const u of m.uses ?? []) this.start(u);
    for (const f of this.manifests.values()) if (f.follows?.includes(name)) this.start(f.name);
    return bound;
  }

  startAll(): void {
    for (const name of this.manifests.keys()) this.start(name);
  }

  /** Starts the services whose tables this database already has (a data folder's, an imported state's). */
  startExisting(): void {
    const owners = new Set(
      this.o.db
        .prepare("SELECT DISTINCT service FROM _migrations")
        .pluck()
        .all()
        .filter((v): v is string => typeof v === "string"),
    );
    for (const name of this.manifests.keys()) if (owners.has(name)) this.start(name);
  }

  /** Writes the seeds of these started services (all of them when not given), in one transaction. */
  seed(services: BoundService[] = [...this.started.values()]): void {
    const { db, rt } = this.o;
    db.transaction(() => {
      for (const s of services) {
        s.seed(rt);
        setMeta(db, `seeded:${s.name}`, "1");
      }
    })();
  }

  afterReset(except?: string): void {
    for (const s of this.started.values()) if (s.name !== except) s.afterReset();
  }

  /** The identity lookups of the service that owns identities, which starts on the first lookup. */
  identity(): IdentityProvider {
    const m = [...this.manifests.values()].find((x) => x.identity);
    if (!m) throw new Error("no service provides identities");
    return lazyIdentity(() => {
      const id = this.start(m.name).identity;
      if (!id) throw new Error(`${m.name} provides no identities`);
      return id;
    });
  }

  private lazy(m: ServiceManifest): BoundService {
    const start = () => this.start(m.name);
    const started = () => this.started.get(m.name);
    const claims = m.claims;
    // A streaming service's handler: its classifier runs without starting it; serving starts it.
    const stream: StreamingHandler | undefined = claims && {
      claims: (req, rawPath, rawQuery) => {
        const s = started()?.stream;
        return s ? s.claims(req, rawPath, rawQuery) : claims(req, rawPath, rawQuery);
      },
      serve: (req, res, r) => start().stream!.serve(req, res, r),
    };
    return {
      name: m.name,
      catalogType: m.catalogType,
      global: m.global,
      internal: false,
      served: true,
      get started() {
        return started() !== undefined;
      },
      get errors() {
        return start().errors;
      },
      get router() {
        return start().router;
      },
      get implemented() {
        return start().implemented;
      },
      get sdkOperations() {
        return start().sdkOperations;
      },
      get sdkCovered() {
        return start().sdkCovered;
      },
      get streamOperations() {
        return start().streamOperations;
      },
      seed: (rt) => start().seed(rt),
      afterReset: () => started()?.afterReset(),
      get identity() {
        return start().identity;
      },
      get tickers() {
        return start().tickers;
      },
      get api() {
        return start().api;
      },
      stream,
    };
  }
}

/** An IdentityProvider whose target is made on the first lookup. */
function lazyIdentity(target: () => IdentityProvider): IdentityProvider {
  let t: IdentityProvider | undefined;
  const get = () => (t ??= target());
  return {
    authorize: (principal, request) => {
      const id = get();
      return id.authorize ? id.authorize(principal, request) : { allowed: true, by: "no policies are evaluated" };
    },
    accessKey: (ak) => get().accessKey(ak),
    token: (token) => get().token(token),
    project: (projectId) => get().project(projectId),
    defaultPrincipal: () => get().defaultPrincipal(),
    touchAccessKey: (ak) => get().touchAccessKey(ak),
  };
}
