// Method + path template matching on a segment trie: static segments win over {params}, with
// backtracking, so "/v3/auth/projects" and "/v3/projects/{project_id}" coexist. A path that matches a
// template under another method is reported apart from one that matches nothing (both are Huawei's
// APIGW.0101, but the message differs).
import type { HttpMethod } from "../kernel/service.ts";

interface Node<T> {
  statics: Map<string, Node<T>>;
  /** The {param} child; its name is each route's own (templates may name the same position differently). */
  param?: Node<T>;
  handlers: Map<HttpMethod, { value: T; names: string[] }>;
}

export type RouteMatch<T> =
  | { kind: "found"; value: T; params: Record<string, string> }
  | { kind: "method-mismatch"; allowed: HttpMethod[] }
  | { kind: "none" };

function newNode<T>(): Node<T> {
  return { statics: new Map(), handlers: new Map() };
}

function splitPath(path: string): string[] {
  const parts = path.split("/");
  // "/a/b/" and "/a/b" are the same route; "/" is the root.
  return parts.filter((p, i) => !(p === "" && (i === 0 || i === parts.length - 1)));
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export class Router<T> {
  private readonly root: Node<T> = newNode();
  private later: (() => void) | undefined;

  /**
   * Routes to add before the first match, not now (the SDK catalogues' 501 routes: reading and adding a
   * thousand of them was a tenth of hwlocal's cold start, and a process that is only asked for its health
   * never needs them). They are added after every route added before the first match, as if added last.
   */
  addLater(fill: () => void): void {
    const before = this.later;
    this.later = before ? () => (before(), fill()) : fill;
  }

  /** Adds a route; returns false when the method and shape are already taken (first one wins). */
  add(method: HttpMethod, template: string, value: T): boolean {
    let node = this.root;
    const names: string[] = [];
    for (const seg of splitPath(template)) {
      const m = /^\{([^}]+)\}$/.exec(seg);
      if (m) {
        names.push(m[1]!);
        node.param ??= newNode();
        node = node.param;
      } else {
        let next = node.statics.get(seg);
        if (!next) {
          next = newNode();
          node.statics.set(seg, next);
        }
        node = next;
      }
    }
    if (node.handlers.has(method)) return false;
    node.handlers.set(method, { value, names });
    return true;
  }

  match(method: HttpMethod, path: string): RouteMatch<T> {
    if (this.later) {
      const fill = this.later;
      this.later = undefined;
      fill();
    }
    const segs = splitPath(path);
    const values: string[] = [];
    let mismatch: HttpMethod[] | undefined;

    const walk = (node: Node<T>, i: number): Node<T> | undefined => {
      if (i === segs.length) {
        if (node.handlers.has(method)) return node;
        if (node.handlers.size > 0) mismatch ??= [...node.handlers.keys()];
        return undefined;
      }
      const seg = segs[i]!;
      const s = node.statics.get(seg);
      if (s) {
        const found = walk(s, i + 1);
        if (found) return found;
      }
      if (node.param && seg !== "") {
        values.push(decodeSegment(seg));
        const found = walk(node.param, i + 1);
        if (found) return found;
        values.pop();
      }
      return undefined;
    };

    const found = walk(this.root, 0);
    if (found) {
      const route = found.handlers.get(method)!;
      const params: Record<string, string> = {};
      route.names.forEach((n, idx) => (params[n] = values[idx]!));
      return { kind: "found", value: route.value, params };
    }
    return mismatch ? { kind: "method-mismatch", allowed: mismatch } : { kind: "none" };
  }
}
