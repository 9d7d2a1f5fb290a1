// Several servers for one model (repeated `--base-url`): each attempt goes to the least-loaded
// replica that is up; a replica that fails (no connection, 5xx, timeout) is taken out with
// exponential backoff and probed again when its time is up.

import type { Clock } from "./clock.js";
import type { TransportFailure, Transport } from "./transport.js";

/** One server of the set, with what the picker needs to know of it. */
export interface Replica {
  /** Its place in the order the user gave (ties go to the earliest). */
  readonly index: number;
  readonly transport: Transport;
  /** Attempts being sent to it now. */
  inFlight: number;
  /** Failures in a row (0 when it last answered). */
  failures: number;
  /** Clock time before which it is out (0: up). */
  downUntil: number;
}

export interface ReplicaBackoff {
  /** The first failure takes a replica out for this long, doubling per failure in a row. */
  readonly baseMs: number;
  readonly maxMs: number;
}

/** 1 s doubling to a minute: long enough not to hammer a dead server, short enough to notice it back. */
export const DEFAULT_REPLICA_BACKOFF: ReplicaBackoff = { baseMs: 1000, maxMs: 60_000 };

/**
 * Whether a failure says the replica itself is unwell, so its requests belong elsewhere. A 429 is a
 * rate limit (the pool slows down instead) and a 4xx is the request's own fault.
 */
export function isReplicaFailure(kind: TransportFailure["kind"]): boolean {
  return kind === "connection-error" || kind === "server-error" || kind === "timeout";
}

/**
 * The replicas of one model, in the order given. Which replica served a call never changes what it
 * asked, so replies (and the response cache) are the same however the calls were spread.
 */
export class ReplicaSet {
  readonly replicas: readonly Replica[];
  readonly #clock: Clock;
  readonly #backoff: ReplicaBackoff;

  constructor(
    transports: readonly Transport[],
    clock: Clock,
    backoff: ReplicaBackoff = DEFAULT_REPLICA_BACKOFF,
  ) {
    if (transports.length === 0) throw new RangeError("a replica set needs at least one server");
    this.replicas = transports.map((transport, index) => ({
      index,
      transport,
      inFlight: 0,
      failures: 0,
      downUntil: 0,
    }));
    this.#clock = clock;
    this.#backoff = backoff;
  }

  get size(): number {
    return this.replicas.length;
  }

  /**
   * The replica for the next attempt: among those up and not in `tried`, the one with the fewest
   * attempts in flight (ties: the earliest given). When none is, the one back soonest, so a call
   * still has somewhere to go (the retry policy's wait comes first).
   */
  pick(tried: ReadonlySet<number> = new Set()): Replica {
    const now = this.#clock.now();
    let best: Replica | undefined;
    for (const replica of this.replicas) {
      if (replica.downUntil > now || tried.has(replica.index)) continue;
      if (best === undefined || replica.inFlight < best.inFlight) best = replica;
    }
    if (best !== undefined) return best;
    let soonest = this.replicas[0] as Replica;
    for (const replica of this.replicas)
      if (replica.downUntil < soonest.downUntil) soonest = replica;
    return soonest;
  }

  /** Whether a replica other than those in `tried` is up now (a failed attempt can move there at once). */
  hasUntried(tried: ReadonlySet<number>): boolean {
    const now = this.#clock.now();
    return this.replicas.some((replica) => !tried.has(replica.index) && replica.downUntil <= now);
  }

  /** Every replica is out: the model's endpoint as a whole is down. */
  allDown(): boolean {
    const now = this.#clock.now();
    return this.replicas.every((replica) => replica.downUntil > now);
  }

  /** It answered (even with an error of the request's own): back in, its backoff forgotten. */
  answered(replica: Replica): void {
    replica.failures = 0;
    replica.downUntil = 0;
  }

  /** It failed as a server: out for a backoff that doubles with each failure in a row. */
  failed(replica: Replica): void {
    replica.failures += 1;
    const wait = Math.min(this.#backoff.maxMs, this.#backoff.baseMs * 2 ** (replica.failures - 1));
    replica.downUntil = this.#clock.now() + wait;
  }
}
