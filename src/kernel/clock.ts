// The one clock every service reads. Emulated time is real time plus an offset that only moves forward
// (POST /_hwlocal/clock/advance); the offset is persisted by the control plane so that a restart keeps it.
// Signature freshness (X-Sdk-Date) is checked against wall time instead: clients sign with their real
// clock, and advancing hwlocal's clock must not make every signed request "skewed".

export interface Clock {
  /** Emulated time in epoch milliseconds. */
  now(): number;
  /** Real time in epoch milliseconds, for checks against what clients' own clocks say. */
  wallNow(): number;
  /** The current forward offset in milliseconds. */
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
