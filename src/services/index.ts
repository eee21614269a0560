// The one registry of services. A service listed in SERVICES is served; one in KNOWN_ONLY is known from
// its official SDK's operation list, and every call to it answers 501 naming the operation until it is
// built (then it moves to SERVICES).
//
// A service starts when first used (engine/service-host.ts): SERVICES holds what is needed before that (its
// name, catalog type, whether it is global, a streaming service's classifier) and `load`, which returns its
// definition. Each service's modules are imported here as a namespace (`import * as …Module`) and read only
// in `load`: the build (scripts/build.mjs) turns exactly these imports into requires made on first use, so
// that the bundle evaluates a service's code only when the service starts. Keep that form for a new service.
import { ApiError } from "../kernel/api-error.ts";
import type { ServiceErrors, ServiceManifest } from "../kernel/service.ts";
import { claimsObs } from "./obs/classify.ts";
import * as asModule from "./as/index.ts";
import * as cesModule from "./ces/index.ts";
import * as ecsModule from "./ecs/index.ts";
import * as eipModule from "./eip/index.ts";
import * as elbModule from "./elb/index.ts";
import * as evsModule from "./evs/index.ts";
import * as iamModule from "./iam/index.ts";
import * as imsModule from "./ims/index.ts";
import * as obsModule from "./obs/index.ts";
import * as smnModule from "./smn/index.ts";
import * as vpcModule from "./vpc/index.ts";

// eip serves VPC's EIP operations on EIP's own endpoint over VPC's state (see eip/index.ts). The order is
// the bare-path precedence of gateway/resolve-service.ts.
export const SERVICES: readonly ServiceManifest[] = [
  { name: "iam", catalogType: "identity", global: true, identity: true, load: () => iamModule.iam },
  { name: "ecs", catalogType: "compute", global: false, uses: ["vpc", "evs", "ims"], load: () => ecsModule.ecs },
  { name: "ims", catalogType: "image", global: false, uses: ["ecs", "evs"], load: () => imsModule.ims },
  { name: "evs", catalogType: "volumev2", global: false, uses: ["ims"], load: () => evsModule.evs },
  { name: "vpc", catalogType: "network", global: false, load: () => vpcModule.vpc },
  { name: "eip", catalogType: "eip", global: false, uses: ["vpc"], load: () => eipModule.eip },
  { name: "as", catalogType: "autoscaling", global: false, uses: ["ces", "ecs", "elb", "ims", "smn", "vpc"], load: () => asModule.as },
  { name: "smn", catalogType: "smn", global: false, load: () => smnModule.smn },
  { name: "ces", catalogType: "cloudeye", global: false, follows: ["ecs", "as", "elb"], load: () => cesModule.ces },
  // Before it starts, OBS claims requests by their headers alone; once started, its own handler also
  // claims anonymous requests for its buckets (there are none before).
  { name: "obs", catalogType: "object", global: false, claims: claimsObs, load: () => obsModule.obs },
  { name: "elb", catalogType: "elb", global: false, uses: ["ecs", "vpc"], load: () => elbModule.elb },
];

export function genericErrors(shape: ServiceErrors["shape"], prefix: string): ServiceErrors {
  const e = (status: number, code: string, message: string) => new ApiError({ status, code, message, shape });
  return {
    shape,
    invalidBody: (d) => e(400, `${prefix}.0005`, `Invalid parameter: ${d}`),
    invalidParameter: (d) => e(400, `${prefix}.0005`, `Invalid parameter: ${d}`),
    forbidden: (d) => e(403, `${prefix}.0403`, d),
  };
}

export const KNOWN_ONLY: { name: string; catalogType: string; global: boolean; files: string[]; errors: ServiceErrors }[] = [];
