// Shared by the Auto Scaling tests: the public image they launch and Huawei's AS error check.
import assert from "node:assert/strict";
import type { CallResult } from "./hwlocal.ts";

/** The public Ubuntu 22.04 image of hwlocal's IMS catalogue. */
export const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";

/** An AS error: the status, {"error":{"code","message"}}, and error_code/error_msg alike. */
export function expectError(r: CallResult, code: string, status = 400): void {
  assert.equal(r.status, status, r.text);
  const error = r.json.error as { code: string; message: string };
  assert.equal(error.code, code, r.text);
  assert.equal(typeof error.message, "string");
  assert.equal(r.json.error_code, code);
}
