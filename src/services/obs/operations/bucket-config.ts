// Bucket configuration: CORS (and OPTIONS preflight), tagging, storage policy, quota, storage info.
import type { ObsOperation } from "../http.ts";

export const bucketConfigOperations: Record<string, ObsOperation> = {};
