// Passwords: ResetServerPassword (one-click reset, 204), BatchResetServersPassword, ShowResetPasswordFlag,
// and the Windows password API (ShowServerPassword, DeleteServerPassword). hwlocal runs no guest, so it
// never stores a password: it checks the new one as ECS does and records when it was reset.
// ShowServerPassword answers "" (what ECS answers for a server with no encrypted password, as Linux ones).
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import type { ServerRow } from "../store-servers.ts";
import { requireServer } from "./server-common.ts";

const SPECIALS = "!@%-_=+[]:./^,{}?";

/** ECS's password rule: 8-26 characters of letters, digits and !@%-_=+[]:./^,{}?, three kinds at least, no "root" or "administrator" (nor reversed). */
export function checkPassword(p: string): void {
  const bad = (why: string) => ecsErrors.invalidParameter(`The password does not meet the requirements: ${why}.`);
  if (p.length < 8 || p.length > 26) throw bad("8 to 26 characters");
  if ([...p].some((c) => !/[A-Za-z0-9]/.test(c) && !SPECIALS.includes(c))) throw bad(`letters, digits and ${SPECIALS} only`);
  const kinds = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length;
  if (kinds < 3) throw bad("at least three of upper-case letters, lower-case letters, digits and special characters");
  const lower = p.toLowerCase();
  for (const word of ["root", "administrator"]) {
    if (lower.includes(word) || lower.includes([...word].reverse().join(""))) throw bad(`it must not contain ${word} or ${word} reversed`);
  }
}

function requireResettable(s: ServerRow): void {
  if (s.status !== "ACTIVE" && s.status !== "SHUTOFF") throw ecsErrors.statusConflict(s.id, s.status);
  if (s.task_state !== null) throw ecsErrors.otherCommandRunning(s.id);
}

export const resetServerPassword = ecsOperation({
  name: "ResetServerPassword",
  method: "PUT",
  path: "/v1/{project_id}/cloudservers/{server_id}/os-reset-password",
  body: z.object({ "reset-password": z.object({ new_password: z.string().min(1).max(64), is_check_password: z.boolean().optional() }) }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const b = ctx.input.body["reset-password"];
    requireResettable(s);
    if (b.is_check_password !== false) checkPassword(b.new_password);
    ctx.svc.store.attrs.set(scope.projectId, s.id, "password_reset_at", ctx.clock.now());
    return { status: 204 };
  },
});

export const batchResetServersPassword = ecsOperation({
  name: "BatchResetServersPassword",
  method: "PUT",
  path: "/v1/{project_id}/cloudservers/os-reset-passwords",
  body: z.object({
    new_password: z.string().min(1).max(64),
    dry_run: z.boolean().optional(),
    servers: z.array(z.object({ id: z.string().min(1) })).min(1).max(100),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const b = ctx.input.body;
    checkPassword(b.new_password);
    const servers = b.servers.map((r) => {
      const s = ctx.svc.store.servers.visible(scope.projectId, r.id);
      if (!s || s.status === "DELETED") throw ecsErrors.serverNotFoundInBatch(r.id);
      requireResettable(s);
      return s;
    });
    if (b.dry_run === true) return { status: 204 };
    const now = ctx.clock.now();
    ctx.svc.store.tx(() => {
      for (const s of servers) ctx.svc.store.attrs.set(scope.projectId, s.id, "password_reset_at", now);
    });
    return { body: { response: servers.map((s) => ({ id: s.id })) } };
  },
});

export const showResetPasswordFlag = ecsOperation({
  name: "ShowResetPasswordFlag",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/{server_id}/os-resetpwd-flag",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    // Every image hwlocal offers carries the password reset plug-in.
    return { body: { resetpwd_flag: "True" } };
  },
});

export const showServerPassword = ecsOperation({
  name: "ShowServerPassword",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/{server_id}/os-server-password",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    return { body: { password: "" } };
  },
});

export const deleteServerPassword = ecsOperation({
  name: "DeleteServerPassword",
  method: "DELETE",
  path: "/v1/{project_id}/cloudservers/{server_id}/os-server-password",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    return { status: 204 };
  },
});

export const serverPasswordOperations = [resetServerPassword, batchResetServersPassword, showResetPasswordFlag, showServerPassword, deleteServerPassword];
