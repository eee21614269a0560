// Dashboards and their widgets (v2): CRUD bookkeeping of the console's custom dashboards. A widget names the
// metrics it charts; hwlocal keeps the definition (extra metric and property fields as given).
import { z } from "../../../kernel/zod.ts";
import { cesOperation, requireProject, V2_PATH, type CesContext } from "../context.ts";
import type { Doc } from "../docs.ts";
import { cesErrors } from "../errors.ts";
import { cesId, schemas, WIDGET_VIEWS, widgetLocation, widgetMetric, type Dashboard, type Widget } from "../resources.ts";

const Dashboards = `${V2_PATH}/dashboards`;
/** Huawei's quotas: 10 custom dashboards a project, 50 widgets a dashboard. */
export const DASHBOARD_LIMIT = 10;
export const WIDGET_LIMIT = 50;
const NAME = z.string().regex(/^[\p{L}\p{N}_-]{1,128}$/u);

function requireDashboard(svc: CesContext, projectId: string, id: string): Doc<Dashboard> {
  const d = svc.docs.dashboards.get(projectId, id);
  if (!d) throw cesErrors.notFound(`dashboard ${id.slice(0, 64)}`);
  return d;
}

function requireWidget(svc: CesContext, projectId: string, id: string): Doc<Widget> {
  const w = svc.docs.widgets.get(projectId, id);
  if (!w) throw cesErrors.notFound(`widget ${id.slice(0, 64)}`);
  return w;
}

const widgetView = (w: Doc<Widget>) => ({ widget_id: w.id, ...w.doc, create_time: w.createdAt });

