// Streaming services (OBS): they do not fit "read the body, run a handler, render JSON", so the gateway
// offers them each request first, from its request line and headers alone, before any body is read. A
// service that claims a request answers it on the raw request and response (streaming bodies both ways)
// and keeps the gateway's conventions itself: a request id, the request log, its own error format.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { IdentityProvider, Principal } from "./identity.ts";

/** Who made a streamed request and where, for the journal (OBS: the bucket's region; no project). */
export interface StreamingCaller {
  region: string;
  principal: Principal | undefined;
}

/** What the gateway read of a request before offering it to a streaming service. */
export interface StreamingRequest {
  requestId: string;
  method: string;
  rawPath: string;
  rawQuery: string;
  /** Called once the answer is finished (the request log and the journal). */
  done(status: number, operation: string | undefined, caller?: StreamingCaller): void;
  /** The gateway's identities (IAM's keys) and its --auth mode. */
  identity: IdentityProvider;
  strict: boolean;
  /**
   * IAM's fine-grained policies on a caller outside its admin group (gateway/authorize.ts), in the mode of
   * --iam-policies: false when they deny `action` and the mode enforces. Absent when policies are off.
   */
  authorize?(principal: Principal, action: string, region: string): boolean;
}

export interface StreamingHandler {
  /**
   * Whether the request is this service's. Runs on every request that reaches hwlocal, so it must cost a
   * few string comparisons for requests of other services.
   */
  claims(req: IncomingMessage, rawPath: string, rawQuery: string): boolean;
  /** Answers a claimed request. Never throws: errors are answered in the service's own format. */
  serve(req: IncomingMessage, res: ServerResponse, r: StreamingRequest): void;
}
