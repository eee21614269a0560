// Neutron's list conventions over rendered items: filters by any attribute (repeated keys are alternatives),
// `fields=` projections, and limit/marker paging with `<resource>_links`. Lists are built from the views
// (a project's networks, ports, … are few) and ordered by id, neutron's default sort key.
import { z } from "../../kernel/zod.ts";
import type { RequestInfo } from "../../kernel/service.ts";
import { neutronErrors } from "./neutron-errors.ts";

export type Item = Record<string, unknown> & { id: string };

/** Every query value as a list (?id=a&id=b → ["a","b"]). */
export const NeutronQuery = z
  .record(z.string(), z.union([z.string(), z.array(z.string())]))
  .transform((q) => Object.fromEntries(Object.entries(q).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])));
export type NeutronQueryValues = Record<string, string[]>;

/** Query keys that are not attribute filters. */
const CONTROL = new Set(["limit", "marker", "fields", "page_reverse", "sort_key", "sort_dir", "all_tenants"]);

function text(v: unknown): string {
  return v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
}

const BOOLEANS: Record<string, boolean> = { true: true, "1": true, false: false, "0": false };

/** Whether an item matches one attribute filter: a scalar equals one of the values, a list holds one. */
function matches(value: unknown, wanted: string[]): boolean {
  // Booleans as neutron reads them: True, true, 1 (OSC sends "router:external=True").
  if (typeof value === "boolean") return wanted.some((w) => BOOLEANS[w.toLowerCase()] === value);
  if (Array.isArray(value)) {
    return value.some((v) => wanted.includes(text(v)) || (typeof v === "object" && v !== null && matchesObject(v, wanted)));
  }
  return wanted.includes(text(value));
}

/** fixed_ips=ip_address=10.0.0.5 or fixed_ips=subnet_id=…: an object holding that key and value. */
function matchesObject(o: object, wanted: string[]): boolean {
  const rec = o as Record<string, unknown>;
  return wanted.some((w) => {
    const eq = w.indexOf("=");
    return eq > 0 && text(rec[w.slice(0, eq)]) === w.slice(eq + 1);
  });
}

/** Keeps only the asked fields (neutron's `fields=`); all of them when none is asked. */
export function project<T extends Record<string, unknown>>(item: T, fields: string[] | undefined): Record<string, unknown> {
  if (!fields || fields.length === 0) return item;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in item) out[f] = item[f];
  return out;
}

function limitOf(q: NeutronQueryValues): number | undefined {
  const raw = q.limit?.[0];
  if (raw === undefined || raw === "") return undefined;
  if (!/^[0-9]{1,10}$/.test(raw)) throw neutronErrors.badRequest(`Invalid input for operation: limit ${raw} is not a non-negative integer.`);
  const n = Number(raw);
  return n === 0 ? undefined : n;
}

/**
 * A neutron list answer: `{ [key]: items, [key_links]?: [...] }`. `filterable` limits which attributes
 * filter (others are ignored, as neutron ignores unknown filters); undefined: every attribute.
 */
export function neutronList(opts: {
  key: string;
  path: string;
  items: Item[];
  query: NeutronQueryValues;
  request: RequestInfo;
}): Record<string, unknown> {
  const { key, query: q } = opts;
  let items = opts.items.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const [k, wanted] of Object.entries(q)) {
    if (CONTROL.has(k)) continue;
    items = items.filter((it) => k in it && matches(it[k], wanted));
  }
  const marker = q.marker?.[0];
  const limit = limitOf(q);
  const reverse = q.page_reverse?.[0]?.toLowerCase() === "true";
  if (reverse) items.reverse();
  if (marker !== undefined) {
    // The marker must name an item of the list; the page holds what follows it in id order (or precedes it
    // with page_reverse), whether or not the filters keep the marker itself.
    if (!opts.items.some((it) => it.id === marker)) throw neutronErrors.badMarker(marker);
    items = items.filter((it) => (reverse ? it.id < marker : it.id > marker));
  }
  const page = limit === undefined ? items : items.slice(0, limit);
  const body: Record<string, unknown> = { [key]: page.map((it) => project(it, q.fields)) };
  if (limit !== undefined) {
    const links: { href: string; rel: string }[] = [];
    const base = `${opts.request.serviceBase}${opts.path}`;
    const last = page[page.length - 1];
    if (last && items.length > limit) links.push({ href: `${base}?limit=${limit}&marker=${last.id}`, rel: "next" });
    const first = page[0];
    if (first && marker !== undefined) links.push({ href: `${base}?limit=${limit}&marker=${first.id}&page_reverse=True`, rel: "previous" });
    body[`${key}_links`] = links;
  }
  return body;
}

/** A single item's answer with `fields=` applied. */
export function neutronShow(key: string, item: Record<string, unknown>, q: NeutronQueryValues): Record<string, unknown> {
  return { [key]: project(item, q.fields) };
}
