// The web console: GET /_hwlocal/console (its page) and GET /_hwlocal/console/{file} (its script, styles),
// files that `npm run build` bundles from console/ into dist/console/. They are read from disk when asked
// for, not at start-up (cold start is measured), and only the files the build writes are served: any other
// name is a 404. The console itself is a client of hwlocal's public APIs and of the other control calls.
// Like every control call: open on loopback, an administrator's beyond it (by token or signature; a browser
// reaching hwlocal beyond loopback therefore needs a proxy that adds X-Auth-Token, or an SSH tunnel).
import type { ServerResponse } from "node:http";
import { ApiError } from "../kernel/api-error.ts";
import { lazyFsPromises } from "../kernel/builtins.ts";
import { PACKAGE_ROOT } from "../kernel/package-root.ts";
import { operationsFor, type Operation } from "../kernel/service.ts";
import { controlErrors, requireControlAccess, type ControlContext } from "./service.ts";

/** The files the console build writes (scripts/build.mjs), with their content types. */
const FILES = new Map([
  ["index.html", "text/html; charset=utf-8"],
  ["console.js", "text/javascript; charset=utf-8"],
  ["console.css", "text/css; charset=utf-8"],
  ["favicon.svg", "image/svg+xml"],
]);

const missing = (what: string) => new ApiError({ status: 404, code: "HWLOCAL.0404", message: what });

async function serveFile(name: string, requestId: string): Promise<(res: ServerResponse) => void> {
  const type = FILES.get(name);
  if (type === undefined) throw missing(`The console has no file ${name}.`);
  let data: Buffer;
  try {
    data = await lazyFsPromises().readFile(new URL(`dist/console/${name}`, PACKAGE_ROOT));
  } catch {
    throw missing(`The console is not built (dist/console/${name} is missing): run npm run build.`);
  }
  return (res) => {
    res.writeHead(200, {
      "X-Request-Id": requestId,
      "Content-Type": type,
      "Content-Length": String(data.length),
      // The files change with the package only; the page asks again on each visit.
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
    });
    res.end(data);
  };
}

/** Mounted by control/service.ts (which this module imports from: the operations are made when called). */
export function consoleOperations(): Operation<ControlContext>[] {
  const op = operationsFor<ControlContext>(controlErrors);
  return [
    op({
      name: "ShowConsole",
      method: "GET",
      path: "/console",
      auth: "optional",
      async handle(ctx) {
        requireControlAccess(ctx);
        return { takeover: await serveFile("index.html", ctx.request.requestId) };
      },
    }),
    op({
      name: "ShowConsoleFile",
      method: "GET",
      path: "/console/{file}",
      auth: "optional",
      async handle(ctx) {
        requireControlAccess(ctx);
        const file = ctx.input.path.file ?? "";
        return { takeover: await serveFile(file === "" ? "index.html" : file, ctx.request.requestId) };
      },
    }),
  ];
}
