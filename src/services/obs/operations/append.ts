// AppendObject: x-obs-next-append-position, PositionNotEqualToLength, ObjectNotAppendable.
import type { ObsOperation } from "../http.ts";

export const appendOperations: Record<string, ObsOperation> = {};
