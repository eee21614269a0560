// The project's certificate private-key echo switch (elb-facts §2): CreateCertificatePrivateKeyEcho POST and
// ShowCertificatePrivateKeyEcho GET /elb/certificates/settings/private-key-echo, {private_key_echo}. On, the
// certificate APIs show private_key; off, they show "*****" instead (certificates.ts asks keyEcho). One row
// of elb_project_settings a project that has set it (id = the project).
// Doubt: the default. hwlocal has always shown the key, so a project that never set the switch has it on.
import { z } from "../../../kernel/zod.ts";
import { elbOperation, requireScope, V3, type ElbContext } from "../context.ts";

export interface ProjectSettingsDoc {
  private_key_echo: boolean;
}

export const MASKED_KEY = "*****";

/** Whether the certificate APIs show private keys in this project. */
export function keyEcho(svc: ElbContext, projectId: string): boolean {
  return svc.store.projectSettings.get(projectId, projectId)?.doc.private_key_echo ?? true;
}

const path = `${V3}/certificates/settings/private-key-echo`;

export const createCertificatePrivateKeyEcho = elbOperation({
  name: "CreateCertificatePrivateKeyEcho",
  method: "POST",
  path,
  body: z.object({ private_key_echo: z.boolean() }),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { projectSettings } = ctx.svc.store;
    const echo = ctx.input.body.private_key_echo;
    const row = projectSettings.get(projectId, projectId);
    if (row) {
      row.doc.private_key_echo = echo;
      projectSettings.update(row);
    } else projectSettings.insert({ id: projectId, projectId, lbId: null, parentId: null, doc: { private_key_echo: echo } });
    return { status: 201, body: { private_key_echo: echo, request_id: ctx.request.requestId } };
  },
});

export const showCertificatePrivateKeyEcho = elbOperation({
  name: "ShowCertificatePrivateKeyEcho",
  method: "GET",
  path,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    return { body: { private_key_echo: keyEcho(ctx.svc, projectId), request_id: ctx.request.requestId } };
  },
});

export const certEchoOperations = [createCertificatePrivateKeyEcho, showCertificatePrivateKeyEcho];
