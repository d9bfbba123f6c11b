/**
 * A service as the running mesh needs it: its endpoints across clusters (namespace sameness merges them
 * into one service, istio-behaviour.md 1.1) and its behaviour, with samplers bound to its streams. A
 * version (the pods of one deployment, by their labels) may behave on its own: Bookinfo's reviews v1 calls
 * no ratings, v2 and v3 do.
 */
import type { Sampler, Uniform } from '../des/index.js';
import type { AppCallPolicy } from './app-call.js';
import type { Endpoint } from './endpoint.js';
import type { ExternalDestination } from './external-destination.js';

export interface CallStep {
  readonly services: Int32Array;
  readonly probabilities: Float64Array;
  /**
   * What the application does when call k fails (after Envoy's retries): ANSWER_500 (the default), CONTINUE
   * (carry on as if it had answered: graceful degradation), or the HTTP status to answer with.
   */
  readonly onError: Int32Array | undefined;
  /** The application's own timeout and retries of call k (app-call.ts); undefined when no call has any. */
  readonly app: readonly (AppCallPolicy | undefined)[] | undefined;
}

/** `CallStep.onError` values besides a status. */
export const ANSWER_500 = 0;
export const CONTINUE = -1;

/** What an application replica does with a request: its work, its own errors, its calls. */
export interface ServiceBehaviour {
  readonly serviceTime: Sampler;
  readonly errorRate: number;
  readonly steps: readonly CallStep[];
}

export class ServiceRuntime implements ServiceBehaviour {
  readonly endpoints: Endpoint[] = [];
  /** A ServiceEntry host outside the clusters (issue 13): tries go to it directly, not to endpoints. */
  external: ExternalDestination | undefined = undefined;
  /** Behaviour of the pods of one deployment, keyed by its labels object (shared by all its pods). */
  private readonly versions = new Map<object, ServiceBehaviour>();
  /**
   * Whether any version behaves on its own (`versions` not empty), a field of this object: a replica asks
   * `behaviourOf` three times per request it serves, and the Map's size lives in its backing store, two
   * more objects to load.
   */
  private versioned = false;

  constructor(
    readonly index: number,
    readonly name: string,
    readonly blocking: boolean,
    readonly serviceTime: Sampler,
    readonly errorRate: number,
    readonly steps: readonly CallStep[],
    /** Draws for the error rate and for call probabilities. */
    readonly behaviourRng: Uniform,
  ) {}

  /** How the replica `endpoint` behaves: its deployment's own behaviour, else the service's. */
  behaviourOf(endpoint: Endpoint): ServiceBehaviour {
    // Against `true`: a bare boolean field test is a long truthiness check, per call (request.ts).
    return this.versioned === true ? (this.versions.get(endpoint.labels) ?? this) : this;
  }

  /** The pods whose labels are `labels` (that very object) behave as `behaviour`. */
  addVersion(labels: object, behaviour: ServiceBehaviour): void {
    this.versions.set(labels, behaviour);
    this.versioned = true;
  }
}

/**
 * The status a replica answers with once the calls of its current step are done, given that a call to
 * service `callee` failed and `current` is what earlier failures of the step decided (0: nothing yet).
 */
export function statusAfterFailedCall(
  behaviour: ServiceBehaviour,
  step: number,
  callee: number,
  current: number,
): number {
  if (current > 0) return current;
  const s = behaviour.steps[step];
  if (s === undefined) return 500;
  const k = s.services.indexOf(callee);
  const policy = k < 0 || s.onError === undefined ? ANSWER_500 : (s.onError[k] as number);
  return policy === ANSWER_500 ? 500 : policy === CONTINUE ? 0 : policy;
}
