// Composition root: config → database → services → engine → gateway → server.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import type { Database } from "better-sqlite3";
import type { Config } from "./config.ts";
import { controlService } from "./control/service.ts";
import { Journal } from "./control/journal.ts";
import { Faults } from "./control/faults.ts";
import { observeOperations } from "./control/observe.ts";
import { StateManager } from "./control/state/checkpoints.ts";
import { stateOperations } from "./control/state/operations.ts";
import { stateStreamingHandler } from "./control/state/stream.ts";
import { runInit, type InitReport } from "./control/init.ts";
import { Engine } from "./engine/engine.ts";
import { JOB_MIGRATIONS, Jobs } from "./engine/jobs.ts";
import { ServiceHost } from "./engine/service-host.ts";
import { bindCatalogueOnly, bindService, type BoundService } from "./gateway/bind.ts";
import { Gateway } from "./gateway/pipeline.ts";
import { SystemClock, type Clock } from "./kernel/clock.ts";
import { PACKAGE_ROOT } from "./kernel/package-root.ts";
import { randomIds, type Ids } from "./kernel/ids.ts";
import type { Runtime, SeedAccount, ServiceApis } from "./kernel/service.ts";
import { clearAllTables, getMeta, migrate, openDatabase, setMeta } from "./store/database.ts";
import { removeOwner, writeOwner } from "./store/lock.ts";
import { KNOWN_ONLY, SERVICES } from "./services/index.ts";
import { buildSeed, readSeedFile } from "./services/iam/seed.ts";

export const VERSION: string = (
  JSON.parse(readFileSync(new URL("package.json", PACKAGE_ROOT), "utf8")) as { version: string }
).version;

export interface Hwlocal {
  /** e.g. http://127.0.0.1:4577 */
  url: string;
  port: number;
  seed: SeedAccount;
  clock: Clock;
  engine: Engine;
  db: Database;
  services: BoundService[];
  /** Starts a service as its first use would (services start when first used: engine/service-host.ts). */
  startService(name: string): BoundService;
  gateway: Gateway;
  /** The request journal (undefined with --journal-size 0) and the fault rules. */
  journal: Journal | undefined;
  faults: Faults;
  close(): Promise<void>;
}

