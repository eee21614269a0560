// Nova SSH key pairs (/v2.1/{project_id}/os-keypairs): generated (RSA 2048, the private key returned once
// and never stored) or imported from an OpenSSH public key. A key pair belongs to the user who made it.
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope, queryInt, type ProjectScope } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { ECS_QUOTA } from "../quota.ts";
import { checkPublicKey, generateRsaKeyPair } from "../ssh-keys.ts";
import type { EcsStore, KeypairOwner, KeypairRow } from "../store.ts";
import * as views from "../views.ts";

/** Huawei's rule for key pair names. */
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

function owner(p: ProjectScope): KeypairOwner {
  return { projectId: p.projectId, userId: p.userId };
}

/** Name and quota checks; run before generating a key and again, atomically, before storing it. */
function checkNew(store: EcsStore, o: KeypairOwner, name: string): void {
  if (store.keypairs.get(o, name)) throw ecsErrors.keypairExists(name);
  if (store.keypairs.count(o) >= ECS_QUOTA.keypairs) throw ecsErrors.keypairQuota(ECS_QUOTA.keypairs);
}

function insert(store: EcsStore, row: Omit<KeypairRow, "id">): KeypairRow {
  return store.tx(() => {
    checkNew(store, { projectId: row.project_id, userId: row.user_id }, row.name);
    return store.keypairs.insert(row);
  });
}

export const novaCreateKeypair = ecsOperation({
  name: "NovaCreateKeypair",
  method: "POST",
  path: "/v2.1/{project_id}/os-keypairs",
  body: z.object({
    keypair: z.object({
      name: z.string(),
      public_key: z.string().max(16_384).optional(),
      type: z.enum(["ssh", "x509"]).optional(),
      user_id: z.string().optional(),
    }),
  }),
  async handle(ctx) {
    const p = projectScope(ctx.scope);
    const b = ctx.input.body.keypair;
    const { store } = ctx.svc;
    if (!NAME.test(b.name)) {
      throw ecsErrors.keypairInvalid("Keypair name must be 1 to 64 letters, digits, underscores or hyphens.");
    }
    if (b.type === "x509") throw ecsErrors.invalidParameter("type: x509 key pairs are not supported by hwlocal.");
    if (b.user_id !== undefined && b.user_id !== p.userId) {
      throw ecsErrors.forbidden("A key pair can only be created for the calling user.");
    }
    const o = owner(p);
    checkNew(store, o, b.name);
    const base = { project_id: o.projectId, user_id: o.userId, name: b.name, type: "ssh" as const, created_at: ctx.clock.now() };
    if (b.public_key !== undefined) {
      const checked = checkPublicKey(b.public_key);
      if (!checked.ok) throw ecsErrors.keypairInvalid(checked.reason);
      const row = insert(store, { ...base, public_key: b.public_key.trim(), fingerprint: checked.fingerprint });
      return { body: { keypair: views.createdKeypair(row) } };
    }
    const generated = await generateRsaKeyPair("Generated-by-Nova");
    const row = insert(store, { ...base, public_key: generated.publicKey, fingerprint: generated.fingerprint });
    return { body: { keypair: views.createdKeypair(row, generated.privateKey) } };
  },
});

export const novaListKeypairs = ecsOperation({
  name: "NovaListKeypairs",
  method: "GET",
  path: "/v2.1/{project_id}/os-keypairs",
  query: z.object({ limit: queryInt(1, 1000).optional(), marker: z.string().optional() }),
  handle(ctx) {
    const o = owner(projectScope(ctx.scope));
    const { limit, marker } = ctx.input.query;
    if (marker !== undefined && !ctx.svc.store.keypairs.get(o, marker)) {
      throw ecsErrors.invalidParameter(`marker: the key pair ${marker} could not be found.`);
    }
    const rows = ctx.svc.store.keypairs.list(o, { marker, limit });
    return { body: { keypairs: rows.map((k) => ({ keypair: views.simpleKeypair(k) })) } };
  },
});

export const novaShowKeypair = ecsOperation({
  name: "NovaShowKeypair",
  method: "GET",
  path: "/v2.1/{project_id}/os-keypairs/{keypair_name}",
  handle(ctx) {
    const name = ctx.input.path.keypair_name ?? "";
    const k = ctx.svc.store.keypairs.get(owner(projectScope(ctx.scope)), name);
    if (!k) throw ecsErrors.keypairNotFoundByName(name);
    return { body: { keypair: views.keypairDetail(k) } };
  },
});

export const novaDeleteKeypair = ecsOperation({
  name: "NovaDeleteKeypair",
  method: "DELETE",
  path: "/v2.1/{project_id}/os-keypairs/{keypair_name}",
  handle(ctx) {
    const name = ctx.input.path.keypair_name ?? "";
    if (!ctx.svc.store.keypairs.delete(owner(projectScope(ctx.scope)), name)) throw ecsErrors.keypairNotFoundByName(name);
    return { status: 204 };
  },
});

export const keypairOperations = [novaCreateKeypair, novaListKeypairs, novaShowKeypair, novaDeleteKeypair];
