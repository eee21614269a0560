// The console's building blocks: a data hook that refetches when the state changes, tables whose rows open
// their detail, the JSON detail drawer, status badges.
import type { ComponentChildren, VNode } from "preact";
import { createContext } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";
import type { Json, Project, Session } from "./api.ts";

export interface Ctx {
  session: Session;
  project: Project;
  /** Grows whenever hwlocal's state may have changed (journal stream, clock, restore, reset). */
  version: number;
  /** Opens a detail drawer. */
  open: (title: string, value: unknown, extra?: VNode) => void;
  /** Tells every page to fetch again (after a change made on the console). */
  refresh: () => void;
}

export const AppContext = createContext<Ctx | null>(null);

export function useApp(): Ctx {
  const c = useContext(AppContext);
  if (c === null) throw new Error("outside the console");
  return c;
}

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
}

/** Runs `load` now and again at every state change; the previous data stays shown while it runs. */
export function useData<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const { version } = useApp();
  const [state, setState] = useState<Loaded<T>>({ data: undefined, error: undefined, loading: true });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (e: unknown) => live && setState((s) => ({ data: s.data, error: e instanceof Error ? e.message : String(e), loading: false })),
    );
    return () => {
      live = false;
    };
  }, [version, ...deps]);
  return state;
}

export interface Column<R> {
  label: string;
  cell: (row: R) => ComponentChildren;
}

export function Table<R>(props: {
  name: string;
  columns: Column<R>[];
  rows: R[] | undefined;
  rowKey: (row: R) => string;
  onOpen?: (row: R) => void;
  empty?: string;
}): VNode {
  const { rows } = props;
  return (
    <table class="grid" data-table={props.name}>
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th key={c.label}>{c.label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows === undefined ? (
          <tr>
            <td class="muted" colSpan={props.columns.length}>
              Loading…
            </td>
          </tr>
        ) : rows.length === 0 ? (
          <tr>
            <td class="muted" colSpan={props.columns.length}>
              {props.empty ?? "Nothing here yet."}
            </td>
          </tr>
        ) : (
          rows.map((r) => (
            <tr
              key={props.rowKey(r)}
              data-id={props.rowKey(r)}
              class={props.onOpen ? "clickable" : ""}
              tabIndex={props.onOpen ? 0 : undefined}
              onClick={() => props.onOpen?.(r)}
              onKeyDown={(e) => e.key === "Enter" && props.onOpen?.(r)}
            >
              {props.columns.map((c) => (
                <td key={c.label}>{c.cell(r)}</td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

const GOOD = /^(ACTIVE|OK|ok|INSERVICE|SUCCESS|available|in-use|normal|NORMAL|active|true|DOWN_ACTIVE|ENABLED|enabled|running|delivered|DELIVERED)$/;
const BAD = /^(ERROR|FAIL|FAILED|alarm|error|ABNORMAL|DELETED|false|DISABLED)$/;

export function Badge(props: { value: unknown }): VNode {
  const v = props.value === undefined || props.value === null ? "–" : String(props.value);
  const tone = GOOD.test(v) || /^2\d\d$/.test(v) ? "good" : BAD.test(v) || /^[45]\d\d|^0 /.test(v) ? "bad" : "busy";
  return <span class={`badge ${tone}`}>{v}</span>;
}

export function Mono(props: { children: ComponentChildren }): VNode {
  return <span class="mono">{props.children}</span>;
}

export function Panel(props: { title: string; actions?: ComponentChildren; children: ComponentChildren; note?: string }): VNode {
  return (
    <section class="panel">
      <header class="panel-head">
        <h2>{props.title}</h2>
        <div class="actions">{props.actions}</div>
      </header>
      {props.note ? <p class="note">{props.note}</p> : null}
      {props.children}
    </section>
  );
}

export function ErrorLine(props: { error: string | undefined }): VNode | null {
  return props.error ? <p class="error-line">{props.error}</p> : null;
}

export function JsonView(props: { value: unknown }): VNode {
  return <pre class="json">{JSON.stringify(props.value, null, 2)}</pre>;
}

export function Drawer(props: { title: string; value: unknown; extra: VNode | undefined; onClose: () => void }): VNode {
  useEffect(() => {
    const key = (e: KeyboardEvent) => e.key === "Escape" && props.onClose();
    addEventListener("keydown", key);
    return () => removeEventListener("keydown", key);
  }, [props.onClose]);
  return (
    <div class="drawer-shade" onClick={props.onClose}>
      <aside class="drawer" role="dialog" aria-label={props.title} onClick={(e) => e.stopPropagation()}>
        <header class="drawer-head">
          <h2>{props.title}</h2>
          <button class="ghost" onClick={props.onClose} aria-label="Close">
            ✕
          </button>
        </header>
        <div class="drawer-body">
          {props.extra}
          <JsonView value={props.value} />
        </div>
      </aside>
    </div>
  );
}

export const str = (v: unknown): string => (v === undefined || v === null ? "–" : typeof v === "object" ? JSON.stringify(v) : String(v));

export const get = (row: Json, ...path: string[]): unknown => {
  let v: unknown = row;
  for (const k of path) v = v !== null && typeof v === "object" ? (v as Json)[k] : undefined;
  return v;
};

/** A time as the APIs give it (ISO text, or epoch milliseconds as Cloud Eye does) in ISO form. */
export const when = (v: unknown): string => (typeof v === "number" && v > 1e11 ? new Date(v).toISOString().replace(".000Z", "Z") : str(v));
