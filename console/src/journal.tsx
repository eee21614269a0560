// The request journal: GET /_hwlocal/journal for what is there, then the entries the journal stream brings
// (the console keeps one stream open, main.tsx), filtered here the way the API filters them. Each row opens
// the entry: its request and its response, headers and bodies, masked by hwlocal.
import type { VNode } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { control, type Json } from "./api.ts";
import { Badge, ErrorLine, Mono, Panel, Table, str, useApp } from "./ui.tsx";

export interface Entry extends Json {
  id: number;
  time: string;
  service: string | null;
  operation: string | null;
  method: string;
  path: string;
  query: string;
  status: number;
  latency_ms: number | null;
  fault: string | null;
  caller: { user_name: string; via: string; access_key: string | null } | null;
  request: { headers: Record<string, string>; body: string | null; size: number; truncated: boolean };
  response: { headers: Record<string, string>; body: string | null; size: number; truncated: boolean };
}

type Listener = (e: Entry) => void;
const listeners = new Set<Listener>();
/** Called by main.tsx for every entry the stream brings. */
export const publishEntry = (e: Entry) => listeners.forEach((l) => l(e));

export const isConsoles = (e: Entry) => Object.entries(e.request.headers ?? {}).some(([k]) => k.toLowerCase() === "x-hwlocal-console");

interface Filter {
  service: string;
  operation: string;
  status: string;
}

function matches(f: Filter, e: Entry): boolean {
  // The gateway journals none of the console's own calls (X-Hwlocal-Console); older entries may still be.
  if (isConsoles(e)) return false;
  if (f.service && e.service !== f.service) return false;
  if (f.operation && e.operation !== f.operation) return false;
  if (f.status === "error") return e.status >= 400 || e.status === 0;
  if (/^[1-5]xx$/.test(f.status)) return Math.floor(e.status / 100) === Number(f.status[0]);
  return true;
}

const MAX = 500;

function pretty(body: string | null): string {
  if (body === null) return "(no body kept)";
  if (body === "") return "(empty)";
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function Message(props: { title: string; line: string; part: Entry["request"] }): VNode {
  return (
    <Panel title={props.title} note={`${props.part.size} bytes${props.part.truncated ? ", cut at the journal's cap" : ""}`}>
      <p class="mono request-line">{props.line}</p>
      <table class="kv">
        <tbody>
          {Object.entries(props.part.headers ?? {}).map(([k, v]) => (
            <tr key={k}>
              <th>{k}</th>
              <td class="mono">{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <pre class="json body">{pretty(props.part.body)}</pre>
    </Panel>
  );
}

export function EntryDetail(props: { entry: Entry }): VNode {
  const e = props.entry;
  return (
    <div class="entry" data-entry={e.id}>
      <Message title="Request" line={`${e.method} ${e.path}${e.query ? `?${e.query}` : ""}`} part={e.request} />
      <Message title="Response" line={`${e.status}${e.fault ? ` (fault rule ${e.fault})` : ""} · ${str(e.latency_ms)} ms`} part={e.response} />
    </div>
  );
}

export function JournalView(): VNode {
  const { open } = useApp();
  const [filter, setFilter] = useState<Filter>({ service: "", operation: "", status: "" });
  const [entries, setEntries] = useState<Entry[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [paused, setPaused] = useState(false);

  useEffect(() => {
    let live = true;
    const q = new URLSearchParams({ limit: String(MAX) });
    if (filter.service) q.set("service", filter.service);
    if (filter.operation) q.set("operation", filter.operation);
    if (filter.status) q.set("status", filter.status);
    control<{ entries: Entry[] }>("GET", `/journal?${q.toString()}`).then(
      (r) => live && (setEntries(r.entries.filter((e) => matches(filter, e))), setError(undefined)),
      (e: unknown) => live && setError(String(e instanceof Error ? e.message : e)),
    );
    const l: Listener = (e) => {
      if (!paused && matches(filter, e)) setEntries((old) => [e, ...(old ?? [])].slice(0, MAX));
    };
    listeners.add(l);
    return () => {
      live = false;
      listeners.delete(l);
    };
  }, [filter, paused]);

  const set = (k: keyof Filter) => (ev: Event) => {
    const t = ev.currentTarget as HTMLInputElement;
    setFilter((f) => ({ ...f, [k]: t.value.trim() }));
  };
  const clear = async () => {
    await control("DELETE", "/journal");
    setEntries([]);
  };
  const services = useMemo(() => [...new Set((entries ?? []).map((e) => e.service).filter((s): s is string => !!s))].sort(), [entries]);

  return (
    <Panel
      title="Request journal"
      note="Every API request hwlocal answered, newest first, live. Secrets are masked by hwlocal."
      actions={
        <>
          <button class="ghost" onClick={() => setPaused((p) => !p)}>
            {paused ? "Resume" : "Pause"}
          </button>
          <button class="ghost danger" onClick={clear}>
            Clear
          </button>
        </>
      }
    >
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Service
          <input name="service" list="journal-services" value={filter.service} onInput={set("service")} placeholder="any" />
          <datalist id="journal-services">
            {services.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </label>
        <label>
          Operation
          <input name="operation" value={filter.operation} onInput={set("operation")} placeholder="any, e.g. CreateVpc" />
        </label>
        <label>
          Status
          <select name="status" value={filter.status} onChange={set("status")}>
            <option value="">any</option>
            <option value="error">errors</option>
            <option value="2xx">2xx</option>
            <option value="4xx">4xx</option>
            <option value="5xx">5xx</option>
          </select>
        </label>
      </form>
      <ErrorLine error={error} />
      <Table
        name="journal"
        rows={entries}
        rowKey={(e) => String(e.id)}
        onOpen={(e) => open(`${e.operation ?? e.method} · ${e.request_id as string}`, e, <EntryDetail entry={e} />)}
        empty="No request recorded yet."
        columns={[
          { label: "Time", cell: (e) => <span class="mono nowrap">{e.time.slice(11, 23)}</span> },
          { label: "Service", cell: (e) => str(e.service) },
          { label: "Operation", cell: (e) => str(e.operation) },
          { label: "Request", cell: (e) => <Mono>{`${e.method} ${e.path}`}</Mono> },
          { label: "Status", cell: (e) => <Badge value={e.fault ? `${e.status} fault` : e.status} /> },
          { label: "ms", cell: (e) => str(e.latency_ms) },
          { label: "Caller", cell: (e) => (e.caller ? `${e.caller.user_name} (${e.caller.via})` : "–") },
        ]}
      />
    </Panel>
  );
}
