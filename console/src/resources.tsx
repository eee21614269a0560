// The resource pages: one table per kind of resource, read through the service's public list API, each row
// opening its detail (the row as the API answered it, plus related lists for some kinds).
import type { ComponentChildren, VNode } from "preact";
import { useEffect, useState } from "preact/hooks";
import { firstArray, type Json, type Session } from "./api.ts";
import { AlarmDetail, GroupDetail, MetricChart, TopicDetail, UserDetail } from "./details.tsx";
import { Badge, ErrorLine, Mono, Panel, Table, get, str, useApp, useData, type Column } from "./ui.tsx";

export interface ResourcePage {
  id: string;
  group: string;
  title: string;
  /** What the page reads, e.g. "ECS ListServersDetails". */
  source: string;
  load: (s: Session, projectId: string) => Promise<Json[]>;
  key: (r: Json) => string;
  name: (r: Json) => string;
  columns: Column<Json>[];
  detail?: (r: Json) => VNode;
  /** A row on its way between states, which may change with no request (a job on real time): the page looks again soon. */
  pending?: (r: Json) => boolean;
}

/** Seconds between looks while a row is pending. */
const PENDING_POLL_MS = 3000;

const list = (service: string, path: string) => async (s: Session, pid: string) => firstArray(await s.get(pid, service, path));

const col = (label: string, cell: (r: Json) => ComponentChildren): Column<Json> => ({ label, cell });
const text = (label: string, ...path: string[]) => col(label, (r) => str(get(r, ...path)));
const mono = (label: string, ...path: string[]) => col(label, (r) => <Mono>{str(get(r, ...path))}</Mono>);
const badge = (label: string, ...path: string[]) => col(label, (r) => <Badge value={get(r, ...path)} />);

/** A server's addresses of one type ("fixed" or "floating"), all networks. */
function addresses(r: Json, type: string): string {
  const nets = (r.addresses ?? {}) as Record<string, Json[]>;
  const out = Object.values(nets)
    .flat()
    .filter((a) => a["OS-EXT-IPS:type"] === type)
    .map((a) => String(a.addr));
  return out.length ? out.join(", ") : "–";
}

async function buckets(s: Session): Promise<Json[]> {
  const doc = await s.obs("/");
  const out: Json[] = [];
  for (const b of Array.from(doc.getElementsByTagName("Bucket"))) {
    const field = (n: string) => b.getElementsByTagName(n)[0]?.textContent ?? "";
    out.push({ name: field("Name"), creation_date: field("CreationDate"), location: field("Location") || field("BucketType") });
  }
  return out;
}

async function bucketObjects(s: Session, bucket: string): Promise<Json[]> {
  const doc = await s.obs(`/${encodeURIComponent(bucket)}`);
  return Array.from(doc.getElementsByTagName("Contents")).map((c) => {
    const field = (n: string) => c.getElementsByTagName(n)[0]?.textContent ?? "";
    return { key: field("Key"), size: Number(field("Size")), last_modified: field("LastModified"), etag: field("ETag") };
  });
}

function BucketDetail(props: { name: string }): VNode {
  const { session } = useApp();
  const objects = useData(() => bucketObjects(session, props.name), [props.name]);
  return (
    <Panel title="Objects (first 1,000)">
      <ErrorLine error={objects.error} />
      <Table name="objects" rows={objects.data} rowKey={(o) => String(o.key)} columns={[mono("Key", "key"), text("Size (bytes)", "size"), text("Last modified", "last_modified")]} />
    </Panel>
  );
}

