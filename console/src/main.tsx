// hwlocal's web console: the shell (header with region and project, left navigation by service, the page)
// and what keeps it live. One journal stream (GET /_hwlocal/journal/stream) feeds the journal page and, for
// every call that may have changed state (not a GET, not the console's own), makes every page fetch again;
// a light poll of GET /_hwlocal/status (a control call: not journaled) catches what the journal does not
// record (the clock moved, a restore or reset by another client). A table with a row between states (a
// server booting on real time) looks again every few seconds until none is (resources.tsx).
import { render, type VNode } from "preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { Session, control, type Json, type Project } from "./api.ts";
import { JournalView, isConsoles, publishEntry, type Entry } from "./journal.tsx";
import { CheckpointsView, ClockView, FaultsView } from "./ops.tsx";
import { PAGES, ResourceView } from "./resources.tsx";
import { AppContext, Badge, Drawer, ErrorLine, Panel, Table, str, useData, type Ctx } from "./ui.tsx";

const CONTROL_PAGES = [
  { id: "journal", title: "Request journal" },
  { id: "clock", title: "Clock" },
  { id: "faults", title: "Fault rules" },
  { id: "checkpoints", title: "Checkpoints & reset" },
];

const route = () => location.hash.replace(/^#\/?/, "") || "overview";

interface Status extends Json {
  version: string;
  started_at: string;
  clock: { now: string; offset_seconds: number };
  checkpoints: number;
  services: Record<string, string>;
}

function Overview(props: { status: Status | undefined }): VNode {
  const s = props.status;
  const services = useData(async () => Object.entries(s?.services ?? {}).map(([name, state]) => ({ name, state })), [s?.version]);
  return (
    <>
      <Panel title="hwlocal" note="Huawei Cloud on this machine: the services below answer the official SDKs, OBS tools and OpenStack clients.">
        <dl class="facts">
          <dt>Version</dt>
          <dd>{s?.version ?? "…"}</dd>
          <dt>Started</dt>
          <dd class="mono">{s?.started_at ?? "…"}</dd>
          <dt>Clock</dt>
          <dd class="mono">{s ? `${s.clock.now} (${s.clock.offset_seconds} s ahead)` : "…"}</dd>
          <dt>Checkpoints</dt>
          <dd>{s ? s.checkpoints : "…"}</dd>
        </dl>
      </Panel>
      <Panel title="Services">
        <Table name="services" rows={services.data} rowKey={(r) => r.name} columns={[{ label: "Service", cell: (r) => r.name }, { label: "Status", cell: (r) => <Badge value={r.state} /> }]} />
      </Panel>
    </>
  );
}

function Nav(props: { current: string }): VNode {
  const groups = new Map<string, { id: string; title: string }[]>();
  for (const p of PAGES) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
  groups.set("hwlocal", CONTROL_PAGES);
  const link = (p: { id: string; title: string }) => (
    <a key={p.id} href={`#/${p.id}`} class={props.current === p.id ? "active" : ""} data-nav={p.id}>
      {p.title}
    </a>
  );
  return (
    <nav class="side">
      {link({ id: "overview", title: "Overview" })}
      {[...groups].map(([g, pages]) => (
        <div key={g} class="nav-group">
          <h3>{g}</h3>
          {pages.map(link)}
        </div>
      ))}
    </nav>
  );
}

function App(props: { session: Session; projects: Project[] }): VNode {
  const { session, projects } = props;
  const [page, setPage] = useState(route());
  const [projectId, setProjectId] = useState(() => {
    const saved = localStorage.getItem("hwlocal.project");
    return projects.find((p) => p.id === saved)?.id ?? projects.find((p) => p.id === session.info.regions[0]?.project_id)?.id ?? projects[0]!.id;
  });
  const project = projects.find((p) => p.id === projectId) ?? projects[0]!;
  const [version, setVersion] = useState(0);
  const [drawer, setDrawer] = useState<{ title: string; value: unknown; extra: VNode | undefined } | undefined>(undefined);
  const [status, setStatus] = useState<Status | undefined>(undefined);
  const [live, setLive] = useState(false);
  const pending = useRef<number | undefined>(undefined);

  const refresh = useCallback(() => {
    if (pending.current !== undefined) return;
    pending.current = window.setTimeout(() => {
      pending.current = undefined;
      setVersion((v) => v + 1);
    }, 100);
  }, []);

  useEffect(() => {
    const onHash = () => {
      setPage(route());
      setDrawer(undefined);
    };
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);

  useEffect(() => {
    const es = new EventSource("/_hwlocal/journal/stream");
    let opened = false;
    es.onopen = () => {
      setLive(true);
      // Reconnected (hwlocal restarted, the network dropped): what changed meanwhile was not streamed.
      if (opened) refresh();
      opened = true;
    };
    es.onerror = () => setLive(false);
    es.onmessage = (m: MessageEvent<string>) => {
      const e = JSON.parse(m.data) as Entry;
      publishEntry(e);
      if (!isConsoles(e) && e.method !== "GET" && e.method !== "HEAD") refresh();
    };
    return () => es.close();
  }, [refresh]);

  useEffect(() => {
    let last = "";
    const poll = async () => {
      try {
        const s = await control<Status>("GET", "/status");
        setStatus(s);
        const mark = `${s.clock.offset_seconds}|${s.checkpoints}|${s.started_at}`;
        if (last !== "" && mark !== last) refresh();
        last = mark;
      } catch {
        setStatus(undefined);
      }
    };
    void poll();
    const timer = window.setInterval(poll, 1000);
    return () => window.clearInterval(timer);
  }, [refresh]);

  const ctx: Ctx = useMemo(
    () => ({ session, project, version, refresh, open: (title, value, extra) => setDrawer({ title, value, extra }) }),
    [session, project, version, refresh],
  );
  const regions = [...new Set(projects.map((p) => p.region))];
  const choose = (id: string) => {
    localStorage.setItem("hwlocal.project", id);
    setProjectId(id);
  };
  const resource = PAGES.find((p) => p.id === page);
  const body =
    resource !== undefined ? <ResourceView page={resource} key={resource.id} /> :
    page === "journal" ? <JournalView /> :
    page === "clock" ? <ClockView /> :
    page === "faults" ? <FaultsView /> :
    page === "checkpoints" ? <CheckpointsView /> :
    <Overview status={status} />;

  return (
    <AppContext.Provider value={ctx}>
      <header class="top">
        <a class="brand" href="#/overview">
          <img src="/_hwlocal/console/favicon.svg" alt="" width={22} height={22} />
          hwlocal <span>console</span>
        </a>
        <label class="picker">
          Region
          <select name="region" value={project.region} onChange={(e) => choose(projects.find((p) => p.region === (e.currentTarget as HTMLSelectElement).value)!.id)}>
            {regions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label class="picker">
          Project
          <select name="project" value={project.id} onChange={(e) => choose((e.currentTarget as HTMLSelectElement).value)}>
            {projects
              .filter((p) => p.region === project.region)
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
          </select>
        </label>
        <span class="spacer" />
        <span class="clock mono" title="hwlocal's clock">
          {status ? status.clock.now.replace("T", " ").replace("Z", " UTC") : "…"}
        </span>
        <span class={`live ${live ? "on" : ""}`} title={live ? "Live: the journal stream is open" : "Not connected"}>
          {live ? "live" : "offline"}
        </span>
      </header>
      <div class="shell">
        <Nav current={page} />
        <main>{body}</main>
      </div>
      {drawer ? <Drawer title={drawer.title} value={drawer.value} extra={drawer.extra} onClose={() => setDrawer(undefined)} /> : null}
    </AppContext.Provider>
  );
}

async function start(root: HTMLElement) {
  try {
    const session = await Session.open();
    const projects = await session.projects();
    if (projects.length === 0) throw new Error("The default account has no project.");
    render(<App session={session} projects={projects} />, root);
  } catch (e) {
    render(
      <main class="fatal">
        <Panel title="The console cannot reach hwlocal">
          <ErrorLine error={e instanceof Error ? e.message : str(e)} />
          <p>Beyond loopback the console needs an administrator's token on every request (X-Auth-Token).</p>
        </Panel>
      </main>,
      root,
    );
  }
}

void start(document.getElementById("app")!);
