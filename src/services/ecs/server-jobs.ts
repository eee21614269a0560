// The steps of ECS's async jobs, run by the engine on hwlocal's clock, each in a savepoint:
//   createSingleServer  takes ports (private IPs) from VPC, the system and data disks from EVS, the EIP,
//                       then after the boot delay turns BUILD → ACTIVE. A failure releases what the step
//                       took and leaves the server in ERROR with a fault, and the job FAIL with the code.
//   deleteSingleServer  frees ports, EIPs and disks as the delete request asked, then DELETED.
//   start/stop/rebootSingleServer  the power transitions, after the same delay.
import type { Ids } from "../../kernel/ids.ts";
import type { InjectedFailure, JobRecord, JobStep } from "../../kernel/jobs.ts";
import type { EcsContext } from "./context.ts";
import type { ServerPlan } from "./server-spec.ts";
import type { ServerRow } from "./store-servers.ts";
import { recycleServer } from "./recycle-bin.ts";

export const JOB_TYPES = {
  create: "createServer",
  createOne: "createSingleServer",
  delete: "deleteServer",
  deleteOne: "deleteSingleServer",
  start: "batchStartServers",
  startOne: "startSingleServer",
  stop: "batchStopServers",
  stopOne: "stopSingleServer",
  reboot: "batchRebootServers",
  rebootOne: "rebootSingleServer",
} as const;

/** A step that failed with ECS's code; the caller records it on the server and the job. */
class StepFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const PORT_CODES: Record<string, string> = {
  "ip-in-use": "Ecs.0010",
  "subnet-exhausted": "Ecs.0012",
  "ip-not-in-subnet": "Ecs.0039",
  "ip-reserved": "Ecs.0039",
  "invalid-ip": "Ecs.0039",
  "subnet-not-found": "Ecs.0038",
  "security-group-not-found": "Ecs.0014",
};

function serverOf(ctx: EcsContext, job: JobRecord): ServerRow {
  const id = String(job.entities.server_id ?? "");
  const s = ctx.store.servers.get(job.projectId, id);
  if (!s || s.status === "DELETED") throw new StepFailure("Ecs.0114", `Instance[${id}] could not be found.`);
  return s;
}

/** Takes the server's ports, disks and EIP; throws StepFailure (the savepoint then undoes all of it). */
function provision(ctx: EcsContext, s: ServerRow, plan: ServerPlan, ids: Ids, now: number): void {
  const projectId = s.project_id;
  const vpc = ctx.vpc();
  const evs = ctx.evs();
  const ports = plan.nics.map((nic) => {
    const r = vpc.createPort(projectId, {
      subnetId: nic.subnetId,
      ipAddress: nic.ipAddress,
      securityGroupIds: plan.securityGroupIds,
      deviceId: s.id,
      deviceOwner: `compute:${s.availability_zone}`,
    });
    if (!r.ok) throw new StepFailure(PORT_CODES[r.reason] ?? "Ecs.0014", r.message);
    return r.port;
  });
  const disks = [
    { ...plan.rootVolume, kind: "root_volume" as const, deleteOnTermination: true, multiattach: false },
    ...plan.dataVolumes.map((d) => ({ ...d, kind: "data_volume" as const })),
  ];
  disks.forEach((d, i) => {
    const root = d.kind === "root_volume";
    const created = evs.createVolumeNow(projectId, {
      size: d.size,
      volumeType: d.type,
      availabilityZone: s.availability_zone,
      imageId: root ? s.image_id : undefined,
      bootable: root,
      multiattach: d.multiattach,
      name: root ? `${s.name}-sys` : `${s.name}-data-${i}`,
      userId: s.user_id,
    });
    if (!created.ok) throw new StepFailure(created.reason === "quota_exceeded" ? "Ecs.0021" : "Ecs.0005", created.message);
    const attached = evs.attach(projectId, created.value.id, s.id, `/dev/vd${String.fromCharCode(97 + i)}`);
    if (!attached.ok) throw new StepFailure("Ecs.0005", attached.message);
    ctx.store.resources.add(s.id, { kind: d.kind, resourceId: created.value.id, deleteOnTermination: d.deleteOnTermination });
    if (root) ctx.store.servers.update(projectId, s.id, { root_volume_id: created.value.id }, now);
  });
  const ip = plan.publicIp;
  const primary = ports[0];
  if (ip && primary) {
    let publicIpId = ip.id;
    if (publicIpId === undefined) {
      const allocated = vpc.allocatePublicIp(projectId, {
        type: ip.type ?? "5_bgp",
        bandwidth: { size: ip.size, shareType: ip.shareType ?? "PER", id: ip.bandwidthId, name: `bandwidth-${s.name}-${ids.hex32().slice(0, 4)}` },
      });
      if (!allocated.ok) throw new StepFailure(allocated.reason === "quota-exceeded" ? "Ecs.0013" : "Ecs.0005", allocated.message);
      publicIpId = allocated.publicIp.id;
    }
    const bound = vpc.bindPublicIp(projectId, publicIpId, primary.id);
    if (!bound.ok) throw new StepFailure("Ecs.0005", bound.message);
    ctx.store.resources.add(s.id, { kind: "publicip", resourceId: publicIpId, deleteOnTermination: ip.deleteOnTermination });
  }
}