export const createOneDashboard = cesOperation({
  name: "CreateOneDashboard",
  method: "POST",
  path: Dashboards,
  body: z.object({ dashboard_name: NAME, enterprise_id: z.string().max(64).optional(), dashboard_id: z.string().optional(), row_widget_num: z.number().int().min(0).max(3).optional() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    const all = ctx.svc.docs.dashboards.list(projectId);
    if (all.length >= DASHBOARD_LIMIT) throw cesErrors.forbidden(`The dashboard quota (${DASHBOARD_LIMIT}) is used up.`);
    if (all.some((d) => d.doc.dashboard_name === b.dashboard_name)) throw cesErrors.bodyInvalid(`dashboard_name ${b.dashboard_name} exists.`);
    // dashboard_id names a dashboard to copy, widgets included.
    const from = b.dashboard_id === undefined ? undefined : requireDashboard(ctx.svc, projectId, b.dashboard_id);
    const id = cesId("db", ctx.ids);
    const now = ctx.clock.now();
    ctx.svc.docs.table.tx(() => {
      ctx.svc.docs.dashboards.put(projectId, {
        id, parent: "", createdAt: now,
        doc: { dashboard_name: b.dashboard_name, enterprise_id: b.enterprise_id ?? "0", row_widget_num: b.row_widget_num ?? from?.doc.row_widget_num ?? 3, is_favorite: false, creator_name: ctx.scope?.principal.userName ?? "" },
      });
      for (const w of from ? ctx.svc.docs.widgets.list(projectId, from.id) : []) ctx.svc.docs.widgets.put(projectId, { id: cesId("wg", ctx.ids), parent: id, createdAt: now, doc: w.doc });
    });
    return { body: { dashboard_id: id } };
  },
});

export const listDashboardInfos = cesOperation({
  name: "ListDashboardInfos",
  method: "GET",
  path: Dashboards,
  query: z.object({
    enterprise_id: z.string().optional(), is_favorite: z.enum(["true", "false"]).optional(), dashboard_name: z.string().optional(),
    dashboard_id: z.string().optional(), dashboard_type: z.string().optional(),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const q = ctx.input.query;
    const dashboards = ctx.svc.docs.dashboards.list(projectId)
      .filter((d) => (q.enterprise_id === undefined || d.doc.enterprise_id === q.enterprise_id) && (q.is_favorite === undefined || String(d.doc.is_favorite) === q.is_favorite))
      .filter((d) => (q.dashboard_name === undefined || d.doc.dashboard_name.includes(q.dashboard_name)) && (q.dashboard_id === undefined || d.id === q.dashboard_id))
      .filter(() => q.dashboard_type === undefined || q.dashboard_type === "custom")
      .map((d) => ({ dashboard_id: d.id, ...d.doc, create_time: d.createdAt, widgets_num: ctx.svc.docs.widgets.list(projectId, d.id).length }));
    return { body: { dashboards } };
  },
});

export const updateDashboard = cesOperation({
  name: "UpdateDashboard",
  method: "PUT",
  path: `${Dashboards}/{dashboard_id}`,
  body: z.object({ dashboard_name: NAME.optional(), is_favorite: z.boolean().optional(), row_widget_num: z.number().int().min(0).max(3) }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const d = requireDashboard(ctx.svc, projectId, ctx.input.path.dashboard_id!);
    const b = ctx.input.body;
    if (b.dashboard_name !== undefined && ctx.svc.docs.dashboards.list(projectId).some((o) => o.id !== d.id && o.doc.dashboard_name === b.dashboard_name)) {
      throw cesErrors.bodyInvalid(`dashboard_name ${b.dashboard_name} exists.`);
    }
    const doc = { ...d.doc, dashboard_name: b.dashboard_name ?? d.doc.dashboard_name, is_favorite: b.is_favorite ?? d.doc.is_favorite, row_widget_num: b.row_widget_num };
    ctx.svc.docs.dashboards.put(projectId, { ...d, doc });
    return { status: 204 };
  },
});

export const deleteDashboards = cesOperation({
  name: "DeleteDashboards",
  method: "POST",
  path: `${Dashboards}/batch-delete`,
  body: z.object({ dashboard_ids: z.array(z.string()).min(1).max(10) }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const dashboards = ctx.svc.docs.table.tx(() =>
      ctx.input.body.dashboard_ids.map((id) => {
        if (!ctx.svc.docs.dashboards.delete(projectId, id)) return { dashboard_id: id, ret_status: "error", error_msg: "The dashboard does not exist." };
        ctx.svc.docs.widgets.deleteUnder(projectId, id);
        return { dashboard_id: id, ret_status: "successful", error_msg: "" };
      }),
    );
    return { body: { dashboards } };
  },
});

const WidgetBody = z.object({
  group_id: z.string().max(128).optional(),
  metrics: z.array(widgetMetric()).min(1).max(50),
  title: z.string().min(1).max(128),
  threshold: z.number().optional(),
  threshold_enabled: z.boolean(),
  view: z.enum(WIDGET_VIEWS),
  metric_display_mode: z.enum(["single", "multiple"]),
  properties: z.record(z.string(), z.unknown()).optional(),
  location: widgetLocation().optional(),
  unit: z.string().max(32).optional(),
});

export const createDashboardWidgets = cesOperation({
  name: "CreateDashboardWidgets",
  method: "POST",
  path: `${Dashboards}/{dashboard_id}/widgets`,
  body: z.array(WidgetBody).min(1).max(WIDGET_LIMIT),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const d = requireDashboard(ctx.svc, projectId, ctx.input.path.dashboard_id!);
    if (ctx.svc.docs.widgets.list(projectId, d.id).length + ctx.input.body.length > WIDGET_LIMIT) throw cesErrors.bodyInvalid(`A dashboard holds at most ${WIDGET_LIMIT} widgets.`);
    const now = ctx.clock.now();
    const ids = ctx.svc.docs.table.tx(() =>
      ctx.input.body.map((w) => {
        const id = cesId("wg", ctx.ids);
        ctx.svc.docs.widgets.put(projectId, { id, parent: d.id, createdAt: now, doc: schemas.widget().parse(w) });
        return id;
      }),
    );
    return { body: { widget_ids: ids } };
  },
});

export const listDashboardWidgets = cesOperation({
  name: "ListDashboardWidgets",
  method: "GET",
  path: `${Dashboards}/{dashboard_id}/widgets`,
  query: z.object({ group_id: z.string().optional() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const d = requireDashboard(ctx.svc, projectId, ctx.input.path.dashboard_id!);
    const g = ctx.input.query.group_id;
    return { body: { widgets: ctx.svc.docs.widgets.list(projectId, d.id).filter((w) => g === undefined || w.doc.group_id === g).map(widgetView) } };
  },
});

export const showWidget = cesOperation({
  name: "ShowWidget",
  method: "GET",
  path: `${V2_PATH}/widgets/{widget_id}`,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    return { body: widgetView(requireWidget(ctx.svc, projectId, ctx.input.path.widget_id!)) };
  },
});

export const deleteOneWidget = cesOperation({
  name: "DeleteOneWidget",
  method: "DELETE",
  path: `${V2_PATH}/widgets/{widget_id}`,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const w = requireWidget(ctx.svc, projectId, ctx.input.path.widget_id!);
    ctx.svc.docs.widgets.delete(projectId, w.id);
    return { status: 204 };
  },
});

export const batchUpdateWidgets = cesOperation({
  name: "BatchUpdateWidgets",
  method: "POST",
  path: `${V2_PATH}/widgets/batch-update`,
  body: z.array(WidgetBody.partial().extend({ widget_id: z.string() })).min(1).max(WIDGET_LIMIT),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const widgets = ctx.svc.docs.table.tx(() =>
      ctx.input.body.map(({ widget_id, ...patch }) => {
        const w = ctx.svc.docs.widgets.get(projectId, widget_id);
        if (!w) return { widget_id, ret_status: "error", error_msg: "The widget does not exist." };
        const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        ctx.svc.docs.widgets.put(projectId, { ...w, doc: schemas.widget().parse({ ...w.doc, ...defined }) });
        return { widget_id, ret_status: "successful", error_msg: "" };
      }),
    );
    return { body: { widgets } };
  },
});

export const dashboardOperations = [
  createOneDashboard, listDashboardInfos, updateDashboard, deleteDashboards, createDashboardWidgets, listDashboardWidgets, showWidget,
  deleteOneWidget, batchUpdateWidgets,
];
