// What a detail drawer shows beside a row's JSON: a scaling group's instances, activities and policies; an
// alarm's state history and its metric's data as a chart; a topic's subscriptions and the deliveries SMN
// made (GET /_hwlocal/smn/messages: no public API lists deliveries); a user's groups and access keys.
import type { VNode } from "preact";
import { control, firstArray, type Json } from "./api.ts";
import { Badge, ErrorLine, Mono, Panel, Table, get, str, useApp, useData, when } from "./ui.tsx";

function useList(service: string, path: string, deps: unknown[]) {
  const { session, project } = useApp();
  return useData(async () => firstArray(await session.get(project.id, service, path)), [project.id, ...deps]);
}

export function GroupDetail(props: { id: string }): VNode {
  const base = "/autoscaling-api/v1/{project_id}";
  const instances = useList("as", `${base}/scaling_group_instance/${props.id}/list`, [props.id]);
  const activities = useList("as", `${base}/scaling_activity_log/${props.id}?limit=100`, [props.id]);
  const policies = useList("as", `${base}/scaling_policy/${props.id}/list`, [props.id]);
  return (
    <>
      <Panel title="Instances">
        <ErrorLine error={instances.error} />
        <Table
          name="as-instances"
          rows={instances.data}
          rowKey={(r) => str(r.instance_id ?? r.instance_name)}
          columns={[
            { label: "Name", cell: (r) => str(r.instance_name) },
            { label: "Lifecycle", cell: (r) => <Badge value={r.life_cycle_state} /> },
            { label: "Health", cell: (r) => <Badge value={r.health_status} /> },
            { label: "ID", cell: (r) => <Mono>{str(r.instance_id)}</Mono> },
          ]}
        />
      </Panel>
      <Panel title="Activities">
        <ErrorLine error={activities.error} />
        <Table
          name="as-activities"
          rows={activities.data}
          rowKey={(r) => str(r.id)}
          columns={[
            { label: "Started", cell: (r) => str(r.start_time) },
            { label: "Status", cell: (r) => <Badge value={r.status} /> },
            { label: "Change", cell: (r) => `${str(r.instance_value)} → ${str(r.desire_value)}` },
            { label: "Description", cell: (r) => <span class="clip">{str(r.description)}</span> },
          ]}
        />
      </Panel>
      <Panel title="Policies">
        <ErrorLine error={policies.error} />
        <Table
          name="as-policies"
          rows={policies.data}
          rowKey={(r) => str(r.scaling_policy_id)}
          columns={[
            { label: "Name", cell: (r) => str(r.scaling_policy_name) },
            { label: "Type", cell: (r) => str(r.scaling_policy_type) },
            { label: "Status", cell: (r) => <Badge value={r.policy_status} /> },
            { label: "Action", cell: (r) => `${str(get(r, "scaling_policy_action", "operation"))} ${str(get(r, "scaling_policy_action", "instance_number"))}` },
          ]}
        />
      </Panel>
    </>
  );
}

interface Point {
  t: number;
  v: number;
}

/** A line chart of a metric's points, plain SVG. */
export function Chart(props: { points: Point[]; unit: string; threshold?: number }): VNode {
  const { points } = props;
  if (points.length === 0) return <p class="muted">No data points in the last three hours.</p>;
  const W = 560;
  const H = 180;
  const P = 36;
  const t0 = points[0]!.t;
  const t1 = Math.max(points[points.length - 1]!.t, t0 + 1);
  const limit = props.threshold;
  const vmax = Math.max(...points.map((p) => p.v), limit ?? 0, 1);
  const x = (t: number) => P + ((t - t0) / (t1 - t0)) * (W - 2 * P);
  const y = (v: number) => H - P + 8 - (v / vmax) * (H - 2 * P);
  const line = points.map((p, i) => `${i ? "L" : "M"}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(" ");
  const ticks = [0, vmax / 2, vmax];
  const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`metric chart, ${points.length} points`}>
      {ticks.map((v) => (
        <g key={v}>
          <line x1={P} x2={W - P} y1={y(v)} y2={y(v)} class="grid-line" />
          <text x={P - 4} y={y(v) + 4} class="axis" text-anchor="end">
            {Number(v.toFixed(1))}
          </text>
        </g>
      ))}
      <text x={P} y={H - 4} class="axis">
        {hhmm(t0)}
      </text>
      <text x={W - P} y={H - 4} class="axis" text-anchor="end">
        {hhmm(t1)} UTC {props.unit}
      </text>
      {limit !== undefined ? (
        <g>
          <line x1={P} x2={W - P} y1={y(limit)} y2={y(limit)} class="threshold" />
          <text x={W - P} y={y(limit) - 4} class="axis threshold-label" text-anchor="end">
            threshold {limit}
          </text>
        </g>
      ) : null}
      <path d={line} class="series" />
      {points.map((p) => (
        <circle key={p.t} cx={x(p.t)} cy={y(p.v)} r={2.5} class="dot" />
      ))}
    </svg>
  );
}

interface Metric {
  namespace?: string;
  metric_name?: string;
  dimensions?: { name: string; value: string }[];
}

const FILTERS = /^(average|max|min|sum|variance)$/;

/** A metric's raw points over the last three hours of hwlocal's clock (CES ShowMetricData), charted. */
export function MetricChart(props: { metric: Metric; filter?: string; threshold?: number }): VNode {
  const { session, project } = useApp();
  const { metric } = props;
  const filter = props.filter !== undefined && FILTERS.test(props.filter) ? props.filter : "average";
  const data = useData(async () => {
    const clock = await control<{ now: string }>("GET", "/clock");
    const to = Date.parse(clock.now);
    const q = new URLSearchParams({ namespace: metric.namespace ?? "", metric_name: metric.metric_name ?? "", from: String(to - 3 * 3600_000), to: String(to), period: "1", filter });
    (metric.dimensions ?? []).slice(0, 4).forEach((d, i) => q.set(`dim.${i}`, `${d.name},${d.value}`));
    const body = await session.get(project.id, "ces", `/V1.0/{project_id}/metric-data?${q.toString()}`);
    return firstArray(body).map((p) => ({ t: Number(p.timestamp), v: Number(p[filter]), unit: str(p.unit) }));
  }, [JSON.stringify(metric), filter]);
  const unit = data.data?.[0]?.unit;
  return (
    <Panel title={`Metric: ${str(metric.namespace)} · ${str(metric.metric_name)}`} note={`The last three hours of hwlocal's clock, raw points (${filter}).`}>
      <ErrorLine error={data.error} />
      {data.data ? <Chart points={data.data} unit={unit === undefined || unit === "–" ? "" : unit} threshold={props.threshold} /> : null}
    </Panel>
  );
}

