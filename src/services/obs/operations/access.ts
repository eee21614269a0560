// Access: bucket and object ACLs, bucket policy; public-read buckets and objects open to anonymous reads.
import type { ObsOperation } from "../http.ts";

export const accessOperations: Record<string, ObsOperation> = {};