/** Frees what a server holds: ports always, EIPs and data disks as asked (or as they were created). */
export function releaseServer(ctx: EcsContext, s: ServerRow, opts: { deletePublicIp?: boolean; deleteVolume?: boolean }): void {
  const vpc = ctx.vpc();
  const evs = ctx.evs();
  for (const r of ctx.store.resources.of(s.id)) {
    if (r.kind === "publicip") {
      if (opts.deletePublicIp ?? r.deleteOnTermination) vpc.releasePublicIp(s.project_id, r.resourceId);
      else vpc.unbindPublicIp(s.project_id, r.resourceId);
    }
  }
  for (const p of vpc.portsOfDevice(s.project_id, s.id)) vpc.deletePort(s.project_id, p.id);
  const owned = new Map(ctx.store.resources.of(s.id).map((r) => [r.resourceId, r]));
  for (const v of evs.volumesOfServer(s.project_id, s.id)) {
    evs.detach(s.project_id, v.id, s.id);
    const r = owned.get(v.id);
    const remove = r?.kind === "root_volume" || (r?.kind === "data_volume" && (opts.deleteVolume ?? r.deleteOnTermination));
    if (remove) evs.deleteVolume(s.project_id, v.id);
  }
  ctx.store.resources.forget(s.id);
}

function failed(ctx: EcsContext, job: JobRecord, err: StepFailure, now: number): JobStep {
  const id = String(job.entities.server_id ?? "");
  const s = ctx.store.servers.get(job.projectId, id);
  if (s && s.status !== "DELETED") {
    ctx.store.servers.update(
      job.projectId,
      id,
      { status: "ERROR", vm_state: "error", task_state: null, power_state: 0, fault: { code: 500, message: err.message, created: new Date(now).toISOString() } },
      now,
    );
  }
  return { status: "FAIL", errorCode: err.code, failReason: err.message };
}

/** Runs a step; a StepFailure undoes the step's own writes (nested savepoint) and fails the server. */
function guarded(ctx: EcsContext, job: JobRecord, now: number, body: () => JobStep): JobStep {
  try {
    return ctx.store.tx(body);
  } catch (e) {
    if (e instanceof StepFailure) return failed(ctx, job, e, now);
    throw e;
  }
}

export function registerServerJobs(ctx: EcsContext, ids: Ids): void {
  const { jobs, store } = ctx;
  const later = (now: number) => now + ctx.bootMs;

  // A fault rule that fails a server's job (POST /_hwlocal/faults, effect job) leaves the server in ERROR
  // with the rule's message as its fault, as a failed build or deletion does.
  const faulted = (job: JobRecord, f: InjectedFailure, now: number) => void failed(ctx, job, new StepFailure(f.errorCode, f.failReason), now);

  jobs.register(JOB_TYPES.createOne, (job, now) =>
    guarded(ctx, job, now, () => {
      const s = serverOf(ctx, job);
      if (job.state.provisioned !== true) {
        provision(ctx, s, job.state.plan as ServerPlan, ids, now);
        store.servers.update(s.project_id, s.id, { task_state: "spawning" }, now);
        if (ctx.bootMs > 0) return { status: "RUNNING", nextAt: later(now), state: { ...job.state, provisioned: true } };
      }
      store.servers.update(
        s.project_id,
        s.id,
        { status: "ACTIVE", vm_state: "active", task_state: null, power_state: 1, launched_at: now },
        now,
      );
      return { status: "SUCCESS" };
    }),
    faulted,
  );

  jobs.register(JOB_TYPES.deleteOne, (job, now) =>
    guarded(ctx, job, now, () => {
      const s = serverOf(ctx, job);
      if (job.state.recycle === true) {
        recycleServer(ctx, s, { deletePublicIp: job.state.delete_publicip, deleteVolume: job.state.delete_volume }, now);
        return { status: "SUCCESS" };
      }
      releaseServer(ctx, s, {
        deletePublicIp: job.state.delete_publicip as boolean | undefined,
        deleteVolume: job.state.delete_volume as boolean | undefined,
      });
      store.servers.update(
        s.project_id,
        s.id,
        { status: "DELETED", vm_state: "deleted", task_state: null, power_state: 0, terminated_at: now },
        now,
      );
      return { status: "SUCCESS" };
    }),
    faulted,
  );

  const power = (type: string, done: { status: "ACTIVE" | "SHUTOFF"; vm: "active" | "stopped"; power: 1 | 4 }) =>
    jobs.register(type, (job, now) =>
      guarded(ctx, job, now, () => {
        const s = serverOf(ctx, job);
        store.servers.update(s.project_id, s.id, { status: done.status, vm_state: done.vm, task_state: null, power_state: done.power }, now);
        return { status: "SUCCESS" };
      }),
    );
  power(JOB_TYPES.startOne, { status: "ACTIVE", vm: "active", power: 1 });
  power(JOB_TYPES.rebootOne, { status: "ACTIVE", vm: "active", power: 1 });
  power(JOB_TYPES.stopOne, { status: "SHUTOFF", vm: "stopped", power: 4 });
}
