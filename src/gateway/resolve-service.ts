// Which service a request is for, in Huawei's order of precedence for an emulator on one port:
// 1. the Host header: "<service>.<region>.<any domain>" (ecs.cn-north-4.myhuaweicloud.com,
//    iam.cn-north-4.localhost) or, for a global service, "<service>.<any domain>" (iam.myhuaweicloud.com);
// 2. a path prefix "/<service>/…", which the SDKs keep from an endpoint such as http://127.0.0.1:4577/iam;
// 3. a bare path that exactly one service answers (implemented operations win over SDK-listed ones). When
//    several answer it with one and the same operation (eip serves VPC's EIP operations, see
//    services/eip/index.ts), the first of them whose operation list names that route wins (else the first
//    of them): it is that service's API (/v1/{project_id}/publicips → eip, /v1/{project_id}/quotas → vpc). Different operations
//    on one bare path stay ambiguous (unresolved → 404), except version documents (answered without a token:
//    IAM's, nova's, cinder's, glance's, neutron's), where the first service in the registry wins (bare "/"
//    stays Keystone's). A template of {params} only claims no bare path.
import { routeKey } from "../kernel/catalogue.ts";
import { findRegion } from "../kernel/regions.ts";
import type { HttpMethod, OperationMeta } from "../kernel/service.ts";
import type { BoundService } from "./bind.ts";

export interface ResolvedService {
  service: BoundService;
  /** The path inside the service, without any prefix. */
  path: string;
  /** The prefix the caller used ("/iam"), or "" for host and bare-path routing. */
  prefix: string;
  /** The region the Host header names. */
  region?: string;
}

const IP_HOST = /^(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:]+\])$/i;

export class ServiceResolver {
  private readonly byName = new Map<string, BoundService>();

  constructor(private readonly services: BoundService[]) {
    for (const s of services) this.byName.set(s.name, s);
  }

  /** What a Host header names, by its exact value: clients send the same one or two on every request. */
  private readonly hosts = new Map<string, { service: BoundService; region?: string } | null>();

  private byHost(host: string): { service: BoundService; region?: string } | null {
    let hit = this.hosts.get(host);
    if (hit !== undefined) return hit;
    hit = null;
    const hostname = host.replace(/:\d+$/, "").toLowerCase();
    if (!IP_HOST.test(hostname)) {
      const labels = hostname.split(".");
      const svc = labels.length >= 2 ? this.byName.get(labels[0]!) : undefined;
      if (svc && !svc.internal) {
        const region = labels.length >= 3 && findRegion(labels[1]!) ? labels[1] : undefined;
        if (region || svc.global) hit = { service: svc, region };
      }
    }
    if (this.hosts.size >= 1000) this.hosts.clear();
    this.hosts.set(host, hit);
    return hit;
  }

  resolve(host: string | undefined, method: HttpMethod, path: string): ResolvedService | undefined {
    const named = host ? this.byHost(host) : null;
    if (named) return { service: named.service, path, prefix: "", region: named.region };
    const second = path.indexOf("/", 1);
    const first = second < 0 ? path.slice(1) : path.slice(1, second);
    const prefixed = this.byName.get(first);
    if (prefixed) return { service: prefixed, path: second < 0 ? "/" : path.slice(second), prefix: `/${first}` };

    let fallback: BoundService | undefined;
    let implemented: BoundService | undefined;
    let implementedCount = 0;
    let shared: OperationMeta | undefined;
    let sameOperation = true;
    let versionDocs = true;
    for (const s of this.services) {
      if (s.internal) continue;
      const m = s.router.match(method, path);
      if (m.kind !== "found") continue;
      // A template of {params} only ("/{version}", a version document) would claim any bare path: none.
      if (m.value.meta.path !== "/" && !/\/[^{/]/.test(m.value.meta.path)) continue;
      if (m.value.invoke) {
        implemented ??= s;
        implementedCount++;
        sameOperation &&= shared === undefined || shared === m.value.meta;
        shared = m.value.meta;
        versionDocs &&= m.value.meta.auth === "none";
        // An SDK-listed operation claims a bare path only through a literal segment: "/{version}" would
        // claim anything.
      } else if (/\/[^{/]/.test(m.value.meta.path)) fallback ??= s;
    }
    const chosen =
      implementedCount === 1
        ? implemented
        : implementedCount === 0
          ? fallback
          : sameOperation && shared
            ? this.owner(shared, implemented)
            : versionDocs
              ? implemented
              : undefined;
    return chosen ? { service: chosen, path, prefix: "" } : undefined;
  }

  /** Of the services that serve one operation object, the first whose list names its route, else the first. */
  private owner(op: OperationMeta, first: BoundService | undefined): BoundService | undefined {
    const key = routeKey(op.method, op.path);
    return (
      this.services.find(
        (s) => !s.internal && s.implemented.includes(op) && s.sdkCovered.some((e) => routeKey(e.method, e.path) === key),
      ) ?? first
    );
  }
}
