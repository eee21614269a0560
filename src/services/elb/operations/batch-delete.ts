// BatchDeletePools ({"pools":[ids]}) and BatchDeleteCertificates ({"certificates":[ids]}): each id is
// deleted on its own and answered {id, ret_status: "successful" | "not found" | "failed", ret_code} (200).
// A pool or certificate still in use fails with ELB.8907 (the code its single delete answers); the others go.
import { ApiError } from "../../../kernel/api-error.ts";
import { z } from "../../../kernel/zod.ts";
import { elbOperation, requireScope, V3 } from "../context.ts";
import { removeCertificate } from "./certificates.ts";
import { removePool } from "./pools.ts";

const ids = (key: string) => z.object({ [key]: z.array(z.string()).min(1).max(100) });

type Outcome = { id: string; ret_status: string; ret_code?: string };

function each(list: string[], remove: (id: string) => boolean): Outcome[] {
  return list.map((id) => {
    try {
      return remove(id) ? { id, ret_status: "successful" } : { id, ret_status: "not found" };
    } catch (e) {
      if (e instanceof ApiError) return { id, ret_status: "failed", ret_code: e.code };
      throw e;
    }
  });
}

export const batchDeletePools = elbOperation({
  name: "BatchDeletePools",
  method: "POST",
  path: `${V3}/pools/batch-delete`,
  body: ids("pools"),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const list = ctx.input.body.pools ?? [];
    const pools = svc.store.tx(() =>
      each(list, (id) => {
        const p = svc.store.pools.get(projectId, id);
        if (!p) return false;
        removePool(svc, p);
        return true;
      }),
    );
    return { body: { pools, request_id: ctx.request.requestId } };
  },
});

export const batchDeleteCertificates = elbOperation({
  name: "BatchDeleteCertificates",
  method: "POST",
  path: `${V3}/certificates/batch-delete`,
  body: ids("certificates"),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const list = ctx.input.body.certificates ?? [];
    const certificates = svc.store.tx(() =>
      each(list, (id) => {
        const c = svc.store.certificates.get(projectId, id);
        if (!c) return false;
        removeCertificate(svc, c);
        return true;
      }),
    );
    return { body: { certificates, request_id: ctx.request.requestId } };
  },
});

export const batchDeleteOperations = [batchDeletePools, batchDeleteCertificates];