export function AlarmDetail(props: { alarm: Json }): VNode {
  const id = str(props.alarm.alarm_id);
  const history = useList("ces", `/V1.0/{project_id}/alarm-histories?alarm_id=${encodeURIComponent(id)}&limit=100`, [id]);
  const threshold = get(props.alarm, "condition", "value");
  return (
    <>
      <MetricChart metric={(props.alarm.metric ?? {}) as Metric} filter={str(get(props.alarm, "condition", "filter"))} threshold={typeof threshold === "number" ? threshold : undefined} />
      <Panel title="State history">
        <ErrorLine error={history.error} />
        <Table
          name="alarm-history"
          rows={history.data}
          rowKey={(r) => `${str(r.update_time)}-${str(r.status)}`}
          columns={[
            { label: "Time", cell: (r) => when(r.update_time) },
            { label: "From", cell: (r) => <Badge value={r.old_status} /> },
            { label: "To", cell: (r) => <Badge value={r.status} /> },
            { label: "Value", cell: (r) => str(((r.data_points ?? []) as Json[])[0]?.value) },
          ]}
          empty="The alarm has not changed state yet."
        />
      </Panel>
    </>
  );
}

export function TopicDetail(props: { urn: string }): VNode {
  const { project } = useApp();
  const subs = useList("smn", `/v2/{project_id}/notifications/topics/${encodeURIComponent(props.urn)}/subscriptions?limit=100`, [props.urn]);
  const deliveries = useData(async () => {
    const all = await control<{ messages: Json[] }>("GET", `/smn/messages?project_id=${encodeURIComponent(project.id)}`);
    return all.messages.filter((m) => m.topic_urn === props.urn);
  }, [props.urn, project.id]);
  return (
    <>
      <Panel title="Subscriptions">
        <ErrorLine error={subs.error} />
        <Table
          name="subscriptions"
          rows={subs.data}
          rowKey={(r) => str(r.subscription_urn)}
          columns={[
            { label: "Protocol", cell: (r) => str(r.protocol) },
            { label: "Endpoint", cell: (r) => <Mono>{str(r.endpoint)}</Mono> },
            { label: "Remark", cell: (r) => str(r.remark) },
          ]}
        />
      </Panel>
      <Panel title="Deliveries">
        <ErrorLine error={deliveries.error} />
        <Table
          name="deliveries"
          rows={deliveries.data}
          rowKey={(r) => str(r.id)}
          columns={[
            { label: "Time", cell: (r) => str(r.created_at) },
            { label: "Endpoint", cell: (r) => <Mono>{str(r.endpoint)}</Mono> },
            { label: "Subject", cell: (r) => str(r.subject) },
            { label: "Status", cell: (r) => <Badge value={r.status} /> },
            { label: "Attempts", cell: (r) => str(r.attempts) },
          ]}
          empty="No message published to this topic yet."
        />
      </Panel>
    </>
  );
}

export function UserDetail(props: { id: string }): VNode {
  const groups = useList("iam", `/v3/users/${props.id}/groups`, [props.id]);
  const keys = useList("iam", `/v3.0/OS-CREDENTIAL/credentials?user_id=${props.id}`, [props.id]);
  return (
    <>
      <Panel title="Groups">
        <ErrorLine error={groups.error} />
        <Table name="user-groups" rows={groups.data} rowKey={(r) => str(r.id)} columns={[{ label: "Name", cell: (r) => str(r.name) }, { label: "ID", cell: (r) => <Mono>{str(r.id)}</Mono> }]} />
      </Panel>
      <Panel title="Access keys">
        <ErrorLine error={keys.error} />
        <Table
          name="user-keys"
          rows={keys.data}
          rowKey={(r) => str(r.access)}
          columns={[
            { label: "Access key", cell: (r) => <Mono>{str(r.access)}</Mono> },
            { label: "Status", cell: (r) => <Badge value={r.status} /> },
            { label: "Created", cell: (r) => str(r.create_time) },
          ]}
        />
      </Panel>
    </>
  );
}
