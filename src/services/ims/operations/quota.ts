// ShowImageQuota (GET /v1/cloudimages/quota) and ListOsVersions (GET /v1/cloudimages/os_version).
// The quota: {quotas:{resources:[{type:"image", used, quota, min, max}]}}, used = the project's private
//   images in this region, quota = IMS's default private image quota (100; min 1, max 100 as the reference's
//   example shows). The quota is reported, not enforced (index.ts, Gaps: no IMG.0015).
// The OS versions: a JSON array of {platform, version_list:[{platform, os_version_key, os_version, os_bit,
//   os_type}]}, one entry per platform, from the OS versions of hwlocal's public catalogue. tag=uefi keeps
//   the versions whose image boots with UEFI; other tags (bms, arm, ...) name images hwlocal does not have
//   and give an empty list (Doubts in index.ts).
import { z } from "../../../kernel/zod.ts";
import { PUBLIC_IMAGES } from "../catalogue.ts";
import { imsOperation, requireProject } from "../context.ts";

/** IMS's default private image quota per project and region, and its bounds. */
export const IMAGE_QUOTA = { quota: 100, min: 1, max: 100 } as const;

export const showImageQuota = imsOperation({
  name: "ShowImageQuota",
  method: "GET",
  path: "/v1/cloudimages/quota",
  handle(ctx) {
    const used = ctx.svc.store.images(requireProject(ctx.scope)).length;
    return { body: { quotas: { resources: [{ type: "image", used, ...IMAGE_QUOTA }] } } };
  },
});

export const listOsVersions = imsOperation({
  name: "ListOsVersions",
  method: "GET",
  path: "/v1/cloudimages/os_version",
  query: z.object({ tag: z.string().optional() }),
  handle(ctx) {
    const tag = ctx.input.query.tag;
    const byPlatform = new Map<string, { platform: string; os_version_key: string; os_version: string; os_bit: string; os_type: string }[]>();
    for (const i of PUBLIC_IMAGES) {
      if (tag !== undefined && !(tag === "uefi" && i.firmware === "uefi")) continue;
      const list = byPlatform.get(i.platform) ?? [];
      if (!list.some((v) => v.os_version === i.osVersion)) {
        list.push({ platform: i.platform, os_version_key: i.osVersion, os_version: i.osVersion, os_bit: i.osBit, os_type: i.osType });
      }
      byPlatform.set(i.platform, list);
    }
    return { body: [...byPlatform].map(([platform, version_list]) => ({ platform, version_list })) };
  },
});

export const quotaOperations = [showImageQuota, listOsVersions];
