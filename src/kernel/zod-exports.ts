// The members of zod that hwlocal uses, by name (see zod.ts for why). Add one here before using it.
export { array, boolean, coerce, enum, iso, literal, NEVER, number, object, record, strictObject, string, union, unknown } from "zod";
export type { infer, input, output, ZodError, ZodType } from "zod";
