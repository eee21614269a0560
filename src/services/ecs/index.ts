// ECS: servers (v1 and nova) with their tags, volumes and interfaces, the actions on them and their
// settings; the flavor catalogue, availability zones, quotas, nova key pairs, server groups, launch
// templates, the recycle bin and job status.
//
// Emulated: ListFlavors (availability_zone, flavor_id, marker/limit) over a static catalogue of s6, t6,
//   c7, m7 and kc1 flavors, each sold in the region's zones its family lists; nova flavor extra specs;
//   zones in the v1 and nova spellings (kernel/regions.ts); ShowServerLimits with the seeded quota and
//   what the project uses; nova key pairs, generated (RSA 2048, private key returned once, never stored)
//   or imported (OpenSSH ssh-rsa, ssh-ed25519, ecdsa, ssh-dss), with nova's MD5 fingerprints; anti-affinity
//   server groups; ShowJob over the engine's jobs that ECS submitted in the caller's project.
//   Nova servers (NovaCreateServers/List/ListDetails/Show/Delete) made and deleted by the same jobs as v1
//   servers; server tags (batch create/delete, show, the project's ListServerTags); volumes on a server
//   (AttachServerVolume/DetachServerVolume as attachVolume/detachVolume jobs after the server delay,
//   block devices, nova volume attachments); ListServerInterfaces and NovaShowServerInterface from VPC ports.
//   Nova v2.1 besides (operations/nova-flavors.ts, nova-server-actions.ts): flavors (list, detail with
//   minDisk/minRam/is_public/sort_key/sort_dir/marker paging, show), quota sets (plain, detail, defaults) and
//   limits, os-volumes_boot, server update, os-start/os-stop/reboot (ECS's power jobs), server metadata,
//   os-interface list/attach/detach (VPC ports), os-security-groups, os-volume_attachments list/show/attach/
//   detach (ECS's attach/detach jobs), os-server-groups (ECS's groups, handlers shared with v1).
//   os-availability-zone/detail answers 403 Ecs.0003 (nova keeps it for
//   admins), so that the OpenStack CLI falls back to the plain list.
//   Server actions as jobs on the server delay (server-tasks.ts): resize (v1, v1.1, batch; ListResizeFlavors),
//   change OS and reinstall OS (v1 and the v2 cloud-init ones: key pair or password, user data); passwords
//   (one-click reset, batch, reset flag, the Windows password API); ECS's metadata API, instance metadata
//   options, serial and VNC console URLs, the auto-terminate time (an autoTerminateServer job deletes the
//   server then). NICs added and deleted by jobs (BatchAddServerNics/BatchDeleteServerNics, nic-jobs.ts) and
//   ShowServerAttachableNicNum; a shared volume attached to or detached from several servers
//   (BatchAttachSharableVolumes/BatchDetachVolumes, sub-jobs of attachVolume/detachVolume),
//   ShowAppendableVolumeQuota, UpdateServerBlockDevice; ListServersByTag; server group membership
//   (Add/DeleteServerGroupMember); BatchUpdateServersName; ListCloudServers (v1.1, marker paging);
//   ListFlavorSellPolicies and ShowFlavorCapacity. Launch templates (v3): create with version 1, list,
//   versions, delete (store-templates.ts). MigrateServer and ExecuteServerRedeploy (jobs giving a stopped
//   server a new hostId), ExecuteServerDump, RegisterServerMonitor, ChangeServerChargeMode (an order id;
//   metadata.charging_mode "1", ListCloudServers' market_info prePaid); scheduled events (v3), of which
//   hwlocal schedules none. The recycle bin (recycle-bin.ts): switch and policy; DeleteServers puts a server
//   old enough into the bin when it is on (stopped, hidden from the server APIs, purged by a job after
//   retention_hour); ListRecycleBinServers, RevertRecycleBinServer, DeleteRecycleBinServer. ChangeVpc (a
//   changeVpc job moving a stopped one-NIC server's port to the new VPC's subnet; its EIP follows).
// Gaps: nova server actions beyond start/stop/reboot (nova's addSecurityGroup and
//   removeSecurityGroup answer 501 naming NovaAssociateSecurityGroup/NovaDisassociateSecurityGroup, as VpcApi
//   cannot change a port's groups; other nova actions answer 400 Ecs.0005), nova attaching an existing port
//   (port_id, also in BatchAddServerNics), IPv6 NICs, nova networks given by port, nova security groups
//   named other than "default" (VpcApi looks groups up by id only: a name that is a group id works),
//   nova block devices from volumes
//   or snapshots, detaching a stopped server's system disk (always 400 Ecs.0102), keeping the system disk
//   (UpdateServerBlockDevice delete_on_termination=false: 400 Ecs.0005), x509 key pairs, creating a key
//   pair for another user, launching servers from a template (the SDK has no operation for new template versions),
//   dedicated hosts (MigrateServer to one: 400 Ecs.0005), billing beyond the charging mode (no orders to
//   pay, no expiry), the recycle bin for nova's DeleteServer and Auto Scaling's deletions (always final),
//   AssociateServerVirtualIp/DisassociateServerVirtualIp, ChangeServerNetworkInterface and
//   UpdateServerInterface (VpcApi cannot change a port's subnet, addresses, pairs or owner). Each answers
//   501 naming its operation, or 400 naming the unsupported value.
// By design: one quota for every project (quota.ts): 100 instances, 400 cores, 1,638,400 MB of RAM, 100 key
//   pairs, 10 server groups of at most 16 members; key pairs and server groups are enforced here.
//   totalSecurityGroupsUsed and totalFloatingIpsUsed stay 0 (they belong to VPC). Key pairs belong to
//   the user who made them, within one project (nova keeps them per user). Flavor network figures
//   (quota:max_rate, …) are illustrative. Lists answer in one page unless limit is given.
// Client quirks: the nova operations send OpenStack-API-Version; answers are those of microversion 2.1
//   plus the key pair `type`, except a server's flavor, embedded from 2.47 as nova does. The SDK returns wire JSON, so callers read
//   snake_case names (res.os_extra_specs, res.keypair.private_key).
// Doubts: a path, X-Project-Id or project-scoped token naming another project is the gateway's 403 Ecs.0003
//   ("You do not have permission"); ECS also documents 400 Ecs.0023 / Common.0018 for "project_id in token
//   mismatches with project_id in url", which hwlocal does not answer. Another project's ids in a body
//   (VPC, subnet, security group, image, key pair, EIP, server group, volume) are answered as missing ones.
//   ECS documents no code for a missing server group or job: both answer 404 with Ecs.0005. A
//   duplicate key pair answers 409 with Ecs.0005 (nova: 409 conflictingRequest); a missing one 404 with
//   Ecs.0314 (documented as 400, which server creation keeps). Key pair and server group quotas answer
//   400 Ecs.0001 (nova: 403 "Quota exceeded"). Success statuses are chosen, not read in the reference:
//   NovaCreateKeypair and CreateServerGroup 200, NovaDeleteKeypair and DeleteServerGroup 204.
//   Key pair names follow Huawei's console rule (1-64 letters, digits, "_", "-"), stricter than nova's.
//   ListServerAzInfo's type "core", mode "single", public_border_group "center", alias "AZ<n>" and
//   category 0 are assumptions; the default quota figures are a plausible account's, not a documented default.
//   A zone the region lacks gives an empty flavor list rather than an error.
//   Nova: nova's own error shape ({"itemNotFound":{"code":404,"message"}}) is not understood by the SDK;
//   Huawei's nova endpoints are taken to answer in ECS's nested shape with Ecs codes (a missing server 404
//   Ecs.0114), as hwlocal does. addresses are keyed by VPC id, as in ECS v1. A nova server without
//   block_device_mapping_v2 gets a SATA system disk; its root disk is deleted with it whatever the mapping's
//   delete_on_termination. max_count servers are made, or none when they do not all fit the quota (nova
//   makes as many as fit down to min_count), named "<name>-<n>" when several;
//   reservation_id sits inside `server` as the SDK's model has it. adminPass is echoed only when given.
//   Microversions: 2.1 shapes, except the embedded flavor from 2.47; a `name` filter is a substring with
//   optional ^/$ anchors, not a regular expression; tags/not-tags read as ECS v1's ("key" or "key=value";
//   not-tags leaves out a server having any of them, where nova leaves out one having all of them).
//   Tags: over 10 per server, a key over 36 or a value over 43 characters answer 400 Ecs.0005.
//   Volumes: a volume not found answers 400 Ecs.0005; one attached elsewhere 400 Ecs.0103; a volume in
//   another zone 400 Ecs.0005; ShowServerBlockDevice of a volume not attached 400 Ecs.0111. bootIndex of a
//   data disk is -1; free_blk/free_disk count 24 VBD slots and free_scsi 60, less the disks attached.
//   ListServerInterfaces' free_nic is the flavor's quota:vif_max_num less the ports.
//   Nova extras: a wrong-status action is ECS's 400 Ecs.0100 (nova: 409), a busy server 501 Ecs.0603; a
//   missing metadata key 404 Ecs.0005; another project's quota set 403 Ecs.0003; detaching the primary NIC
//   400 Ecs.0005 (ECS keeps it). Flavors have no local disk, so minDisk above 0 lists none; a flavor's
//   description (from 2.55) is null. nova's limits omit ECS v1's spot figures.
//   Actions: a running server is resized, or its OS changed or reinstalled, only with mode "withStopServer"
//   (otherwise 400 Ecs.0100), and returns running (resize: to where it was); ECS may leave a changed OS's
//   server in another power state. The system disk keeps its volume id and size through a change of OS.
//   Job types resizeServer/changeOS/reinstallOS are ECS's; their sub-jobs' names (resizeSingleServer, …) are
//   ours. Resize targets: same architecture, sold in the server's zone; quota counts the difference.
//   Passwords follow ECS's rule (8-26 chars, three kinds, no root/administrator) and are never stored;
//   ShowServerPassword answers "" and ShowResetPasswordFlag "True" for every image. The serial console is
//   off until UpdateSerialConsoleOptions turns it on (ShowSerialConsoleActions: 400 Ecs.0005); console URLs
//   point at hwlocal's own endpoint, which serves no console. auto_terminate_time is whole minutes in UTC;
//   "" cancels it; the server goes (with its ports, EIPs and root disk, data disks as created) at that time.
//   NIC jobs batchAddNics/batchDeleteNics (sub-jobs addSingleNic/deleteSingleNic) and the volume batch
//   jobs batchAttachSharableVolumes/batchDetachVolumes are named by hwlocal. BatchDetachVolumes reads
//   serverinfo as the reference's [{server_id}] or the SDK model's list of ids. ListServersByTag: tags
//   match every key with any of its values (any value when none is given); not_tags leaves out a server
//   matching any of them; matches takes resource_name as a substring; resource_detail is "".
//   ListCloudServers: 50 a page by default; in_recycle_bin=true lists the servers in the recycle bin
//   instead; market_info follows ChangeServerChargeMode; flavor figures are numbers. Sell policies: one per flavor, zone and mode (postPaid, prePaid), numbered in that
//   order; spot and reserved instances are not sold. ShowFlavorCapacity prefers the first zone.
//   Launch templates: a duplicate name answers 400 Ecs.0005 and a missing template 404 Ecs.0005 (codes
//   not documented); names follow 1-128 letters, digits, _ . -; the ListTemplates name filter is a
//   substring; page_info is {current_count, next_marker (when more)}; a version's id is derived from its
//   template's id and number; dry_run answers 202 with an empty body.
//   Maintenance: migrate and redeploy take a stopped server only (400 Ecs.0100 otherwise) and leave it
//   stopped; job types migrateServer/redeployServer are ours. ExecuteServerDump needs a running server and
//   changes nothing ECS shows (204). RegisterServerMonitor is recorded, 204. ChangeServerChargeMode takes
//   1-9 months or 1-3 years; order ids "CS" + 16 hex are ours; a server already yearly/monthly answers
//   400 Ecs.0005. A missing scheduled event answers 404 Ecs.0005 (code not documented).
//   Recycle bin: off by default, with the reference example's policy (7 days, 24 hours) as default;
//   recycle_threshold_day 0-365 (0: every server) and retention_hour 1-720 are our ranges. A server in the
//   bin keeps its ports, disks and EIPs and counts in the quota; any other id given to the bin's
//   operations is 404 Ecs.0114. DeleteRecycleBinServer frees resources by their own
//   delete_on_termination, not by the original delete request's flags (the timed purge uses those).
//   Job types purgeRecycledServer, revertServer and revertSingleServer are ours.
//   ChangeVpc: the server must be stopped (400 Ecs.0100) with one NIC (400 Ecs.0005); a missing VPC is
//   400 Ecs.0014, a subnet of another VPC 400 Ecs.0064; the new NIC is a new port (a new port id); EIPs
//   are bound again to it; the sub-job's name changeSingleServerVpc is ours.
import { defineService } from "../../kernel/service.ts";
import { ecsApi } from "./api.ts";
import { ECS_QUOTA } from "./quota.ts";
import type { EcsContext } from "./context.ts";
import { ecsServiceErrors } from "./errors.ts";
import { flavorOperations } from "./operations/flavors.ts";
import { jobOperations } from "./operations/jobs.ts";
import { keypairOperations } from "./operations/keypairs.ts";
import { limitOperations } from "./operations/limits.ts";
import { serverGroupOperations } from "./operations/server-groups.ts";
import { zoneOperations } from "./operations/zones.ts";
import { serverOperations } from "./operations/servers.ts";
import { serverCreateOperations } from "./operations/servers-create.ts";
import { novaServerOperations } from "./operations/nova-servers.ts";
import { novaServerListOperations } from "./operations/nova-servers-list.ts";
import { novaFlavorOperations } from "./operations/nova-flavors.ts";
import { novaServerActionOperations } from "./operations/nova-server-actions.ts";
import { novaVersionOperations } from "./operations/nova-versions.ts";
import { serverTagOperations } from "./operations/server-tags.ts";
import { serverVolumeOperations } from "./operations/server-volumes.ts";
import { serverInterfaceOperations } from "./operations/server-interfaces.ts";
import { registerServerJobs } from "./server-jobs.ts";
import { registerServerTasks } from "./server-tasks.ts";
import { registerNicJobs } from "./nic-jobs.ts";
import { serverNicOperations } from "./operations/server-nics.ts";
import { serverVolumeBatchOperations } from "./operations/server-volumes-batch.ts";
import { serverV11Operations } from "./operations/servers-v11.ts";
import { launchTemplateOperations } from "./operations/launch-templates.ts";
import { serverMaintenanceOperations } from "./operations/server-maintenance.ts";
import { scheduledEventOperations } from "./operations/scheduled-events.ts";
import { recycleBinOperations } from "./operations/recycle-bin.ts";
import { registerRecycleJobs } from "./recycle-bin.ts";
import { registerVpcJobs, serverVpcOperations } from "./operations/server-vpc.ts";
import { serverResizeOperations } from "./operations/server-resize.ts";
import { serverOsOperations } from "./operations/server-os.ts";
import { serverPasswordOperations } from "./operations/server-password.ts";
import { serverSettingOperations } from "./operations/server-settings.ts";
import { ECS_MIGRATIONS, EcsStore } from "./store.ts";
import { registerVolumeJobs } from "./volume-jobs.ts";

