// Lifecycle: Get/Set/DeleteBucketLifecycle; expiry run on hwlocal's clock.
import type { ObsOperation } from "../http.ts";

export const lifecycleOperations: Record<string, ObsOperation> = {};
