/**
 * Closed-loop clients (Fortio's -c connections, k6's constant-vus and ramping-vus): each client sends a
 * request, waits for its final response (or its own timeout), pauses for a sampled think time, and sends
 * the next, no sooner than `minIntervalMs` after its previous send (Fortio's -qps shared by -c
 * connections). The rate is what the mesh allows: overload shows as slower clients, not as a queue.
 *
 * A client count that drops (ramping-vus) retires clients: each finishes the request it has in flight
 * and sends no other. A request answered at the instant it was sent (a gateway that is down) costs its
 * client 1 ms before the next, so a client cannot loop in zero simulated time.
 */
import { sampler, type Engine, type Sampler, type Uniform } from '../../des/index.js';
import type { ClosedLoopConfig, TrafficConfig } from '../mesh-config.js';
import type { MeshObserver } from '../observer.js';
import type { Call, MeshRequest } from '../request.js';

/** The pause a client takes after an answer that took no time at all, so time moves. */
export const ZERO_TIME_ANSWER_PAUSE_MS = 1;

export class ClosedLoopSource {
  /** Per client: whether it is wanted (not retired), busy (a request in flight), and its last send. */
  private readonly wanted: boolean[] = [];
  private readonly busy: boolean[] = [];
  private readonly lastSendMs: number[] = [];
  private readonly think: Sampler;
  /** The traffic's closed-loop settings, resolved once (the constructor refuses an open loop). */
  private readonly closed: ClosedLoopConfig;
  private active = 0;
  private stopMs = 0;
  /** The client whose request is being sent now (read by `requestStarted` through the mesh). */
  private sending = -1;

  constructor(
    private readonly engine: Engine,
    readonly config: TrafficConfig,
    rng: Uniform,
    /** Sends one request now. */
    private readonly send: () => void,
  ) {
    const closed = config.closedLoop;
    if (closed === undefined) throw new Error(`ClosedLoopSource: traffic ${config.name} is an open loop`);
    this.closed = closed;
    this.think = sampler(closed.thinkTime, rng);
  }

  /** Starts the clients now; no request is sent at or after `stopMs`. */
  start(stopMs: number): void {
    this.stopMs = stopMs;
    const closed = this.closed;
    this.resize(closed.vus);
    for (const step of closed.vuSteps) {
      if (step.atMs < stopMs) this.engine.scheduleAt(step.atMs, this.resize, step.vus);
    }
  }

  /** The client that is sending right now, or -1: the mesh tags the request it starts with it. */
  get currentClient(): number {
    return this.sending;
  }

  /** A client's request got its final response at `nowMs`, `tookMs` after it was sent. */
  answered(client: number, tookMs: number): void {
    this.busy[client] = false;
    if (!(this.wanted[client] ?? false)) return;
    const pause = this.think.sample() + (tookMs === 0 ? ZERO_TIME_ANSWER_PAUSE_MS : 0);
    const paced = (this.lastSendMs[client] as number) + this.closed.minIntervalMs;
    const at = Math.max(this.engine.now + pause, paced);
    if (at < this.stopMs) this.engine.scheduleAt(at, this.fire, client);
  }

  private readonly resize = (vus: number): void => {
    while (this.active < vus) {
      const client = this.wanted.indexOf(false);
      const c = client < 0 ? this.wanted.length : client;
      this.wanted[c] = true;
      this.active++;
      // A returning client still busy with an old request resumes when it is answered.
      if (!(this.busy[c] ?? false)) this.engine.schedule(0, this.fire, c);
    }
    for (let c = this.wanted.length - 1; this.active > vus && c >= 0; c--) {
      if (this.wanted[c] === true) {
        this.wanted[c] = false;
        this.active--;
      }
    }
  };

  private readonly fire = (client: number): void => {
    if (!(this.wanted[client] ?? false) || (this.busy[client] ?? false)) return;
    if (this.engine.now >= this.stopMs) return;
    this.busy[client] = true;
    this.lastSendMs[client] = this.engine.now;
    this.sending = client;
    this.send();
    this.sending = -1;
  };
}

/**
 * The observer the mesh hands its data plane when a traffic source is a closed loop: everything passes to
 * the run's observer, and a client request's start and final answer also reach its closed-loop client (the
 * one hook a closed loop needs, kept out of the data plane).
 */
export class ClosedLoopTap implements MeshObserver {
  /** Closed-loop sources by traffic index (undefined for open loops), filled once they exist. */
  readonly sources: (ClosedLoopSource | undefined)[] = [];
  private readonly clientOf = new Map<MeshRequest, number>();

  constructor(private readonly observer: MeshObserver) {}

  requestStarted(r: Readonly<MeshRequest>): void {
    const client = this.sources[r.traffic]?.currentClient ?? -1;
    if (client >= 0) this.clientOf.set(r as MeshRequest, client);
    this.observer.requestStarted(r);
  }

  requestCompleted(r: Readonly<MeshRequest>): void {
    this.observer.requestCompleted(r);
    const client = this.clientOf.get(r as MeshRequest);
    if (client === undefined) return;
    this.clientOf.delete(r as MeshRequest);
    this.sources[r.traffic]?.answered(client, r.endMs - r.startMs);
  }

  callCompleted(call: Readonly<Call>): void {
    this.observer.callCompleted(call);
  }

  converged(ms: number): void {
    this.observer.converged(ms);
  }

  staleProxies(count: number, nowMs: number): void {
    this.observer.staleProxies(count, nowMs);
  }

  pushed(sinceStartMs: number | undefined): void {
    this.observer.pushed(sinceStartMs);
  }

  xdsClients(istiod: string, count: number): void {
    this.observer.xdsClients(istiod, count);
  }

  podCreationRejected(): void {
    this.observer.podCreationRejected();
  }

  certExpired(): void {
    this.observer.certExpired();
  }
}
