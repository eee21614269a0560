// The one clock every service reads. Emulated time is real time plus an offset: POST /_hwlocal/clock/advance
// moves it forward, POST /_hwlocal/clock sets it (backwards too) and POST /_hwlocal/reset puts it back to 0;
// the control plane persists it (meta clock_offset_ms) so that a restart keeps it.
// Signature freshness (X-Sdk-Date) is checked against wall time instead: clients sign with their real
// clock, and advancing hwlocal's clock must not make every signed request "skewed".
//
// Moving the clock back keeps every schedule where it is on the emulated calendar: work the engine has
// due later (jobs, delivery retries, policy firings, alarm boundaries already evaluated, built-in metric
// minutes already written) waits until the clock reaches that time again, by real time or by an advance.
// Nothing done is done again and nothing fires early; work created after the move is scheduled from the
// new time. A backwards move within the run is for replaying a scenario; to start afresh, reset.
// Housekeeping paced in memory rather than scheduled (IAM's pruning of expired tokens, its last-use marks)
// does not wait: it runs again at once when the clock reads earlier than its last run.

export interface Clock {
  /** Emulated time in epoch milliseconds. */
  now(): number;
  /** Real time in epoch milliseconds, for checks against what clients' own clocks say. */
  wallNow(): number;
  /** The current offset from real time in milliseconds (negative when set into the past). */
  offsetMs(): number;
  setOffsetMs(ms: number): void;
}

export class SystemClock implements Clock {
  private offset: number;

  constructor(offsetMs = 0) {
    this.offset = offsetMs;
  }

  now(): number {
    return Date.now() + this.offset;
  }

  wallNow(): number {
    return Date.now();
  }

  offsetMs(): number {
    return this.offset;
  }

  setOffsetMs(ms: number): void {
    this.offset = ms;
  }
}

/** The offset that makes `clock` read `targetMs` now. */
export function offsetToReach(clock: Clock, targetMs: number): number {
  return targetMs - clock.wallNow();
}

/** A clock for tests that never moves unless told to. */
export class ManualClock implements Clock {
  private t: number;
  private offset = 0;

  constructor(startMs: number) {
    this.t = startMs;
  }

  now(): number {
    return this.t + this.offset;
  }

  wallNow(): number {
    return this.t;
  }

  offsetMs(): number {
    return this.offset;
  }

  setOffsetMs(ms: number): void {
    this.offset = ms;
  }

  tick(ms: number): void {
    this.t += ms;
  }
}
