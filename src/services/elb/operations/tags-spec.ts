// Tag rules shared by load balancers and listeners (elb-facts §2, tags): keys ≤36, values ≤43 characters.
import { z } from "../../../kernel/zod.ts";

export const tagSchema = z.object({ key: z.string().min(1).max(36), value: z.string().max(43).optional() }).transform((t) => ({ key: t.key, value: t.value ?? "" }));
