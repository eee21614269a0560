// How the console talks to hwlocal: the control plane (/_hwlocal/…, open on loopback) and the public APIs
// of the services, as any client does: a Keystone token for the default account (whose password
// GET /_hwlocal/info reveals on loopback), scoped to the project shown, sent as X-Auth-Token to the
// service's path prefix (/ecs/…, /vpc/…). OBS takes no token: its calls are signed with the account's
// AK/SK (OBS signature v2, through WebCrypto). Every call carries X-Hwlocal-Console, so that the journal
// page can tell the console's own reads from the calls of the programs being tested.

export type Json = Record<string, unknown>;

export interface Info {
  endpoint: string;
  domain: { id: string; name: string };
  user: { id: string; name: string; password: string };
  access_key: { ak: string; sk: string };
  regions: { id: string; project_id: string }[];
}

export interface Project {
  id: string;
  name: string;
  region: string;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MARK = { "X-Hwlocal-Console": "1" };

async function failure(res: Response): Promise<ApiFailure> {
  const text = await res.text();
  let code = String(res.status);
  let msg = text.slice(0, 300) || res.statusText;
  try {
    const j = JSON.parse(text) as Json;
    const err = (j.error ?? {}) as Json;
    code = String(j.error_code ?? err.code ?? code);
    msg = String(j.error_msg ?? err.message ?? msg);
  } catch {
    // not JSON: the text as it came
  }
  return new ApiFailure(res.status, code, msg);
}

/** A control call: GET, or another method with a JSON body. 204 answers undefined. */
export async function control<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/_hwlocal${path}`, {
    method,
    headers: body === undefined ? MARK : { ...MARK, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Region of a project by Huawei's naming: "cn-north-4" or "cn-north-4_sub". */
export const regionOf = (name: string) => name.split("_")[0] ?? name;

export class Session {
  private tokens = new Map<string, Promise<string>>();
  private constructor(readonly info: Info) {}

  static async open(): Promise<Session> {
    return new Session(await control<Info>("GET", "/info"));
  }

  private token(projectId: string, fresh = false): Promise<string> {
    let t = this.tokens.get(projectId);
    if (t === undefined || fresh) {
      t = this.issue(projectId);
      this.tokens.set(projectId, t);
      t.catch(() => this.tokens.delete(projectId));
    }
    return t;
  }

  private async issue(projectId: string): Promise<string> {
    const { user, domain } = this.info;
    const res = await fetch("/iam/v3/auth/tokens", {
      method: "POST",
      headers: { ...MARK, "Content-Type": "application/json" },
      body: JSON.stringify({
        auth: {
          identity: { methods: ["password"], password: { user: { name: user.name, password: user.password, domain: { name: domain.name } } } },
          scope: { project: { id: projectId } },
        },
      }),
    });
    if (!res.ok) throw await failure(res);
    return res.headers.get("X-Subject-Token") ?? "";
  }

  /** GET on a service's public API, `{project_id}` in the path filled in. A 401 (token expired when the clock moved) is retried once. */
  async get(projectId: string, service: string, path: string): Promise<Json> {
    const url = `/${service}${path.replace("{project_id}", projectId)}`;
    for (let attempt = 0; ; attempt++) {
      const token = await this.token(projectId, attempt > 0);
      const res = await fetch(url, { headers: { ...MARK, "X-Auth-Token": token } });
      if (res.ok) return (await res.json()) as Json;
      if (res.status === 401 && attempt === 0) continue;
      throw await failure(res);
    }
  }

  async projects(): Promise<Project[]> {
    const first = this.info.regions[0];
    if (first === undefined) return [];
    const body = await this.get(first.project_id, "iam", "/v3/auth/projects");
    const list = (body.projects ?? []) as { id: string; name: string }[];
    return list
      .map((p) => ({ id: p.id, name: p.name, region: regionOf(p.name) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** An OBS call signed with signature v2 (header form, x-obs-date): XML parsed by the browser. */
  async obs(path: string): Promise<Document> {
    // hwlocal's clock, not the browser's: OBS refuses a date too far from its own time.
    const clock = await control<{ now: string }>("GET", "/clock");
    const date = new Date(clock.now).toUTCString();
    const toSign = `GET\n\n\n\nx-obs-date:${date}\n${path}`;
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(this.info.access_key.sk), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
    const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(toSign)));
    const auth = `OBS ${this.info.access_key.ak}:${btoa(String.fromCharCode(...sig))}`;
    const res = await fetch(path, { headers: { ...MARK, "x-obs-date": date, Authorization: auth } });
    const text = await res.text();
    const doc = new DOMParser().parseFromString(text, "application/xml");
    if (!res.ok) {
      const code = doc.querySelector("Code")?.textContent ?? String(res.status);
      throw new ApiFailure(res.status, code, doc.querySelector("Message")?.textContent ?? text.slice(0, 200));
    }
    return doc;
  }
}

/** The first array in a list answer ({"servers":[…], "count":N} → the servers). */
export function firstArray(body: Json): Json[] {
  for (const v of Object.values(body)) if (Array.isArray(v)) return v as Json[];
  return [];
}
