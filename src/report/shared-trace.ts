// One read of a Phase 1 trace feeding two readers at once: the report's fold (which pulls the
// events) and `charter inspect`'s run metrics (which take them from a bounded hand-over queue), so
// `charter report` reads trace.jsonl once and memory stays bounded by the queue, not the run.

type Event = Record<string, unknown>;

/**
 * A hand-over queue from one producer to one consumer. The producer waits while `capacity` events
 * are unread; once the consumer stops (it finished, failed or never started: `abandon`), events are
 * dropped, so the producer never waits on a reader that is gone.
 */
export class TraceHandOver implements AsyncIterable<Event> {
  private buffer: Event[] = [];
  private ended = false;
  private abandoned = false;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;

  /** The consumer is woken with batches of `batch` events (not one promise per event). */
  constructor(
    private readonly capacity = 4_096,
    private readonly batch = 256,
  ) {}

  /** Queues an event; the promise (only when the queue is full) resolves once there is room. */
  push(event: Event): Promise<void> | undefined {
    if (this.abandoned) return undefined;
    this.buffer.push(event);
    if (this.buffer.length >= this.batch) this.wake("consumer");
    if (this.buffer.length < this.capacity) return undefined;
    return new Promise((resolve) => (this.wakeProducer = resolve));
  }

  /** No more events: the consumer ends after the queued ones. */
  end(): void {
    this.ended = true;
    this.wake("consumer");
  }

  /** The consumer is gone: drop what is queued and everything pushed from now on. */
  abandon(): void {
    this.abandoned = true;
    this.buffer = [];
    this.wake("producer");
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Event> {
    try {
      for (;;) {
        if (this.buffer.length > 0) {
          // Take the whole batch at once (no shift() per event) and let the producer refill.
          const batch = this.buffer;
          this.buffer = [];
          this.wake("producer");
          yield* batch;
        } else if (this.ended) return;
        else await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
      }
    } finally {
      this.abandon();
    }
  }

  /** Passes `events` through to the caller, queueing each for the consumer too. */
  async *tee(events: AsyncIterable<Event>): AsyncGenerator<Event> {
    try {
      for await (const event of events) {
        const room = this.push(event);
        if (room !== undefined) await room;
        yield event;
      }
    } finally {
      this.end();
    }
  }

  private wake(side: "consumer" | "producer"): void {
    const wake = side === "consumer" ? this.wakeConsumer : this.wakeProducer;
    if (side === "consumer") this.wakeConsumer = undefined;
    else this.wakeProducer = undefined;
    wake?.();
  }
}
