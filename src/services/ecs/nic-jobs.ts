// The jobs of BatchAddServerNics and BatchDeleteServerNics, run by the engine after the server delay: a
// parent job per request (batchAddNics / batchDeleteNics, names ours) and one sub-job per NIC, which takes
// a port from VPC for the server, or deletes one. A port refused at run time (its address taken meanwhile,
// the subnet full) fails its sub-job with ECS's code.
import type { JobRecord, JobStep } from "../../kernel/jobs.ts";
import type { EcsContext } from "./context.ts";

export const NIC_JOB_TYPES = { add: "batchAddNics", addOne: "addSingleNic", remove: "batchDeleteNics", removeOne: "deleteSingleNic" } as const;

const PORT_CODES: Record<string, string> = {
  "ip-in-use": "Ecs.0010",
  "subnet-exhausted": "Ecs.0012",
  "ip-not-in-subnet": "Ecs.0039",
  "subnet-not-found": "Ecs.0038",
  "security-group-not-found": "Ecs.0014",
};

export function registerNicJobs(ctx: EcsContext): void {
  const server = (job: JobRecord) => {
    const id = String(job.entities.server_id ?? "");
    const s = ctx.store.servers.get(job.projectId, id);
    return s && s.status !== "DELETED" ? s : undefined;
  };
  const missing = (job: JobRecord): JobStep => ({ status: "FAIL", errorCode: "Ecs.0114", failReason: `Instance[${String(job.entities.server_id)}] could not be found.` });

  ctx.jobs.register(NIC_JOB_TYPES.addOne, (job) => {
    const s = server(job);
    if (!s) return missing(job);
    const groups = job.state.security_group_ids as string[] | undefined;
    const r = ctx.vpc().createPort(job.projectId, {
      subnetId: String(job.state.subnet_id),
      ipAddress: typeof job.state.ip_address === "string" ? job.state.ip_address : undefined,
      securityGroupIds: groups && groups.length > 0 ? groups : s.security_group_ids,
      deviceId: s.id,
      deviceOwner: `compute:${s.availability_zone}`,
    });
    if (!r.ok) return { status: "FAIL", errorCode: PORT_CODES[r.reason] ?? "Ecs.0005", failReason: r.message };
    return { status: "SUCCESS", entities: { ...job.entities, nic_id: r.port.id } };
  });

  ctx.jobs.register(NIC_JOB_TYPES.removeOne, (job) => {
    const s = server(job);
    if (!s) return missing(job);
    const nicId = String(job.entities.nic_id ?? "");
    if (!ctx.vpc().portsOfDevice(job.projectId, s.id).some((p) => p.id === nicId)) {
      return { status: "FAIL", errorCode: "Ecs.0005", failReason: `Port ${nicId} is not attached to ECS ${s.id}.` };
    }
    ctx.vpc().deletePort(job.projectId, nicId);
    return { status: "SUCCESS" };
  });
}
