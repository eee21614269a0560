// The control pages: the clock (advance it), fault rules (add, remove), checkpoints (save, restore,
// delete) and reset, each a form over the control API (/_hwlocal/clock/advance, /faults, /state/checkpoints,
// /reset). After a change the console fetches every page again.
import type { VNode } from "preact";
import { useState } from "preact/hooks";
import { control, type Json } from "./api.ts";
import { ErrorLine, Mono, Panel, Table, str, useApp, useData } from "./ui.tsx";

/** Runs a control call, keeping its error for the form; refreshes the console after a success. */
function useAction() {
  const { refresh } = useApp();
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const run = async (f: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await f();
      setError(undefined);
      refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

const formValues = (ev: Event) => {
  ev.preventDefault();
  return Object.fromEntries(new FormData(ev.currentTarget as HTMLFormElement)) as Record<string, string>;
};

export function ClockView(): VNode {
  const clock = useData(() => control<{ now: string; offset_seconds: number }>("GET", "/clock"), []);
  const act = useAction();
  const advance = (seconds: number) => act.run(() => control("POST", "/clock/advance", { seconds }));
  return (
    <Panel title="Clock" note="hwlocal's clock drives jobs (boot delays), Auto Scaling, Cloud Eye and token expiry. Advancing it runs everything then due.">
      <dl class="facts">
        <dt>Now</dt>
        <dd class="mono" data-clock-now>
          {clock.data?.now ?? "…"}
        </dd>
        <dt>Ahead of real time</dt>
        <dd class="mono">{clock.data ? `${clock.data.offset_seconds} s` : "…"}</dd>
      </dl>
      <div class="row">
        {[30, 300, 3600, 86400].map((s) => (
          <button key={s} disabled={act.busy} onClick={() => advance(s)}>
            +{s < 3600 ? `${s < 60 ? s : s / 60}${s < 60 ? " s" : " min"}` : s < 86400 ? "1 h" : "1 day"}
          </button>
        ))}
        <form class="inline" onSubmit={(ev) => advance(Number(formValues(ev).seconds))}>
          <input name="seconds" type="number" min="0" step="1" placeholder="seconds" required />
          <button type="submit" disabled={act.busy}>
            Advance
          </button>
        </form>
      </div>
      <ErrorLine error={act.error} />
    </Panel>
  );
}

function effectOf(v: Record<string, string>): Json {
  switch (v.effect) {
    case "latency":
      return { type: "latency", ms: Number(v.ms || "1000") };
    case "drop":
      return { type: "drop" };
    case "job":
      return { type: "job", ...(v.job_type ? { job_type: v.job_type } : {}), error_code: v.error_code ?? "", error_msg: v.error_msg ?? "" };
    default:
      return { type: "error", status: Number(v.status || "500"), error_code: v.error_code ?? "", error_msg: v.error_msg ?? "" };
  }
}

function describe(effect: Json): string {
  switch (effect.type) {
    case "error":
      return `${str(effect.status)} ${str(effect.error_code)}: ${str(effect.error_msg)}`;
    case "latency":
      return `+${str(effect.ms)} ms`;
    case "drop":
      return "drop the connection";
    default:
      return `next ${str(effect.job_type ?? "any")} job fails: ${str(effect.error_code)}`;
  }
}

export function FaultsView(): VNode {
  const faults = useData(() => control<{ faults: Json[] }>("GET", "/faults"), []);
  const act = useAction();
  const [effect, setEffect] = useState("error");
  const add = (ev: Event) => {
    const v = formValues(ev);
    const form = ev.currentTarget as HTMLFormElement;
    const rule: Json = { effect: effectOf(v) };
    for (const k of ["service", "operation", "region", "project", "resource"]) if (v[k]) rule[k] = v[k];
    if (v.times) rule.times = Number(v.times);
    if (v.probability) rule.probability = Number(v.probability);
    void act.run(async () => {
      await control("POST", "/faults", rule);
      form.reset();
      setEffect("error");
    });
  };
  return (
    <>
      <Panel title="Add a fault rule" note="A rule matches by any of its fields (empty: any) and shapes the answer of the calls it matches.">
        <form class="fault-form" onSubmit={add}>
          <label>Service<input name="service" placeholder="any, e.g. ecs" /></label>
          <label>Operation<input name="operation" placeholder="any, e.g. CreateVpc" /></label>
          <label>Region<input name="region" placeholder="any" /></label>
          <label>Project<input name="project" placeholder="any" /></label>
          <label>Resource id<input name="resource" placeholder="any" /></label>
          <label>Times<input name="times" type="number" min="1" placeholder="every match" /></label>
          <label>Probability<input name="probability" type="number" min="0" max="1" step="0.01" placeholder="1" /></label>
          <label>
            Effect
            <select name="effect" value={effect} onChange={(e) => setEffect((e.currentTarget as HTMLSelectElement).value)}>
              <option value="error">error answer</option>
              <option value="latency">added latency</option>
              <option value="drop">dropped connection</option>
              <option value="job">failing job</option>
            </select>
          </label>
          {effect === "error" ? <label>HTTP status<input name="status" type="number" min="400" max="599" defaultValue="503" required /></label> : null}
          {effect === "latency" ? <label>Latency (ms)<input name="ms" type="number" min="0" defaultValue="1000" required /></label> : null}
          {effect === "job" ? <label>Job type<input name="job_type" placeholder="any, e.g. createServer" /></label> : null}
          {effect === "error" || effect === "job" ? (
            <>
              <label>Error code<input name="error_code" placeholder="e.g. APIGW.0308" required /></label>
              <label class="wide">Error message<input name="error_msg" placeholder="e.g. The throttling threshold has been reached." /></label>
            </>
          ) : null}
          <div class="form-end">
            <button type="submit" class="primary" disabled={act.busy}>
              Add rule
            </button>
          </div>
        </form>
        <ErrorLine error={act.error} />
      </Panel>
      <Panel
        title="Fault rules"
        actions={
          <button class="ghost danger" disabled={act.busy || !faults.data?.faults.length} onClick={() => act.run(() => control("DELETE", "/faults"))}>
            Remove all
          </button>
        }
      >
        <ErrorLine error={faults.error} />
        <Table
          name="faults"
          rows={faults.data?.faults}
          rowKey={(r) => str(r.id)}
          empty="No fault rule: every call is answered as usual."
          columns={[
            { label: "Matches", cell: (r) => ["service", "operation", "region", "project", "resource"].map((k) => r[k]).filter((x) => x !== null).join(" · ") || "every call" },
            { label: "Effect", cell: (r) => describe(r.effect as Json) },
            { label: "Left", cell: (r) => (r.remaining === null ? "∞" : str(r.remaining)) },
            { label: "Probability", cell: (r) => (r.probability === null ? "1" : str(r.probability)) },
            { label: "Hits", cell: (r) => str(r.hits) },
            {
              label: "",
              cell: (r) => (
                <button class="ghost danger" onClick={() => act.run(() => control("DELETE", `/faults/${str(r.id)}`))}>
                  Remove
                </button>
              ),
            },
          ]}
        />
      </Panel>
    </>
  );
}

export function CheckpointsView(): VNode {
  const cps = useData(() => control<{ checkpoints: Json[] }>("GET", "/state/checkpoints"), []);
  const act = useAction();
  const save = (ev: Event) => {
    const form = ev.currentTarget as HTMLFormElement;
    const { name } = formValues(ev);
    void act.run(async () => {
      await control("POST", "/state/checkpoints", { name });
      form.reset();
    });
  };
  const reset = () => {
    if (confirm("Reset hwlocal to its seed state and real time? Everything created since start is lost.")) void act.run(() => control("POST", "/reset"));
  };
  return (
    <>
      <Panel title="Save a checkpoint" note="A checkpoint holds the whole state: every service, the jobs and the clock.">
        <form class="inline" onSubmit={save}>
          <input name="name" placeholder="checkpoint name" required maxLength={128} />
          <button type="submit" class="primary" disabled={act.busy}>
            Save
          </button>
        </form>
        <ErrorLine error={act.error} />
      </Panel>
      <Panel title="Checkpoints">
        <ErrorLine error={cps.error} />
        <Table
          name="checkpoints"
          rows={cps.data?.checkpoints}
          rowKey={(r) => str(r.id)}
          empty="No checkpoint saved."
          columns={[
            { label: "Name", cell: (r) => str(r.name) },
            { label: "Saved", cell: (r) => str(r.created_at) },
            { label: "Clock", cell: (r) => <Mono>{str(r.clock)}</Mono> },
            { label: "Size", cell: (r) => `${Math.round(Number(r.size) / 1024)} KiB` },
            {
              label: "",
              cell: (r) => (
                <span class="row">
                  <button onClick={() => act.run(() => control("POST", `/state/checkpoints/${encodeURIComponent(str(r.id))}/restore`))}>Restore</button>
                  <button class="ghost danger" onClick={() => act.run(() => control("DELETE", `/state/checkpoints/${encodeURIComponent(str(r.id))}`))}>
                    Delete
                  </button>
                </span>
              ),
            },
          ]}
        />
      </Panel>
      <Panel title="Reset" note="Back to the seed state (the default account and its projects) and to real time.">
        <button class="danger" onClick={reset} disabled={act.busy}>
          Reset hwlocal
        </button>
      </Panel>
    </>
  );
}
