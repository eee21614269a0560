// HTTP(S) delivery on hwlocal's clock. The ticker picks pending deliveries that are due, starts their POSTs
// and returns at once (the engine's drain never waits on the network); each request records its attempt when
// it finishes. A failed attempt (no answer within 5 s real time, or a non-2xx status) is retried after
// RETRY_BACKOFF_MS[attempt] of hwlocal's clock, up to MAX_ATTEMPTS; a delivery whose time_to_live runs out
// first is "expired".
import { request as httpRequest, type IncomingMessage } from "node:http";
import { lazyHttps } from "../../kernel/builtins.ts";
import type { SmnContext } from "./context.ts";
import type { Message } from "./store.ts";

export const MAX_ATTEMPTS = 3;
/** Wait before attempt 2 and attempt 3, in ms of hwlocal's clock. */
export const RETRY_BACKOFF_MS = [10_000, 30_000] as const;
const TIMEOUT_MS = 5000;

function post(m: Message, done: (statusCode: number | null, error: string | null) => void): void {
  let finished = false;
  const finish = (code: number | null, err: string | null) => {
    if (finished) return;
    finished = true;
    done(code, err);
  };
  try {
    const url = new URL(m.endpoint);
    const send = url.protocol === "https:" ? lazyHttps().request : httpRequest;
    const body = Buffer.from(m.body, "utf8");
    const req = send(
      url,
      {
        method: "POST",
        timeout: TIMEOUT_MS,
        // A fresh connection each time: no keep-alive socket outlives the attempt.
        agent: false,
        headers: {
          "Content-Type": "application/json; charset=UTF-8",
          "Content-Length": String(body.length),
          "x-smn-message-id": m.messageId,
          "x-smn-messagetype": "Notification",
          "x-smn-topic-urn": m.topicUrn,
          "x-smn-subscription-urn": m.subscriptionUrn,
        },
        ...(url.protocol === "https:" ? { rejectUnauthorized: false } : {}),
      },
      (res: IncomingMessage) => {
        res.resume();
        res.on("end", () => finish(res.statusCode ?? null, null));
        res.on("error", (e) => finish(res.statusCode ?? null, e.message));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", (e) => finish(null, e.message));
    req.end(body);
  } catch (e) {
    finish(null, e instanceof Error ? e.message : String(e));
  }
}

function record(svc: SmnContext, m: Message, startedAt: number, code: number | null, error: string | null): void {
  svc.inFlight.delete(m.id);
  const finishedAt = svc.clock.now();
  const attempt = m.attempts + 1;
  const ok = code !== null && code >= 200 && code < 300;
  const backoff = RETRY_BACKOFF_MS[attempt - 1];
  const retry = !ok && attempt < MAX_ATTEMPTS && backoff !== undefined;
  const status = ok ? "delivered" : retry ? "pending" : "failed";
  try {
    svc.store.attempted(m, { attempt, startedAt, finishedAt, statusCode: code, error: ok ? null : (error ?? `HTTP ${code}`) },
      status, retry ? startedAt + backoff : null);
  } catch {
    // The database was closed or reset while the request was under way: nothing left to record.
  }
}

/** The ticker: starts every due delivery; true when it started or expired any. */
export function deliverDue(svc: SmnContext, now: number): boolean {
  let busy = false;
  for (const m of svc.store.due(now)) {
    if (svc.inFlight.has(m.id)) continue;
    busy = true;
    if (m.expiresAt <= now) {
      svc.store.expire(m.id, now);
      continue;
    }
    svc.inFlight.add(m.id);
    post(m, (code, error) => record(svc, m, now, code, error));
  }
  return busy;
}
