// What other parts of hwlocal may ask of OBS: where its blob files are, for the control plane's
// checkpoints and state export (src/control/state/), which hard-link those immutable files.
import { join } from "node:path";
import type { ObsContext } from "./context.ts";

export interface ObsApi {
  /** The folder of the object and part files, named as the rows name them. */
  blobDir: string;
}

declare module "../../kernel/service.ts" {
  interface ServiceApis {
    obs: ObsApi;
  }
}

export const obsApi = (svc: ObsContext): ObsApi => ({ blobDir: join(svc.store.root, "blobs") });
