// Shared pieces of the IAM v5 APIs: marker paging ({limit, marker} in, page_info out), URNs and times.
import { z } from "../../../kernel/zod.ts";

export const V5Page = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  marker: z.string().min(1).max(400).optional(),
});

/** One page of `items` after the item whose key is `marker`; next_marker names the last item when more follow. */
export function page<T>(items: T[], key: (t: T) => string, q: { limit?: number; marker?: string }): { items: T[]; page_info: { next_marker: string | null; current_count: number } } {
  const limit = q.limit ?? 100;
  const start = q.marker === undefined ? 0 : items.findIndex((t) => key(t) === q.marker) + 1;
  const slice = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return { items: slice, page_info: { next_marker: more && slice.length ? key(slice[slice.length - 1]!) : null, current_count: slice.length } };
}

export const urn = (domainId: string, kind: string, name: string) => `iam::${domainId}:${kind}:${name}`;
export const v5Time = (ms: number) => new Date(ms).toISOString();