export const ecs = defineService<EcsContext>({
  name: "ecs",
  catalogType: "compute",
  global: false,
  sdkCatalogues: ["ecs_v2.ops.tsv"],
  errors: ecsServiceErrors,
  migrations: ECS_MIGRATIONS,
  init(rt) {
    const ctx: EcsContext = {
      store: new EcsStore(rt.db),
      jobs: rt.jobs,
      vpc: () => rt.api("vpc"),
      evs: () => rt.api("evs"),
      ims: () => rt.api("ims"),
      bootMs: rt.settings.serverBootSeconds * 1000,
      quota: {
        instances: rt.settings.ecsMaxServers,
        cores: rt.settings.ecsMaxServers * (ECS_QUOTA.cores / ECS_QUOTA.instances),
        ram: rt.settings.ecsMaxServers * (ECS_QUOTA.ram / ECS_QUOTA.instances),
      },
    };
    registerServerJobs(ctx, rt.ids);
    registerVolumeJobs(ctx);
    registerServerTasks(ctx);
    registerNicJobs(ctx);
    registerRecycleJobs(ctx);
    registerVpcJobs(ctx);
    return ctx;
  },
  api: (svc) => ecsApi(svc),
  afterReset: (svc) => svc.store.servers.forget(),
  operations: [
    ...flavorOperations,
    ...zoneOperations,
    ...limitOperations,
    ...keypairOperations,
    ...serverGroupOperations,
    ...jobOperations,
    ...serverCreateOperations,
    ...serverOperations,
    ...novaServerOperations,
    ...novaServerListOperations,
    ...novaFlavorOperations,
    ...novaServerActionOperations,
    ...serverTagOperations,
    ...serverVolumeOperations,
    ...serverInterfaceOperations,
    ...novaVersionOperations,
    ...serverResizeOperations,
    ...serverOsOperations,
    ...serverPasswordOperations,
    ...serverSettingOperations,
    ...serverNicOperations,
    ...serverVolumeBatchOperations,
    ...serverV11Operations,
    ...launchTemplateOperations,
    ...serverMaintenanceOperations,
    ...scheduledEventOperations,
    ...recycleBinOperations,
    ...serverVpcOperations,
  ],
});
