// Fault rules (POST /_hwlocal/faults): make matching requests fail, wait or lose their connection, or make
// the next job of a kind fail. A rule matches by service, operation, region, project and resource id (any
// that it names), then fires for the next `times` matches and/or with a probability drawn from its own
// seeded generator (the seed comes from the injected ids unless the rule gives one), so a run replays.
// With no rules the gateway checks one boolean (`active`) and nothing else.
import { createHash } from "node:crypto";
import type { Ids } from "../kernel/ids.ts";
import type { InjectedFailure, JobTarget } from "../kernel/jobs.ts";

export type FaultEffect =
  | { type: "error"; status: number; error_code: string; error_msg: string }
  | { type: "latency"; ms: number }
  | { type: "drop" }
  | { type: "job"; job_type?: string; error_code: string; error_msg: string };

export interface FaultInput {
  service?: string;
  operation?: string;
  region?: string;
  project?: string;
  resource?: string;
  probability?: number;
  times?: number;
  seed?: string;
  effect: FaultEffect;
}

export interface FaultRule extends FaultInput {
  id: string;
  hits: number;
  /** Matches left when the rule was given `times`. */
  remaining?: number;
  /** The generator's state (mulberry32). */
  rng: number;
}

/** What the gateway knows of a request when it asks. */
export interface FaultTarget {
  service: string;
  operation: string | undefined;
  region: string | undefined;
  projectId: string | undefined;
  rawPath: string;
}

function seedState(seed: string): number {
  return createHash("sha256").update(seed).digest().readUInt32LE(0);
}

/** mulberry32: a small, good-enough generator whose state is one number. */
function draw(rule: FaultRule): number {
  rule.rng = (rule.rng + 0x6d2b79f5) | 0;
  let t = rule.rng;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export class Faults {
  private rules: FaultRule[] = [];
  /** True when any request rule exists: the gateway's one check. */
  active = false;

  constructor(private readonly ids: Ids) {}

  add(input: FaultInput): FaultRule {
    const id = this.ids.hex32();
    const rule: FaultRule = { ...input, id, hits: 0, rng: seedState(input.seed ?? id) };
    if (input.times !== undefined) rule.remaining = input.times;
    this.rules.push(rule);
    this.refresh();
    return rule;
  }

  list(): FaultRule[] {
    return this.rules;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    this.refresh();
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
    this.refresh();
  }

  private refresh(): void {
    this.active = this.rules.some((r) => r.effect.type !== "job" && r.remaining !== 0);
  }

  /** The rule to apply to a request, counted as a hit, or undefined. */
  match(t: FaultTarget): FaultRule | undefined {
    for (const r of this.rules) {
      if (r.effect.type === "job" || r.remaining === 0) continue;
      if (r.service !== undefined && r.service !== t.service) continue;
      if (r.operation !== undefined && r.operation !== t.operation) continue;
      if (r.region !== undefined && r.region !== t.region) continue;
      if (r.project !== undefined && r.project !== t.projectId) continue;
      if (r.resource !== undefined && !t.rawPath.includes(r.resource)) continue;
      if (this.fire(r)) return r;
    }
    return undefined;
  }

  /** The failure the job's first step (or an AS activity) must end in, or undefined. */
  forJob(job: JobTarget): InjectedFailure | undefined {
    for (const r of this.rules) {
      const e = r.effect;
      if (e.type !== "job" || r.remaining === 0) continue;
      if (r.service !== undefined && r.service !== job.service) continue;
      if (e.job_type !== undefined && e.job_type !== job.jobType) continue;
      if (r.project !== undefined && r.project !== job.projectId) continue;
      if (r.resource !== undefined && !JSON.stringify(job.entities).includes(r.resource)) continue;
      if (this.fire(r)) return { errorCode: e.error_code, failReason: e.error_msg };
    }
    return undefined;
  }

  private fire(r: FaultRule): boolean {
    if (r.probability !== undefined && draw(r) >= r.probability) return false;
    r.hits++;
    // A spent rule stays listed (with its hits) until removed, but matches no more.
    if (r.remaining !== undefined && --r.remaining === 0) this.refresh();
    return true;
  }
}

export function faultView(r: FaultRule) {
  return {
    id: r.id,
    service: r.service ?? null,
    operation: r.operation ?? null,
    region: r.region ?? null,
    project: r.project ?? null,
    resource: r.resource ?? null,
    probability: r.probability ?? null,
    times: r.times ?? null,
    remaining: r.remaining ?? null,
    seed: r.seed ?? null,
    effect: r.effect,
    hits: r.hits,
  };
}
