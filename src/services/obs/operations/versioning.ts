// Versioning: GetBucketVersioning, SetBucketVersioning, ListVersions (version ids, delete markers).
import type { ObsOperation } from "../http.ts";

export const versioningOperations: Record<string, ObsOperation> = {};
