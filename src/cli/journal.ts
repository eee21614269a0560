// `hwlocal journal [--follow] [--service S] [--operation O] [--status 4xx] [--since ID|TIME] [--limit N] [--json]`:
// the requests a running hwlocal answered (GET /_hwlocal/journal), oldest first in a table for people, or
// the API's entries as JSON; --follow then prints new ones as they come (its Server-Sent Events stream,
// one JSON line each with --json) until interrupted.
import type { JournalEntryView } from "../control/journal.ts";
import { control, queryOf, streamHeaders, table } from "./control-client.ts";

export interface JournalFlags {
  service?: string;
  operation?: string;
  status?: string;
  since?: string;
  limit?: string;
  follow?: boolean;
  json?: boolean;
}

const HEADER = ["TIME", "STATUS", "OPERATION", "LATENCY", "CALLER", "PATH"];
/** Widths that keep --follow's rows, printed one by one, under their header. */
const WIDTHS = [12, 6, 40, 9, 24];

export function journalRow(e: JournalEntryView): string[] {
  const c = e.caller;
  const caller = c ? `${c.user_name}${c.access_key ? ` (${c.access_key})` : ""}` : "-";
  return [
    e.time.slice(11, 23),
    e.status === 0 ? "drop" : String(e.status),
    `${e.service ?? "-"}:${e.operation ?? "-"}${e.fault ? ` [fault ${e.fault.slice(0, 8)}]` : ""}`,
    e.latency_ms === null ? "-" : `${e.latency_ms.toFixed(1)}ms`,
    caller,
    `${e.method} ${e.path}${e.query ? `?${e.query}` : ""}`,
  ];
}

export async function journalCommand(endpoint: string, f: JournalFlags, out: (s: string) => void): Promise<void> {
  const filters = { service: f.service, operation: f.operation, status: f.status };
  const print = (e: JournalEntryView) => out(f.json ? `${JSON.stringify(e)}\n` : `${table([journalRow(e)], WIDTHS)}\n`);
  // With --follow the stream opens first, so that nothing answered meanwhile is missed (nor shown twice).
  const list = async (): Promise<number> => {
    const listed = (await control(endpoint, "GET", `/journal${queryOf({ ...filters, since: f.since, limit: f.limit })}`)) as {
      entries: JournalEntryView[];
    };
    const entries = [...listed.entries].reverse();
    if (f.json && !f.follow) out(`${JSON.stringify(listed.entries, null, 2)}\n`);
    else if (f.json) entries.forEach(print);
    else out(`${table([HEADER, ...entries.map(journalRow)], f.follow ? WIDTHS : [])}\n`);
    return listed.entries[0]?.id ?? 0;
  };
  if (!f.follow) {
    await list();
    return;
  }
  await follow(endpoint, filters, list, print);
}

/** Reads the SSE stream until hwlocal closes it (or the process is interrupted). */
async function follow(
  endpoint: string,
  filters: Record<string, string | undefined>,
  opened: () => Promise<number>,
  each: (e: JournalEntryView) => void,
): Promise<void> {
  const url = `${endpoint}/_hwlocal/journal/stream${queryOf(filters)}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: streamHeaders(new URL(url)) });
  } catch {
    throw new Error(`hwlocal is not reachable at ${endpoint}`);
  }
  if (res.status !== 200 || !res.body) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  const shown = await opened();
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    for await (const chunk of res.body) {
      buffered += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffered.indexOf("\n\n")) >= 0) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const data = event
          .split("\n")
          .filter((l) => l.startsWith("data: "))
          .map((l) => l.slice(6))
          .join("\n");
        const e = data === "" ? undefined : (JSON.parse(data) as JournalEntryView);
        if (e && e.id > shown) each(e);
      }
    }
  } catch {
    // hwlocal went away: the stream simply ends
  }
}
