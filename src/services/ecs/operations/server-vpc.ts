// ChangeVpc: moves a stopped server with one NIC to another VPC, as a changeVpc job after the server delay:
// the old port goes, a new one is taken in the new subnet (fixed address and security groups as asked, the
// server's groups otherwise), the server's EIP follows its NIC, and the server records its new VPC and
// groups. A port refused at run time (the address taken meanwhile) fails the job and changes nothing.
import { JobFailure, type JobRecord, type JobStep } from "../../../kernel/jobs.ts";
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope, type EcsContext } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { requireIdle } from "../server-tasks.ts";
import { requireServer } from "./server-common.ts";

export const VPC_JOB_TYPES = { parent: "changeVpc", child: "changeSingleServerVpc" } as const;

const PORT_CODES: Record<string, string> = {
  "ip-in-use": "Ecs.0010",
  "subnet-exhausted": "Ecs.0012",
  "ip-not-in-subnet": "Ecs.0039",
  "subnet-not-found": "Ecs.0038",
  "security-group-not-found": "Ecs.0014",
};

export function registerVpcJobs(ctx: EcsContext): void {
  ctx.jobs.register(VPC_JOB_TYPES.child, (job: JobRecord, now: number): JobStep => {
    const id = String(job.entities.server_id ?? "");
    const s = ctx.store.servers.get(job.projectId, id);
    if (!s || s.status === "DELETED") return { status: "FAIL", errorCode: "Ecs.0114", failReason: `Instance[${id}] could not be found.` };
    const vpc = ctx.vpc();
    const groups = job.state.security_group_ids as string[];
    try {
      // A savepoint of its own: a refused port puts the old one back, and the server is left idle.
      return ctx.store.tx((): JobStep => {
        const eips = vpc.portsOfDevice(job.projectId, s.id).flatMap((p) => vpc.publicIpsOfPort(job.projectId, p.id));
        for (const p of vpc.portsOfDevice(job.projectId, s.id)) vpc.deletePort(job.projectId, p.id);
        const r = vpc.createPort(job.projectId, {
          subnetId: String(job.state.subnet_id),
          ipAddress: typeof job.state.ip_address === "string" ? job.state.ip_address : undefined,
          securityGroupIds: groups,
          deviceId: s.id,
          deviceOwner: `compute:${s.availability_zone}`,
        });
        if (!r.ok) throw new JobFailure(PORT_CODES[r.reason] ?? "Ecs.0005", r.message);
        for (const eip of eips) vpc.bindPublicIp(job.projectId, eip.id, r.port.id);
        ctx.store.servers.update(job.projectId, s.id, { vpc_id: String(job.state.vpc_id), security_group_ids: r.port.securityGroupIds, task_state: null }, now);
        return { status: "SUCCESS", entities: { ...job.entities, nic_id: r.port.id } };
      });
    } catch (e) {
      if (!(e instanceof JobFailure)) throw e;
      ctx.store.servers.update(job.projectId, s.id, { task_state: null }, now);
      return { status: "FAIL", errorCode: e.errorCode, failReason: e.failReason };
    }
  });
}

export const changeVpc = ecsOperation({
  name: "ChangeVpc",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/{server_id}/changevpc",
  body: z.object({
    vpc_id: z.string().min(1).max(64),
    nic: z.object({
      subnet_id: z.string().min(1).max(64),
      ip_address: z.string().max(64).optional(),
      security_groups: z.array(z.object({ id: z.string().min(1).max(64) })).max(10).optional(),
      port_id: z.string().max(64).optional(),
    }),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const b = ctx.input.body;
    requireIdle(s, ["SHUTOFF"]);
    const vpc = ctx.svc.vpc();
    if (b.nic.port_id !== undefined) throw ecsErrors.invalidParameter("nic.port_id: moving to an existing port is not supported; give subnet_id.");
    if (!vpc.vpc(scope.projectId, b.vpc_id)) throw ecsErrors.vpcSubnetSgInvalid(`The VPC ${b.vpc_id} does not exist.`);
    if (b.vpc_id === s.vpc_id) throw ecsErrors.invalidParameter(`The ECS ${s.id} is already in the VPC ${b.vpc_id}.`);
    const subnet = vpc.subnet(scope.projectId, b.nic.subnet_id);
    if (!subnet) throw ecsErrors.subnetNotFound(b.nic.subnet_id);
    if (subnet.vpcId !== b.vpc_id) throw ecsErrors.vpcMismatch();
    const groups = (b.nic.security_groups ?? []).map((g) => g.id);
    for (const g of groups) if (!vpc.securityGroup(scope.projectId, g)) throw ecsErrors.vpcSubnetSgInvalid(`The security group ${g} does not exist.`);
    if (vpc.portsOfDevice(scope.projectId, s.id).length !== 1) throw ecsErrors.invalidParameter(`Only an ECS with one NIC can change its VPC.`);
    const now = ctx.clock.now();
    const jobId = ctx.svc.store.tx(() => {
      ctx.svc.store.servers.update(scope.projectId, s.id, { task_state: "changing_vpc" }, now);
      return ctx.svc.jobs.submit({ service: "ecs", projectId: scope.projectId, jobType: VPC_JOB_TYPES.parent, entities: { server_id: s.id } }, [
        {
          jobType: VPC_JOB_TYPES.child,
          entities: { server_id: s.id },
          state: { vpc_id: b.vpc_id, subnet_id: subnet.id, ip_address: b.nic.ip_address, security_group_ids: groups.length ? groups : s.security_group_ids },
          dueAt: now + ctx.svc.bootMs,
        },
      ]);
    });
    return { body: { job_id: jobId } };
  },
});

export const serverVpcOperations = [changeVpc];
