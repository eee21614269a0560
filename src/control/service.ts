// hwlocal's own control plane under /_hwlocal: health, the well-known account, the clock (read, advance,
// set: see kernel/clock.ts for what moving it back means), reset (seed state, real time), coverage,
// the recorded SMN deliveries (GET /smn/messages) and Cloud Eye's synthetic load (PUT /ces/load).
// Open on loopback. When hwlocal listens on another address, the calls that change state, and GET /info
// (which shows the admin's password and secret key), require the caller to be an administrator (by token
// or AK/SK signature), since anyone on the network could reach them.
import { z } from "../kernel/zod.ts";
import { ApiError } from "../kernel/api-error.ts";
import { isoSeconds } from "../kernel/time.ts";
import { defineService, operationsFor, type Operation, type Scope, type ServiceErrors } from "../kernel/service.ts";
import type { Runtime, SeedAccount } from "../kernel/service.ts";
import { message } from "../services/smn/views.ts";
import { offsetToReach, type Clock } from "../kernel/clock.ts";
import type { BoundService } from "../gateway/bind.ts";
import { coverageReport, implementedCount } from "./coverage.ts";
import { consoleOperations } from "./console.ts";

const plain = (status: number, code: string, message: string) => new ApiError({ status, code, message });

export const controlErrors: ServiceErrors = {
  shape: "plain",
  invalidBody: (d) => plain(400, "HWLOCAL.0400", `The request body is invalid. ${d}`),
  invalidParameter: (d) => plain(400, "HWLOCAL.0400", `A request parameter is invalid. ${d}`),
  forbidden: (d) => plain(403, "HWLOCAL.0403", d),
};

export interface ControlContext {
  version: string;
  /** The public endpoint, e.g. http://127.0.0.1:4577 */
  endpoint: () => string;
  /** True when hwlocal listens on loopback only. */
  loopbackOnly: boolean;
  seed: SeedAccount;
  clock: Clock;
  services: () => BoundService[];
  /** Moves the clock forward, persists the offset and runs everything due. */
  advance: (seconds: number) => Promise<void>;
  /** Sets the clock's offset from real time (negative: the past), persists it and runs everything due. */
  setOffset: (offsetMs: number) => Promise<void>;
  reset: () => Promise<void>;
  /** The services' APIs (SMN's messages, CES's load). */
  api: Runtime["api"];
}

const op = operationsFor<ControlContext>(controlErrors);

/** How far POST /clock may set the clock from real time, either way. */
const MAX_OFFSET_S = 10 * 365 * 86400;

const clockView = (clock: Clock) => ({ now: isoSeconds(clock.now()), offset_seconds: clock.offsetMs() / 1000 });

/**
 * How to reach OBS (obs-facts §1): path style on the endpoint itself, or virtual-host style by a Host of
 * `<bucket>.obs.<region>.myhuaweicloud.com:<port>` that the client resolves to hwlocal.
 */
function obsInfo(endpoint: string, region: string) {
  const url = new URL(endpoint);
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return { endpoint, region, virtual_host: `obs.${region}.myhuaweicloud.com:${port}`, signatures: ["v2", "obs", "v4"] };
}

export function requireControlAccess(ctx: { svc: ControlContext; scope: Scope | undefined }): void {
  if (ctx.svc.loopbackOnly) return;
  if (!ctx.scope?.principal.isAdmin) {
    throw controlErrors.forbidden("hwlocal listens beyond loopback: sign this call as an administrator.");
  }
}

