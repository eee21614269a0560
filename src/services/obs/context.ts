// What OBS's operations share: the store (buckets, objects, multipart, blob files) and the clock.
import type { Clock } from "../../kernel/clock.ts";
import type { ObsStore } from "./store/index.ts";

export interface ObsContext {
  store: ObsStore;
  clock: Clock;
  /** The region of a request that names none (path style on 127.0.0.1): the seed's first region. */
  defaultRegion: string;
  /** --obs-aws-chunked: refuse the AWS SDKs' aws-chunked uploads as OBS does (default), or decode them. */
  awsChunked: "refuse" | "accept";
  /** Unexpected exceptions (bugs), logged by the server. */
  onBug?: (err: unknown) => void;
}
