// IMS's rules for what users name and describe (IMS API reference, "Image Attributes"), shared by the
// PATCH operations and CreateImage.
import { imsErrors } from "./errors.ts";

/** Letters, digits, "-", ".", "_", spaces (not leading or trailing) and Chinese characters. */
const NAME_CHARS = /^[A-Za-z0-9\-._ \u4e00-\u9fa5]+$/;

export function checkName(v: string): string {
  if (v.length > 128) throw imsErrors.nameTooLong();
  if (v.length < 1 || v.trim() !== v || !NAME_CHARS.test(v)) throw imsErrors.nameInvalid();
  return v;
}

export function checkDescription(v: string): string {
  if (v.length > 1024) throw imsErrors.descriptionTooLong();
  if (/[\r\n<>]/.test(v)) throw imsErrors.descriptionInvalid();
  return v;
}

/** A memory size in MB as IMS takes it (min_ram, max_ram): a whole number, at most 1 TiB. */
export function checkMemory(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === "string" && /^[0-9]{1,7}$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 1_048_576) throw imsErrors.memoryInvalid();
  return n;
}
