// The members of zod that hwlocal uses, by name (see zod.ts for why). Add one here before using it. Every
// builder is wrapped by zod-lazy.ts: a schema is built the first time it is used, not at start-up.
import * as zod from "zod";
import { lazily, lazyNamespace } from "./zod-lazy.ts";

export const array = lazily(zod.array);
export const boolean = lazily(zod.boolean);
export const coerce = lazyNamespace(zod.coerce);
const enum_ = lazily(zod.enum);
export { enum_ as enum };
export const iso = lazyNamespace(zod.iso);
export const literal = lazily(zod.literal);
export const NEVER = zod.NEVER;
export const number = lazily(zod.number);
export const object = lazily(zod.object);
export const record = lazily(zod.record);
export const strictObject = lazily(zod.strictObject);
export const string = lazily(zod.string);
export const union = lazily(zod.union);
export const unknown = lazily(zod.unknown);
export type { infer, input, output, ZodError, ZodType } from "zod";
