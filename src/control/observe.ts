// The control calls of the request journal and of fault rules (control/service.ts mounts them):
//   GET    /_hwlocal/journal?service=&operation=&status=&since=&limit=   {"entries":[…]} newest first
//   GET    /_hwlocal/journal/stream?service=&operation=&status=          Server-Sent Events, one entry a `data:`
//   DELETE /_hwlocal/journal                                              clears it
//   POST   /_hwlocal/faults  {rule}  → 201 {"fault"};  GET /_hwlocal/faults  {"faults":[…]} (with hits)
//   DELETE /_hwlocal/faults/{id}, DELETE /_hwlocal/faults
// Like every control call: open on loopback, an administrator's beyond it (the journal shows who called
// what, masked as it is).
import type { ServerResponse } from "node:http";
import { z } from "../kernel/zod.ts";
import { ApiError } from "../kernel/api-error.ts";
import { operationsFor, type Operation } from "../kernel/service.ts";
import type { Journal, JournalFilter } from "./journal.ts";
import { faultView, type FaultInput, type Faults } from "./faults.ts";
import { controlErrors, requireControlAccess, type ControlContext } from "./service.ts";

const op = operationsFor<ControlContext>(controlErrors);

/** Real time between SSE heartbeat comments (proxies and clients drop silent streams). */
const HEARTBEAT_MS = 15_000;

const filters = {
  service: z.string().min(1).max(64).optional(),
  operation: z.string().min(1).max(128).optional(),
  status: z
    .string()
    .regex(/^(?:\d{1,3}|[1-5]xx|error)$/i, "a status (404), a class (4xx) or error")
    .optional(),
  since: z
    .string()
    .refine((s) => /^\d+$/.test(s) || (/^\d{4}-\d\d-\d\dT/.test(s) && !Number.isNaN(Date.parse(s))), "an entry id or an ISO time")
    .optional(),
};

const code = z.string().min(1).max(64);
const msg = z.string().max(1024);
const Effect = z.union([
  z.strictObject({ type: z.literal("error"), status: z.number().int().min(400).max(599), error_code: code, error_msg: msg }),
  z.strictObject({ type: z.literal("latency"), ms: z.number().int().min(0).max(600_000) }),
  z.strictObject({ type: z.literal("drop") }),
  z.strictObject({ type: z.literal("job"), job_type: z.string().min(1).max(64).optional(), error_code: code, error_msg: msg }),
]);
const Rule = z.strictObject({
  service: z.string().min(1).max(64).optional(),
  operation: z.string().min(1).max(128).optional(),
  region: z.string().min(1).max(64).optional(),
  project: z.string().min(1).max(64).optional(),
  resource: z.string().min(1).max(256).optional(),
  probability: z.number().min(0).max(1).optional(),
  times: z.number().int().min(1).max(1_000_000).optional(),
  seed: z.string().min(1).max(128).optional(),
  effect: Effect,
});

const notFound = (what: string) => new ApiError({ status: 404, code: "HWLOCAL.0404", message: what });

function disabled(): never {
  throw new ApiError({ status: 409, code: "HWLOCAL.0409", message: "The request journal is off (--journal-size 0)." });
}

function streamJournal(journal: Journal, f: JournalFilter, requestId: string) {
  return (res: ServerResponse) => {
    res.writeHead(200, {
      "X-Request-Id": requestId,
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
    });
    res.write(": hwlocal journal\n\n");
    const stop = journal.subscribe(f, (e) => res.write(`id: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`));
    const beat = setInterval(() => res.write(": heartbeat\n\n"), HEARTBEAT_MS);
    beat.unref();
    res.once("close", () => {
      clearInterval(beat);
      stop();
    });
  };
}

export function observeOperations(journal: Journal | undefined, faults: Faults): Operation<ControlContext>[] {
  return [
    op({
      name: "ListJournal",
      method: "GET",
      path: "/journal",
      auth: "optional",
      query: z.object({ ...filters, limit: z.coerce.number().int().min(1).max(1_000_000).optional() }),
      handle(ctx) {
        requireControlAccess(ctx);
        if (!journal) return { body: { entries: [], size: 0 } };
        return { body: { entries: journal.list(ctx.input.query).map((e) => journal.view(e)), size: journal.size } };
      },
    }),
    op({
      name: "StreamJournal",
      method: "GET",
      path: "/journal/stream",
      auth: "optional",
      query: z.object(filters),
      handle(ctx) {
        requireControlAccess(ctx);
        if (!journal) disabled();
        return { takeover: streamJournal(journal, ctx.input.query, ctx.request.requestId) };
      },
    }),
    op({
      name: "ClearJournal",
      method: "DELETE",
      path: "/journal",
      auth: "optional",
      handle(ctx) {
        requireControlAccess(ctx);
        journal?.clear();
        return { status: 204 };
      },
    }),
    op({
      name: "AddFault",
      method: "POST",
      path: "/faults",
      auth: "optional",
      body: Rule,
      handle(ctx) {
        requireControlAccess(ctx);
        const input: FaultInput = ctx.input.body;
        return { status: 201, body: { fault: faultView(faults.add(input)) } };
      },
    }),
    op({
      name: "ListFaults",
      method: "GET",
      path: "/faults",
      auth: "optional",
      handle(ctx) {
        requireControlAccess(ctx);
        return { body: { faults: faults.list().map(faultView) } };
      },
    }),
    op({
      name: "DeleteFault",
      method: "DELETE",
      path: "/faults/{id}",
      auth: "optional",
      handle(ctx) {
        requireControlAccess(ctx);
        const id = ctx.input.path.id ?? "";
        if (!faults.remove(id)) throw notFound(`No fault rule has the id ${id}.`);
        return { status: 204 };
      },
    }),
    op({
      name: "DeleteFaults",
      method: "DELETE",
      path: "/faults",
      auth: "optional",
      handle(ctx) {
        requireControlAccess(ctx);
        faults.clear();
        return { status: 204 };
      },
    }),
  ];
}
