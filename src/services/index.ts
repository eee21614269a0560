// The one registry of services. A service listed in SERVICES is served; one in KNOWN_ONLY is known from
// its official SDK's operation list, and every call to it answers 501 naming the operation until it is
// built (then it moves to SERVICES).
import { ApiError } from "../kernel/api-error.ts";
import type { ServiceDefinition, ServiceErrors } from "../kernel/service.ts";
import { as } from "./as/index.ts";
import { ces } from "./ces/index.ts";
import { ecs } from "./ecs/index.ts";
import { eip } from "./eip/index.ts";
import { elb } from "./elb/index.ts";
import { evs } from "./evs/index.ts";
import { iam } from "./iam/index.ts";
import { ims } from "./ims/index.ts";
import { obs } from "./obs/index.ts";
import { smn } from "./smn/index.ts";
import { vpc } from "./vpc/index.ts";

// Typed as definitions of unknown context: a union of differently typed definitions would not bind.
// eip serves VPC's EIP operations on EIP's own endpoint over VPC's state (see eip/index.ts).
export const SERVICES: readonly ServiceDefinition<unknown>[] = [iam, ecs, ims, evs, vpc, eip, as, smn, ces, obs, elb];

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
