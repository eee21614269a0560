// What the orchestrator (run.ts) and the load-generator process (load.ts) say to each other over IPC,
// and the scenarios both sides know.
import type { Credentials } from "../test/helpers/sign.ts";

export type ScenarioId = "health" | "signed-read" | "token-issue" | "token-validate" | "signed-show" | "ces-ingest";

export interface Job {
  scenario: ScenarioId;
  /** http://127.0.0.1:<port>, the only kind of target */
  base: string;
  seconds: number;
  connections: number;
  /** The status every response must have; anything else fails the scenario. */
  expectStatus: number;
  creds: Credentials;
  /** A token issued before the run (token-validate). */
  token: string;
  /** signed-read, signed-show, ces-ingest: how many distinct signed requests to prepare. */
  signatures: number;
  /** signed-show: the paths its signed GETs cycle through (signed-read has its own fixed path). */
  signedPaths?: string[];
  /** ces-ingest: the project whose metric-data the signed POSTs go to, and the points in each one. */
  projectId?: string;
  pointsPerRequest?: number;
  /** Makes this run's signed requests distinct from every other run's. */
  nonce: string;
}

export interface JobResult {
  rps: number;
  p50: number;
  p99: number;
  completed: number;
  sent: number;
  statusCounts: Record<string, number>;
  errors: number;
  timeouts: number;
  /** signed-read, signed-show: distinct signatures prepared, and how long signing them took. */
  signatures?: number;
  signMs?: number;
  /** Server CPU per answered request in µs (filled in by the orchestrator from /proc). */
  serverUs?: number;
  /** Why the run does not count (wrong status, socket errors, nothing answered). */
  problem?: string;
}

export type ToLoad = { type: "job"; job: Job } | { type: "exit" };
export type FromLoad = { type: "result"; result: JobResult } | { type: "error"; message: string };
