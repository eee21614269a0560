// What IMS offers other services (ECS checks the image of a new server; EVS the image of a new volume):
// rt.api("ims").image(projectId, imageId) gives a public image or the project's own private image.
import { findImage } from "./context.ts";
import type { ImageStatus, OsType } from "./model.ts";
import type { ImsStore } from "./store.ts";

export interface ImsImage {
  id: string;
  name: string;
  status: ImageStatus;
  visibility: "public" | "private" | "shared";
  /** __imagetype */
  imageType: "gold" | "private" | "shared";
  /** GB */
  minDisk: number;
  /** MB */
  minRam: number;
  osType: OsType;
  platform: string;
  osVersion: string;
  osBit: "32" | "64";
  diskFormat: string;
  virtualEnvType: "FusionCompute" | "DataImage";
  /** bytes */
  imageSize: number;
}

export interface ImsApi {
  /** A public image or one of the project's private images; undefined for any other id. */
  image(projectId: string, imageId: string): ImsImage | undefined;
}

declare module "../../kernel/service.ts" {
  interface ServiceApis {
    ims: ImsApi;
  }
}

export function imsApi(store: ImsStore): ImsApi {
  return {
    image(projectId, imageId) {
      const i = findImage(store, projectId, imageId);
      if (!i) return undefined;
      return {
        id: i.id,
        name: i.name,
        status: i.status,
        visibility: i.visibility,
        imageType: i.imageType,
        minDisk: i.minDisk,
        minRam: i.minRam,
        osType: i.osType,
        platform: i.platform,
        osVersion: i.osVersion,
        osBit: i.osBit,
        diskFormat: i.diskFormat,
        virtualEnvType: i.virtualEnvType,
        imageSize: i.imageSize,
      };
    },
  };
}
