// IMS: the public image catalogue, projects' private images (made from servers, copied, imported), and jobs.
//
// Emulated: ListImages (GET /v2/cloudimages) with exact-match filters __imagetype, visibility, protected,
//   status, name, id, owner, __os_type, __platform, __os_bit, __isregistered, disk_format, container_format,
//   virtual_env_type; marker/limit paging (limit default 500); sort_key (name, container_format, disk_format,
//   status, id, size, created_at) and sort_dir (default created_at desc). GlanceShowImage and
//   GlanceDeleteImage (/v2/images/{id}), GlanceUpdateImage and UpdateImage (JSON Patch of /name,
//   /__description, /min_ram, /max_ram (not below min_ram unless 0) on the project's active private
//   images). CreateImage from an ECS
//   (POST /v2/cloudimages/action {name, instance_id, description?, min_ram?, max_ram?}): the project's server
//   (rt.api("ecs")), ACTIVE or SHUTOFF, gives a private image (__imagetype and visibility "private", owner the
//   project, __data_origin "instance,<server id>") with min_disk = its system disk's size (rt.api("evs")),
//   os fields, firmware and image size from the server's source image, min_ram/max_ram from the body or
//   the source image. The image is "queued" at once and an imsCreateImageByInstance job (entities image_id,
//   image_name) makes it "saving" after IMS_TIMINGS.queuedMs (1 s) and "active" IMS_TIMINGS.savingMs (5 s)
//   later on hwlocal's clock (jobs.ts); ECS can then boot servers from it. ShowJob for IMS jobs of the project.
//   rt.api("ims").image(projectId, id) for ECS and EVS.
//   Glance v2 (operations/glance*.ts): GlanceListImages in glance's shape (first/next links relative to the
//   endpoint, limit 25 by default and 1,000 at most, sort=key:dir, tag, visibility=shared with
//   member_status), image tags, image members (an active private image shared with another project, which
//   accepts or rejects it; accepted shared images are listed and bootable there, as __imagetype "shared"),
//   the image, images, member and members schemas, and glance's image create (a private image "queued",
//   its OS from __os_version/__os_type) and upload (an application/octet-stream file: the image "active"
//   with the file's size as __image_size; the bytes are counted, not kept, within the request size limit).
//   Glance v1.1's detail list (IMS's fields under properties) and delete.
//   ShowImageQuota (the project's private images against the default quota of 100) and ListOsVersions (the
//   public catalogue's OS versions by platform; tag=uefi): operations/quota.ts. IMS's key/value image tags
//   on the project's private images (add, batch add/delete, delete, list an image's, list the project's
//   keys and values): operations/tags.ts. IMS's v1 sharing (batch add, delete and accept/reject members as
//   jobs; list and show an image's members) over glance's memberships: operations/members.ts. ExportImage's
//   checks and job, writing no file (operations/export.ts). IMS's older tag APIs over the same tags
//   (CreateOrUpdateTags, BatchDeleteTags, ListTags's "key.value" list) and the tag search ListImageByTags
//   (filter/count with tags, tags_any, not_tags, not_tags_any, matches on resource_name, without_any_tag):
//   operations/tags-v1.ts. ShowJobProgress (GET /v1/cloudimages/job/{job_id}: ShowJob's fields with
//   process_percent 0/50/100): operations/jobs.ts. CopyImageInRegion: a private copy of the project's
//   active private image through an imsCopyImageInRegion job (operations/copy.ts). Images from OBS files,
//   bookkeeping only, as ExportImage is (image_url's "bucket:object" checked for form, never read):
//   ImportImageQuick (a system disk image, its OS from os_version, or a DataImage), CreateDataImage (a data
//   disk image, virtual_env_type DataImage) and RegisterImage (the file of a queued glance image), each
//   through a job that makes the image active (operations/import.ts). The /v2.1 "safe mode" paths
//   (CreateImageInSafeMode, CopyImageInRegionInSafeMode, CreateDataImageInSafeMode, ExportImageInSafeMode,
//   ImportImageQuickInSafeMode) are the same operations under their own names (context.ts inSafeMode).
// Gaps: CreateImage from an image file in OBS (image_url), from a data disk (volume_id) and of data disk
//   images (data_images), and CreateWholeImage (POST /v1/cloudimages/wholeimages/action), answer 501 naming
//   the form after checking the name. CreateImage keeps tags ("key.value") or image_tags as the image's IMS
//   tags and accepts enterprise_project_id without keeping it (all images are in enterprise project "0"). No private image quota
//   (IMG.0015) and no duplicate-name check (IMG.0009). The server's task state is not visible through EcsApi:
//   a server ACTIVE while it stops may be imaged. The flavor_id filter is accepted and not applied (every
//   catalogue image fits every flavor); min_disk/min_ram/tag/member_status/__support_* and the
//   created_at/updated_at comparison filters are ignored (glance's tag and member_status are applied). Market
//   images, the v2.0 JSON-Patch spelling ({"replace":"/name"}) and CopyImageCrossRegion (POST
//   /v1/cloudimages/{image_id}/cross_region_copy: it names the target project by project_name and an IAM
//   agency, which IMS cannot look up without an IAM API for other services) are not served: each answers
//   501 naming it (catalogue/ims_v2.ops.tsv). Images imported from OBS have __image_size 0 (no file is
//   read); BMS and arm imports answer 501; cmk_id (encryption) and license_type are accepted and not kept.
//   Sharing does not check that the member project is in the image's region.
// By design: the same public catalogue in every region with the same ids, UUIDs derived from the image name
//   (on the cloud each region has its own ids): scripts may hard-code them. Public images are constant data,
//   not rows, so a reset cannot lose them. Without a project (no X-Project-Id, a domain-scoped token) the
//   list and show see public images only. Making an image copies nothing: a private image is metadata.
// Client quirks: the SDKs send X-Project-Id on every IMS call, which is how the global-looking /v2/cloudimages
//   paths find the project whose private images to include.
// Doubts: glance's member and tag refusals use codes of ours (IMS documents none): a member already there
//   409 IMG.0001, a missing member or tag 404 IMG.0027, the owner answering for a member 403 IMG.0047.
//   Glance's default page size (25) is glance's; Huawei's for /v2/images is taken to be the same.
//   The reference lists every IMG code as HTTP 400; we answer 404 for an unknown image (IMG.0027) as the
//   OpenStack-native APIs document 404, and 404 IMG.0023 for an unknown job (undocumented for IMS). The
//   gateway's "project not yours" refusal is 403 IMG.0030. Deleting a public image is 400 IMG.0094 and patching
//   one 400 IMG.0047, as IMS's table says, where Glance would say 403. __platform of Huawei Cloud EulerOS is
//   "EulerOS" (the documented enum has no other fit). min_ram of the catalogue images is our guess.
//   CreateImage: the user guide says a system disk image may be made from a Running or Stopped ECS, while
//   the error table keeps IMG.0008 "...not in stopped state" from an older rule; we allow both, answer 400
//   IMG.0010 for a server in a transitional status (BUILD, REBOOT, RESIZE, ...) or with an image already being
//   made from it, and IMG.0008 (with hwlocal's reason) for ERROR/SHELVED/UNKNOWN. Another project's server is
//   400 IMG.0005, as a missing one. The API answers 200 {job_id} as documented. The documented min_ram default
//   is 0; we inherit the source image's. When the source image is gone (a deleted private image) the new
//   image's os fields are "Other" and its size the disk's (the cloud keeps them in the server's metadata).
//   Whether the job's entities carry image_id while it runs is not documented; ours do from the start.
//   The job_type names of copies, imports and registrations (imsCopyImageInRegion, imsQuickImportImage,
//   imsCreateDataImageByFile, imsRegisterImage) are ours, as is the __data_origin of a copy ("image,<id>";
//   imports say "file,<image_url>"). ShowJobProgress's process_percent has three steps, not the cloud's.
//   ListOsVersions lists the catalogue's versions only (the cloud lists every version an import accepts);
//   tag=bms and other tags give an empty list, as hwlocal has no BMS images.
import { defineService } from "../../kernel/service.ts";
import { imsApi } from "./api.ts";
import type { ImsContext } from "./context.ts";
import { imsServiceErrors } from "./errors.ts";
import { registerImageJobs } from "./jobs.ts";
import { createImageOperations } from "./operations/create-image.ts";
import { glanceOperations } from "./operations/glance.ts";
import { glanceCreateOperations } from "./operations/glance-create.ts";
import { glanceV1Operations } from "./operations/glance-v1.ts";
import { glanceSchemaOperations } from "./operations/glance-schemas.ts";
import { imageOperations } from "./operations/images.ts";
import { jobOperations } from "./operations/jobs.ts";
import { quotaOperations } from "./operations/quota.ts";
import { tagOperations } from "./operations/tags.ts";
import { tagV1Operations } from "./operations/tags-v1.ts";
import { copyOperations } from "./operations/copy.ts";
import { importOperations } from "./operations/import.ts";
import { memberOperations, registerMemberJobs } from "./operations/members.ts";
import { exportOperations, registerExportJobs } from "./operations/export.ts";
import { versionOperations } from "./operations/versions.ts";
import { IMS_MIGRATIONS, ImsStore } from "./store.ts";

export const ims = defineService<ImsContext>({
  name: "ims",
  catalogType: "image",
  global: false,
  sdkCatalogues: ["ims_v2.ops.tsv"],
  errors: imsServiceErrors,
  migrations: IMS_MIGRATIONS,
  init(rt) {
    const store = new ImsStore(rt.db);
    registerImageJobs(rt.jobs, store);
    registerMemberJobs(rt.jobs, store);
    registerExportJobs(rt.jobs, store);
    return { store, jobs: rt.jobs, ecs: () => rt.api("ecs"), evs: () => rt.api("evs") };
  },
  api: (svc) => imsApi(svc.store),
  operations: [
    ...imageOperations,
    ...createImageOperations,
    ...jobOperations,
    ...versionOperations,
    ...glanceOperations,
    ...glanceSchemaOperations,
    ...glanceCreateOperations,
    ...glanceV1Operations,
    ...quotaOperations,
    ...tagOperations,
    ...tagV1Operations,
    ...memberOperations,
    ...exportOperations,
    ...copyOperations,
    ...importOperations,
  ],
});