export const PAGES: ResourcePage[] = [
  {
    id: "servers",
    group: "Elastic Cloud Server",
    title: "Servers",
    source: "ECS ListServersDetails",
    load: list("ecs", "/v1/{project_id}/cloudservers/detail?limit=1000"),
    key: (r) => String(r.id),
    name: (r) => String(r.name),
    pending: (r) => !/^(ACTIVE|SHUTOFF|ERROR|DELETED)$/.test(String(r.status)),
    columns: [
      text("Name", "name"),
      badge("Status", "status"),
      text("Flavor", "flavor", "id"),
      col("Private IPs", (r) => <Mono>{addresses(r, "fixed")}</Mono>),
      col("EIPs", (r) => <Mono>{addresses(r, "floating")}</Mono>),
      text("AZ", "OS-EXT-AZ:availability_zone"),
      mono("ID", "id"),
    ],
  },
  {
    id: "vpcs",
    group: "Virtual Private Cloud",
    title: "VPCs",
    source: "VPC ListVpcs",
    load: list("vpc", "/v1/{project_id}/vpcs?limit=2000"),
    key: (r) => String(r.id),
    name: (r) => String(r.name),
    columns: [text("Name", "name"), mono("CIDR", "cidr"), badge("Status", "status"), mono("ID", "id")],
  },
  {
    id: "subnets",
    group: "Virtual Private Cloud",
    title: "Subnets",
    source: "VPC ListSubnets",
    load: list("vpc", "/v1/{project_id}/subnets?limit=2000"),
    key: (r) => String(r.id),
    name: (r) => String(r.name),
    columns: [text("Name", "name"), mono("CIDR", "cidr"), mono("Gateway", "gateway_ip"), badge("Status", "status"), mono("VPC", "vpc_id"), mono("ID", "id")],
  },
  {
    id: "security-groups",
    group: "Virtual Private Cloud",
    title: "Security groups",
    source: "VPC ListSecurityGroups",
    load: list("vpc", "/v1/{project_id}/security-groups?limit=2000"),
    key: (r) => String(r.id),
    name: (r) => String(r.name),
    columns: [
      text("Name", "name"),
      text("Description", "description"),
      col("Rules", (r) => str(Array.isArray(r.security_group_rules) ? r.security_group_rules.length : undefined)),
      mono("ID", "id"),
    ],
  },
  {
    id: "eips",
    group: "Virtual Private Cloud",
    title: "EIPs",
    source: "VPC ListPublicips",
    load: list("vpc", "/v1/{project_id}/publicips?limit=2000"),
    key: (r) => String(r.id),
    name: (r) => String(r.public_ip_address),
    columns: [mono("Address", "public_ip_address"), badge("Status", "status"), text("Type", "type"), text("Bandwidth (Mbit/s)", "bandwidth_size"), mono("Private IP", "private_ip_address"), mono("ID", "id")],
  },
  {
    id: "volumes",
    group: "Elastic Volume Service",
    title: "Volumes",
    source: "EVS ListVolumes",
    load: list("evs", "/v2/{project_id}/cloudvolumes/detail?limit=1000"),
    key: (r) => String(r.id),
    name: (r) => String(r.name),
    pending: (r) => /ing$/.test(String(r.status)),
    columns: [
      text("Name", "name"),
      badge("Status", "status"),
      text("Size (GiB)", "size"),
      text("Type", "volume_type"),
      col("Attached to", (r) => <Mono>{((r.attachments ?? []) as Json[]).map((a) => str(a.server_id)).join(", ") || "–"}</Mono>),
      mono("ID", "id"),
    ],
  },
  {
    id: "images",
    group: "Image Management",
    title: "Images",
    source: "IMS ListImages",
    load: list("ims", "/v2/cloudimages?limit=1000"),
    key: (r) => String(r.id),
    name: (r) => String(r.name),
    pending: (r) => /^(queued|saving)$/.test(String(r.status)),
    columns: [text("Name", "name"), badge("Status", "status"), text("OS", "__os_version"), text("Type", "__imagetype"), text("Min disk (GiB)", "min_disk"), mono("ID", "id")],
  },
  {
    id: "scaling-groups",
    group: "Auto Scaling",
    title: "Scaling groups",
    source: "AS ListScalingGroups",
    load: list("as", "/autoscaling-api/v1/{project_id}/scaling_group?limit=100"),
    key: (r) => String(r.scaling_group_id),
    name: (r) => String(r.scaling_group_name),
    pending: (r) => r.current_instance_number !== r.desire_instance_number || /ING$/.test(String(r.scaling_group_status)),
    columns: [
      text("Name", "scaling_group_name"),
      badge("Status", "scaling_group_status"),
      col("Instances (current / desired)", (r) => `${str(r.current_instance_number)} / ${str(r.desire_instance_number)}`),
      col("Min – max", (r) => `${str(r.min_instance_number)} – ${str(r.max_instance_number)}`),
      mono("ID", "scaling_group_id"),
    ],
    detail: (r) => <GroupDetail id={String(r.scaling_group_id)} />,
  },
  {
    id: "alarms",
    group: "Cloud Eye",
    title: "Alarm rules",
    source: "CES ListAlarms",
    load: list("ces", "/V1.0/{project_id}/alarms?limit=100"),
    key: (r) => String(r.alarm_id),
    name: (r) => String(r.alarm_name),
    columns: [
      text("Name", "alarm_name"),
      badge("State", "alarm_state"),
      col("Metric", (r) => `${str(get(r, "metric", "namespace"))} · ${str(get(r, "metric", "metric_name"))}`),
      col("Condition", (r) => `${str(get(r, "condition", "filter"))} ${str(get(r, "condition", "comparison_operator"))} ${str(get(r, "condition", "value"))}`),
      badge("Enabled", "alarm_enabled"),
      mono("ID", "alarm_id"),
    ],
    detail: (r) => <AlarmDetail alarm={r} />,
  },
  {
    id: "metrics",
    group: "Cloud Eye",
    title: "Metrics",
    source: "CES ListMetrics",
    load: list("ces", "/V1.0/{project_id}/metrics?limit=1000"),
    key: (r) => `${str(r.namespace)}|${str(r.metric_name)}|${JSON.stringify(r.dimensions)}`,
    name: (r) => `${str(r.namespace)} · ${str(r.metric_name)}`,
    columns: [
      text("Namespace", "namespace"),
      text("Metric", "metric_name"),
      col("Dimensions", (r) => <Mono>{((r.dimensions ?? []) as Json[]).map((d) => `${str(d.name)}=${str(d.value)}`).join(", ") || "–"}</Mono>),
      text("Unit", "unit"),
    ],
    detail: (r) => <MetricChart metric={r as { namespace?: string; metric_name?: string; dimensions?: { name: string; value: string }[] }} />,
  },
  {
    id: "topics",
    group: "Simple Message Notification",
    title: "Topics",
    source: "SMN ListTopics",
    load: list("smn", "/v2/{project_id}/notifications/topics?limit=100"),
    key: (r) => String(r.topic_urn),
    name: (r) => String(r.name),
    columns: [text("Name", "name"), text("Display name", "display_name"), mono("URN", "topic_urn")],
    detail: (r) => <TopicDetail urn={String(r.topic_urn)} />,
  },
  {
    id: "users",
    group: "Identity and Access",
    title: "Users",
    source: "IAM KeystoneListUsers",
    load: list("iam", "/v3/users"),
    key: (r) => String(r.id),
    name: (r) => String(r.name),
    columns: [text("Name", "name"), badge("Enabled", "enabled"), text("Description", "description"), mono("ID", "id")],
    detail: (r) => <UserDetail id={String(r.id)} />,
  },
  {
    id: "groups",
    group: "Identity and Access",
    title: "User groups",
    source: "IAM KeystoneListGroups",
    load: list("iam", "/v3/groups"),
    key: (r) => String(r.id),
    name: (r) => String(r.name),
    columns: [text("Name", "name"), text("Description", "description"), mono("ID", "id")],
  },
  {
    id: "keys",
    group: "Identity and Access",
    title: "Access keys",
    source: "IAM ListPermanentAccessKeys",
    load: list("iam", "/v3.0/OS-CREDENTIAL/credentials"),
    key: (r) => String(r.access),
    name: (r) => String(r.access),
    columns: [mono("Access key", "access"), badge("Status", "status"), mono("User", "user_id"), text("Created", "create_time"), text("Description", "description")],
  },
  {
    id: "buckets",
    group: "Object Storage",
    title: "Buckets",
    source: "OBS ListBuckets",
    load: (s) => buckets(s),
    key: (r) => String(r.name),
    name: (r) => String(r.name),
    columns: [text("Name", "name"), text("Location", "location"), text("Created", "creation_date")],
    detail: (r) => <BucketDetail name={String(r.name)} />,
  },
];

export function ResourceView(props: { page: ResourcePage }): VNode {
  const { session, project, open } = useApp();
  const p = props.page;
  const [look, setLook] = useState(0);
  const rows = useData(() => p.load(session, project.id), [p.id, project.id, look]);
  const pending = p.pending !== undefined && (rows.data ?? []).some(p.pending);
  useEffect(() => {
    if (!pending || rows.loading) return;
    const t = setTimeout(() => setLook((n) => n + 1), PENDING_POLL_MS);
    return () => clearTimeout(t);
  }, [pending, rows.loading, rows.data]);
  return (
    <Panel title={p.title} note={`${p.source} · ${project.name}`} actions={rows.loading ? <span class="muted">refreshing…</span> : <span class="muted">{rows.data?.length ?? 0} items</span>}>
      <ErrorLine error={rows.error} />
      <Table name={p.id} rows={rows.data} rowKey={p.key} columns={p.columns} onOpen={(r) => open(`${p.title}: ${p.name(r)}`, r, p.detail?.(r))} />
    </Panel>
  );
}
