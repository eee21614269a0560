// The CLI's calls to a running hwlocal's control plane (/_hwlocal/…): JSON in, JSON out, hwlocal's own
// error message on a 4xx. These calls are open on loopback; a hwlocal listening beyond it wants them signed
// by an administrator, which these commands do not do yet (run them on the machine hwlocal runs on).

export function endpointOf(flag: string | undefined): string {
  return (flag ?? `http://127.0.0.1:${process.env.HWLOCAL_PORT ?? "4577"}`).replace(/\/+$/, "");
}

export async function control(endpoint: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const url = `${endpoint}/_hwlocal${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Error(`hwlocal is not reachable at ${endpoint}; start it with "npx hwlocal start"`);
  }
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.status >= 400) {
    const msg = typeof json === "object" && json !== null && "error_msg" in json ? String(json.error_msg) : text;
    throw new Error(`${method} ${url}: ${res.status} ${msg}`);
  }
  return json;
}

/** A query string of the flags that are set. */
export function queryOf(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  const s = q.toString();
  return s === "" ? "" : `?${s}`;
}

/** Columns padded to their widest cell (the last column is not padded). */
export function table(rows: string[][], minWidths: number[] = []): string {
  const widths: number[] = [...minWidths];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")).join("\n");
}
