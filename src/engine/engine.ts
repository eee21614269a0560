// The engine runs everything that happens on hwlocal's clock rather than in answer to a request: async
// jobs, lifecycle steps, schedules, reconcilers. Services register tickers; each tick runs every ticker
// with the clock's current time until none has more work due. POST /_hwlocal/clock/advance answers only
// after such a drain, so a test that advances the clock then reads settled state.
import type { Clock } from "../kernel/clock.ts";
import type { Ticker } from "../kernel/service.ts";

/** Rounds per drain before the engine assumes a ticker keeps rescheduling itself for "now". */
const MAX_ROUNDS = 10_000;

export class Engine {
  private readonly tickers = new Map<string, Ticker>();
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs = 1000,
  ) {}

  register(name: string, ticker: Ticker): void {
    if (this.tickers.has(name)) throw new Error(`engine: ticker ${name} registered twice`);
    this.tickers.set(name, ticker);
  }

  get tickerNames(): string[] {
    return [...this.tickers.keys()];
  }

  /** Runs every ticker until none has work due at the clock's current time. */
  drain(): Promise<void> {
    // One drain at a time; a caller arriving during one waits for it and then runs its own.
    const run = async () => {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        let busy = false;
        for (const t of this.tickers.values()) if (await t(this.clock.now())) busy = true;
        if (!busy) return;
        // Let requests in between rounds: a drain of thousands of job steps must not freeze the server.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    const next = this.queue.then(run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private wakeScheduled = false;

  /**
   * Runs a drain soon, once however often it is asked in the meantime (new work that may be due now): in the
   * next turn of the event loop, so that the answer which submitted the work (a job_id) is written first —
   * the gateway writes this turn's answers in this turn's check phase, and an immediate queued from there
   * waits for the next turn.
   */
  wake(): void {
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    setImmediate(() =>
      setImmediate(() => {
        this.wakeScheduled = false;
        void this.drain();
      }),
    );
  }

  /** Starts the background tick that drives real-time progress. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.drain(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.queue;
  }
}
