// Changing and reinstalling a server's OS: ChangeServerOsWithCloudInit (v2) and ChangeServerOsWithoutCloudInit
// (v1), ReinstallServerWithCloudInit (v2) and ReinstallServerWithoutCloudInit (v1). Each is a job
// (server-tasks.ts): the server shows REBUILD (task_state rebuilding) for the server delay, then runs with
// the new image (change) or the same one (reinstall), the key pair given (none when a password is given
// instead) and, for the cloud-init versions, the new user data. A running server is refused unless the
// request says mode "withStopServer".
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope, type EcsContext, type ProjectScope } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { findFlavor } from "../flavors-data.ts";
import { requireIdle, submitServerTasks, type TaskKind } from "../server-tasks.ts";
import type { ServerPatch, ServerRow } from "../store-servers.ts";
import { checkPassword } from "./server-password.ts";
import { requireServer } from "./server-common.ts";

const Metadata = z
  .object({
    user_data: z.string().max(44_000).optional(),
    __system__encrypted: z.enum(["0", "1"]).optional(),
    __system__cmkid: z.string().max(64).optional(),
    BYOL: z.enum(["true", "false"]).optional(),
  })
  .optional();

const Common = {
  adminpass: z.string().optional(),
  keyname: z.string().min(1).max(64).optional(),
  userid: z.string().min(1).max(64).optional(),
  mode: z.literal("withStopServer").optional(),
  metadata: Metadata,
};

const ChangeBody = z.object({
  "os-change": z.object({ ...Common, imageid: z.string().min(1).max(64), isAutoPay: z.enum(["true", "false"]).optional() }),
});
const ReinstallBody = z.object({ "os-reinstall": z.object(Common) });

type Request = { adminpass?: string; keyname?: string; userid?: string; mode?: string; metadata?: { user_data?: string } };

function isBase64(s: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0;
}

/** Checks an OS change or reinstall of a server to an image; what the server becomes. */
function planOs(svc: EcsContext, scope: ProjectScope, s: ServerRow, req: Request & { imageId: string; cloudInit: boolean }): ServerPatch {
  requireIdle(s, ["ACTIVE", "SHUTOFF"]);
  if (s.status === "ACTIVE" && req.mode !== "withStopServer") throw ecsErrors.statusConflict(s.id, `${s.status}; stop it first or give mode withStopServer`);
  if (req.adminpass !== undefined && req.keyname !== undefined) throw ecsErrors.invalidParameter("Give adminpass or keyname, not both.");
  if (req.adminpass === undefined && req.keyname === undefined) throw ecsErrors.invalidParameter("Give adminpass or keyname.");
  if (req.adminpass !== undefined) checkPassword(req.adminpass);
  if (req.keyname !== undefined && !svc.store.keypairs.get({ projectId: scope.projectId, userId: req.userid ?? scope.userId }, req.keyname)) {
    throw ecsErrors.keypairNotFound(req.keyname);
  }
  const image = svc.ims().image(scope.projectId, req.imageId);
  if (!image) throw ecsErrors.imageNotFound(req.imageId);
  if (image.status !== "active") throw ecsErrors.imageNotActive(req.imageId);
  const flavor = findFlavor(s.flavor_id);
  if (flavor && flavor.ram < image.minRam) throw ecsErrors.invalidParameter(`flavor ${flavor.id} has less memory than image ${image.id} needs.`);
  const root = s.root_volume_id ? svc.evs().volume(scope.projectId, s.root_volume_id) : undefined;
  if (root && root.size < image.minDisk) throw ecsErrors.invalidParameter(`The system disk (${root.size} GB) is smaller than image ${image.id} needs (${image.minDisk} GB).`);
  const userData = req.metadata?.user_data;
  if (userData !== undefined) {
    if (!req.cloudInit) throw ecsErrors.invalidParameter("metadata.user_data needs the cloud-init API (v2).");
    if (!isBase64(userData) || Buffer.from(userData, "base64").length > 32 * 1024) throw ecsErrors.invalidParameter("metadata.user_data must be base64 of at most 32 KB.");
  }
  return {
    status: "ACTIVE",
    vm_state: "active",
    power_state: 1,
    image_id: image.id,
    key_name: req.keyname ?? null,
    ...(req.cloudInit ? { user_data: userData ?? null } : {}),
  };
}

function osOperation(opts: { name: string; version: "v1" | "v2"; kind: Extract<TaskKind, "changeOs" | "reinstall"> }) {
  const action = opts.kind === "changeOs" ? "changeos" : "reinstallos";
  const cloudInit = opts.version === "v2";
  return ecsOperation({
    name: opts.name,
    method: "POST",
    path: `/${opts.version}/{project_id}/cloudservers/{server_id}/${action}`,
    body: z.union([ChangeBody, ReinstallBody]),
    handle(ctx) {
      const scope = projectScope(ctx.scope);
      const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
      const b = ctx.input.body;
      let req: Request & { imageId: string };
      if (opts.kind === "changeOs") {
        if (!("os-change" in b)) throw ecsErrors.invalidBody("os-change is required.");
        req = { ...b["os-change"], imageId: b["os-change"].imageid };
      } else {
        if (!("os-reinstall" in b)) throw ecsErrors.invalidBody("os-reinstall is required.");
        req = { ...b["os-reinstall"], imageId: s.image_id };
      }
      const done = planOs(ctx.svc, scope, s, { ...req, cloudInit });
      const during = { status: "REBUILD" as const, task: "rebuilding" };
      return { body: { job_id: submitServerTasks(ctx, scope, opts.kind, [{ server: s, during, done }]) } };
    },
  });
}

export const serverOsOperations = [
  osOperation({ name: "ChangeServerOsWithCloudInit", version: "v2", kind: "changeOs" }),
  osOperation({ name: "ChangeServerOsWithoutCloudInit", version: "v1", kind: "changeOs" }),
  osOperation({ name: "ReinstallServerWithCloudInit", version: "v2", kind: "reinstall" }),
  osOperation({ name: "ReinstallServerWithoutCloudInit", version: "v1", kind: "reinstall" }),
];
