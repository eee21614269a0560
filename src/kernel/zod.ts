// hwlocal's zod: `import { z } from "…/kernel/zod.ts"` instead of from "zod". zod's root namespace carries
// every locale and the whole API (~750 KB bundled, and ~25 ms of every cold start to evaluate); this
// namespace names only what hwlocal uses, so the bundler leaves the rest out.
export * as z from "./zod-exports.ts";
