// The control calls of checkpoints and init (the export and import files stream: stream.ts):
//   POST   /_hwlocal/state/checkpoints {"name"}          → 201 {id, name, created_at, clock, size}
//   GET    /_hwlocal/state/checkpoints                   → {checkpoints: [...]} oldest first
//   GET    /_hwlocal/state/checkpoints/{id}              → one (by id or by name)
//   DELETE /_hwlocal/state/checkpoints/{id}              → 204
//   POST   /_hwlocal/state/checkpoints/{id}/restore      → {checkpoint, status: "restored"}
//   GET    /_hwlocal/init                                → what --init ran and how it ended (init.ts)
//   GET    /_hwlocal/status                              → version, uptime, clock, services, init, checkpoints
import { z } from "../../kernel/zod.ts";
import { isoSeconds } from "../../kernel/time.ts";
import { operationsFor, type Operation, type Scope } from "../../kernel/service.ts";
import { controlErrors, type ControlContext } from "../service.ts";
import type { StateManager } from "./checkpoints.ts";
import { stateErrors } from "./errors.ts";
import type { InitReport } from "../init.ts";

const Name = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' and '-', starting with a letter or digit");

/** As every control call that changes state: open on loopback, else only for an administrator. */
function requireControlAccess(ctx: { svc: ControlContext; scope: Scope | undefined }): void {
  if (ctx.svc.loopbackOnly || ctx.scope?.principal.isAdmin) return;
  throw controlErrors.forbidden("hwlocal listens beyond loopback: sign this call as an administrator.");
}

/** `startedAtMs`: wall time at start, for the status's uptime. */
export function stateOperations(state: StateManager, init: () => InitReport, startedAtMs: number): Operation<ControlContext>[] {
  const op = operationsFor<ControlContext>(controlErrors);
  return [
    op({
      name: "ShowStatus",
      method: "GET",
      path: "/status",
      auth: "none",
      handle(ctx) {
        const services: Record<string, string> = {};
        // As in health: "available" until a service's first use starts it (engine/service-host.ts).
        for (const s of ctx.svc.services()) if (!s.internal) services[s.name] = s.served ? (s.started ? "running" : "available") : "not implemented";
        const i = init();
        return {
          body: {
            status: "ok",
            version: ctx.svc.version,
            started_at: isoSeconds(startedAtMs),
            uptime_seconds: Math.max(0, Math.round((ctx.clock.wallNow() - startedAtMs) / 1000)),
            clock: { now: isoSeconds(ctx.clock.now()), offset_seconds: ctx.clock.offsetMs() / 1000 },
            init: i.status,
            checkpoints: state.list().length,
            services,
          },
        };
      },
    }),
    op({
      name: "CreateCheckpoint",
      method: "POST",
      path: "/state/checkpoints",
      auth: "optional",
      body: z.object({ name: Name }).strict(),
      async handle(ctx) {
        requireControlAccess(ctx);
        return { status: 201, body: await state.save(ctx.input.body.name) };
      },
    }),
    op({
      name: "ListCheckpoints",
      method: "GET",
      path: "/state/checkpoints",
      auth: "optional",
      handle(ctx) {
        requireControlAccess(ctx);
        return { body: { checkpoints: state.list() } };
      },
    }),
    op({
      name: "ShowCheckpoint",
      method: "GET",
      path: "/state/checkpoints/{id}",
      auth: "optional",
      handle(ctx) {
        requireControlAccess(ctx);
        const c = state.find(ctx.input.path.id!);
        if (!c) throw stateErrors.checkpointNotFound(ctx.input.path.id!);
        return { body: c };
      },
    }),
    op({
      name: "DeleteCheckpoint",
      method: "DELETE",
      path: "/state/checkpoints/{id}",
      auth: "optional",
      async handle(ctx) {
        requireControlAccess(ctx);
        await state.remove(ctx.input.path.id!);
        return { status: 204 };
      },
    }),
    op({
      name: "RestoreCheckpoint",
      method: "POST",
      path: "/state/checkpoints/{id}/restore",
      auth: "optional",
      async handle(ctx) {
        requireControlAccess(ctx);
        const checkpoint = await state.restore(ctx.input.path.id!);
        return { body: { checkpoint, status: "restored" } };
      },
    }),
    op({
      name: "ShowInit",
      method: "GET",
      path: "/init",
      auth: "optional",
      handle(ctx) {
        // Scripts' output may show the keys they were given: beyond loopback, for the admin only.
        requireControlAccess(ctx);
        return { body: init() };
      },
    }),
  ];
}
