// Huawei's vendor extension of cinder's volumes, /v2 and /v3 (V3 suffix): ShowVendorVolume (os-vendor-volumes/
// {volume_id}: {volume}) and ListVendorVolumes (os-vendor-volumes/detail: {volumes, count, volumes_links}).
// Doubt: the reference gives these only as paths (src=api-ref); their bodies are taken to be EVS's own volume
// view (the same fields as cloudvolumes), with ListVolumes' filters, paging and errors.
import { evsOperation, requireProject, requireVolume, viewBase } from "../context.ts";
import * as views from "../views.ts";
import { links, ListQuery, page } from "./list.ts";

const VERSIONS = [
  ["v2", ""],
  ["v3", "V3"],
] as const;

export const vendorVolumeOperations = VERSIONS.flatMap(([version, suffix]) => [
  evsOperation({
    name: `ListVendorVolumes${suffix}`,
    method: "GET",
    path: `/${version}/{project_id}/os-vendor-volumes/detail`,
    query: ListQuery,
    handle(ctx) {
      const p = requireProject(ctx.scope);
      const r = page(ctx.svc, p, ctx.input.query, ctx.request, "os-vendor-volumes/detail", version);
      const base = viewBase(ctx.request, p);
      return {
        body: { volumes: r.volumes.map((v) => views.volume(v, r.attachments.get(v.id) ?? [], base)), count: r.count, ...links(r.next) },
      };
    },
  }),
  evsOperation({
    name: `ShowVendorVolume${suffix}`,
    method: "GET",
    path: `/${version}/{project_id}/os-vendor-volumes/{volume_id}`,
    handle(ctx) {
      const p = requireProject(ctx.scope);
      const v = requireVolume(ctx.svc.store, p, ctx.input.path.volume_id!);
      return { body: { volume: views.volume(v, ctx.svc.store.attachments(v.id), viewBase(ctx.request, p)) } };
    },
  }),
]);