/** `extra`: the operations of other control modules (observe.ts: the journal, fault rules). */
export function controlService(c: ControlContext, extra: Operation<ControlContext>[] = []) {
  return defineService<ControlContext>({
    name: "_hwlocal",
    catalogType: "hwlocal",
    global: true,
    internal: true,
    sdkCatalogues: [],
    errors: controlErrors,
    migrations: [],
    init: () => c,
    operations: [
      op({
        name: "Health",
        method: "GET",
        path: "/health",
        auth: "none",
        handle(ctx) {
          const services: Record<string, unknown> = {};
          for (const s of ctx.svc.services()) {
            if (s.internal) continue;
            // A service that has not started yet is "available" (engine/service-host.ts), as in LocalStack:
            // counting its operations would start it. GET /_hwlocal/coverage counts every service's.
            if (!s.started) {
              services[s.name] = { status: "available" };
              continue;
            }
            services[s.name] = {
              status: s.served ? "running" : "not implemented",
              operations: implementedCount(s),
              sdk_operations: s.sdkOperations.length,
              sdk_operations_covered: s.sdkCovered.length,
            };
          }
          return { body: { status: "ok", version: ctx.svc.version, services } };
        },
      }),
      op({
        name: "Info",
        method: "GET",
        path: "/info",
        auth: "optional",
        headers: z.object({ host: z.string().min(1).optional() }),
        handle(ctx) {
          // It hands out the admin's password and secret key: beyond loopback, only to the admin.
          requireControlAccess(ctx);
          const s = ctx.svc.seed;
          // Where the caller reached hwlocal (another machine does not reach it at 127.0.0.1).
          const endpoint = ctx.input.headers.host ? ctx.request.endpoint : ctx.svc.endpoint();
          const obsServed = ctx.svc.services().some((x) => x.name === "obs" && x.served);
          return {
            body: {
              endpoint,
              domain: s.domain,
              user: s.user,
              access_key: s.accessKey,
              regions: s.regions.map((r) => ({ id: r.id, project_id: r.projectId })),
              ...(obsServed ? { obs: obsInfo(endpoint, s.regions[0]?.id ?? "cn-north-4") } : {}),
            },
          };
        },
      }),
      op({
        name: "SetClock",
        method: "POST",
        path: "/clock",
        auth: "optional",
        body: z.union([
          z.object({ offset_seconds: z.number().min(-MAX_OFFSET_S).max(MAX_OFFSET_S) }).strict(),
          z.object({ now: z.iso.datetime({ offset: true }) }).strict(),
        ]),
        async handle(ctx) {
          requireControlAccess(ctx);
          const b = ctx.input.body;
          const offsetMs = "now" in b ? offsetToReach(ctx.clock, Date.parse(b.now)) : b.offset_seconds * 1000;
          if (Math.abs(offsetMs) > MAX_OFFSET_S * 1000) {
            throw controlErrors.invalidBody(`now: more than ten years away from real time.`);
          }
          await ctx.svc.setOffset(offsetMs);
          return { body: clockView(ctx.clock) };
        },
      }),
      op({
        name: "ShowClock",
        method: "GET",
        path: "/clock",
        auth: "none",
        handle(ctx) {
          return { body: clockView(ctx.clock) };
        },
      }),
      op({
        name: "AdvanceClock",
        method: "POST",
        path: "/clock/advance",
        auth: "optional",
        body: z.object({ seconds: z.number().min(0).max(10 * 365 * 86400) }),
        async handle(ctx) {
          requireControlAccess(ctx);
          await ctx.svc.advance(ctx.input.body.seconds);
          return { body: clockView(ctx.clock) };
        },
      }),
      op({
        name: "Reset",
        method: "POST",
        path: "/reset",
        auth: "optional",
        async handle(ctx) {
          requireControlAccess(ctx);
          await ctx.svc.reset();
          return { body: { status: "reset" } };
        },
      }),
      op({
        name: "ListSmnMessages",
        method: "GET",
        path: "/smn/messages",
        auth: "none",
        query: z.object({ project_id: z.string().min(1).optional() }),
        handle(ctx) {
          const msgs = ctx.svc.api("smn").messages(ctx.input.query.project_id);
          return { body: { messages: msgs.map((m) => ({ project_id: m.projectId, ...message(m) })) } };
        },
      }),
      op({
        name: "SetCesLoad",
        method: "PUT",
        path: "/ces/load",
        auth: "optional",
        body: z.union([
          z.object({ server_id: z.string().min(1), cpu_util: z.number().min(0).max(100) }).strict(),
          z.object({ scaling_group_id: z.string().min(1), cpu_util: z.number().min(0).max(100) }).strict(),
        ]),
        handle(ctx) {
          requireControlAccess(ctx);
          const b = ctx.input.body;
          const target = "server_id" in b ? { serverId: b.server_id } : { scalingGroupId: b.scaling_group_id };
          ctx.svc.api("ces").setLoad(target, b.cpu_util);
          return { body: { ...b } };
        },
      }),
      op({
        name: "Coverage",
        method: "GET",
        path: "/coverage",
        auth: "none",
        handle(ctx) {
          return { body: coverageReport(ctx.svc.services()) };
        },
      }),
      ...consoleOperations(),
      ...extra,
    ],
  });
}
