// What token bodies share, kept apart from the token operations so that every kind of token (users', agencies',
// federated users') builds its body the same way: the catalog of a scope as JSON text, and new token ids.
import type { HandlerContext } from "../../kernel/service.ts";
import { buildCatalog, catalogKey, type CatalogEntry, type CatalogScope } from "./catalog.ts";
import type { IamContext } from "./context.ts";

type Ctx<I> = HandlerContext<IamContext, I>;

const catalogs = new Map<string, CatalogEntry[]>();
const catalogTexts = new Map<string, string>();

/** The same catalog as JSON text, for token bodies (see tokenBody). */
export function catalogJson(ctx: Ctx<unknown>, scope: CatalogScope): string {
  const key = catalogKey(ctx.request.endpoint, scope);
  let text = catalogTexts.get(key);
  if (text === undefined) {
    if (catalogTexts.size > 1000) catalogTexts.clear();
    text = JSON.stringify(catalogFor(ctx, scope));
    catalogTexts.set(key, text);
  }
  return text;
}

/** The catalog for an endpoint and scope; the same few are asked for again and again, so they are kept. */
export function catalogFor(ctx: Ctx<unknown>, scope: CatalogScope): CatalogEntry[] {
  const key = catalogKey(ctx.request.endpoint, scope);
  let c = catalogs.get(key);
  if (!c) {
    if (catalogs.size > 1000) catalogs.clear();
    c = buildCatalog(ctx.request.endpoint, ctx.svc.catalog(), scope);
    catalogs.set(key, c);
  }
  return c;
}

/**
 * "MII…" like Huawei's tokens, then the issue time in hex, then random characters: ids ascend with time, so
 * the token table grows at its end instead of splitting pages at random places on every insert.
 */
export function newTokenId(ctx: Ctx<unknown>): string {
  const random = ctx.ids.token();
  return `${random.slice(0, 4)}${ctx.clock.now().toString(16).padStart(12, "0")}${random.slice(4)}`;
}