export interface StartDeps {
  clock?: Clock;
  ids?: Ids;
  log?: (line: string) => void;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function startHwlocal(config: Config, deps: StartDeps = {}): Promise<Hwlocal> {
  const log = deps.log ?? (() => {});
  const db = openDatabase({ dataDir: config.dataDir, inMemory: config.inMemory });
  const clock = deps.clock ?? new SystemClock();
  clock.setOffsetMs(Number(getMeta(db, "clock_offset_ms") ?? 0));
  const ids = deps.ids ?? randomIds;
  const seed = config.seedFile ? readSeedFile(config.seedFile) : buildSeed();

  // A fresh state: neither this version ("created") nor an earlier one ("seeded") has started on it.
  const fresh = getMeta(db, "created") !== "1" && getMeta(db, "seeded") !== "1" && config.stateFile === undefined;
  migrate(db, "engine", JOB_MIGRATIONS);
  const engine = new Engine(clock, config.tickSeconds * 1000);
  const jobs = new Jobs(db, clock, ids, () => engine.wake());
  const journal = config.journalSize > 0 ? new Journal(config.journalSize) : undefined;
  const faults = new Faults(ids);
  jobs.fault = (job) => faults.forJob(job);
  engine.register("jobs", (now) => jobs.tick(now));
  let bound: BoundService[] = [];
  const rt: Runtime = {
    db,
    clock,
    ids,
    settings: { seed, tokenTtlSeconds: config.tokenTtlSeconds, serverBootSeconds: config.bootDelaySeconds,
      ecsMaxServers: config.ecsMaxServers,
      dataDir: config.dataDir,
      inMemory: config.inMemory,
      obsAwsChunked: config.obsAwsChunked,
    },
    jobs,
    catalog: () =>
      bound.filter((s) => s.served && !s.internal).map((s) => ({ name: s.name, type: s.catalogType, global: s.global })),
    api: (name) => {
      const api = host.has(name) ? host.start(name).api : undefined;
      if (api === undefined) throw new Error(`no service offers the ${String(name)} API`);
      return api as ServiceApis[typeof name];
    },
    running: (name) => (host.isStarted(name) ? rt.api(name) : undefined),
  };
  // Services start when first used (engine/service-host.ts), except those whose tables this database has.
  const host = new ServiceHost(SERVICES, { db, rt, engine });
  const served = host.services;
  const known = KNOWN_ONLY.map((k) => bindCatalogueOnly(k));

  // Checkpoints, export/import (control/state/); --init runs only on the state this start creates. Every
  // whole-state operation starts every service first: a snapshot holds all tables, a restore finds them.
  const state = new StateManager({ db, dataDir: config.dataDir, inMemory: config.inMemory, clock, ids, version: VERSION,
    prepare: () => host.startAll(),
    blobDir: () => (host.has("obs") ? rt.api("obs").blobDir : undefined),
    quiesce: () => engine.drain(),
    reload: () => {
      clock.setOffsetMs(Number(getMeta(db, "clock_offset_ms") ?? 0));
      // As after a reset, the services' caches go; but Cloud Eye's afterReset forgets which built-in metric
      // minutes it wrote (right after a reset emptied them), and after a restore it would write them again:
      // its mark stays, as when the clock is moved back.
      host.afterReset("ces");
      engine.wake();
    },
  });
  const initReport: InitReport = { status: "none", files: [] };
  if (config.stateFile) {
    await state.importFile(config.stateFile).catch((err: unknown) => {
      state.close();
      db.close();
      throw err;
    });
  }

  if (config.eagerServices) host.startAll();
  else host.startExisting();
  if (fresh) setMeta(db, "created", "1");

  /** Sets and persists the clock's offset, then runs what became due (nothing, when it moved back). */
  const moveClock = async (offsetMs: number) => {
    clock.setOffsetMs(offsetMs);
    setMeta(db, "clock_offset_ms", String(offsetMs));
    await engine.drain();
  };
  let endpoint = "";
  const control = bindService(
    controlService({
      version: VERSION,
      endpoint: () => endpoint,
      loopbackOnly: isLoopback(config.host),
      seed,
      clock,
      services: () => bound,
      api: rt.api,
      advance: (seconds) => moveClock(clock.offsetMs() + seconds * 1000),
      setOffset: (ms) => moveClock(ms),
      reset: async () => {
        await engine.drain();
        host.startAll();
        clearAllTables(db);
        // Real time again, before the seed is written with the clock's time.
        clock.setOffsetMs(0);
        setMeta(db, "clock_offset_ms", "0");
        host.seed();
        host.afterReset();
      },
    }, [...observeOperations(journal, faults), ...stateOperations(state, () => initReport, clock.wallNow())]),
    rt,
  );
  bound = [...served, ...known, control];

  const identity = host.identity();
  const gateway = new Gateway({
    services: bound,
    identity,
    clock,
    ids,
    auth: config.auth,
    maxBodyBytes: config.maxBodyBytes,
    logRequest: config.logRequests ? log : undefined,
    streaming: [...served.flatMap((s) => (s.stream ? [s.stream] : [])), stateStreamingHandler({ state, loopbackOnly: isLoopback(config.host), clock })],
    journal,
    faults,
    policies: config.iamPolicies,
    policyLog: log,
    onError: (err) => log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
  });

  const server: Server = createServer(
    { maxHeaderSize: 64 * 1024, keepAliveTimeout: 65_000, requireHostHeader: false },
    gateway.listener,
  );
  server.on("clientError", gateway.clientError);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (err) {
    db.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  endpoint = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`;
  if (!config.inMemory) writeOwner(config.dataDir, { port, endpoint });
  engine.start();
  if (config.initDir && fresh) await runInit({ dir: config.initDir, services: bound, identity, seed, endpoint, ids, clock, report: initReport });
  else if (config.initDir) Object.assign(initReport, { status: "skipped", dir: config.initDir, reason: "the state was not fresh (the data folder held one, or --state loaded one)" });
  if (initReport.status === "failed") log(`--init ${config.initDir}: ${initReport.reason} (GET /_hwlocal/init for the whole report)`);

  return {
    url: endpoint,
    port,
    seed,
    clock,
    engine,
    db,
    services: bound,
    startService: (name) => host.start(name),
    gateway,
    journal,
    faults,
    async close() {
      await engine.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      db.close();
      state.close();
      if (!config.inMemory) removeOwner(config.dataDir);
    },
  };
}
