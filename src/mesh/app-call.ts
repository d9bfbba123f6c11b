/**
 * A call's behaviour in the application that makes it, outside Envoy: its HTTP client's own timeout and
 * retries (Bookinfo's productpage: `requests.get(url, timeout=3.0)` twice, istio/istio
 * samples/bookinfo/src/productpage/productpage.py `getProductReviews`, commit 86c9f01f). The application
 * giving up is a client closing its connection: client-side.ts resets the call as it does when the end
 * client gives up (DC, no outlier report); then the application tries again or applies onError.
 */
import type { EventId } from '../des/index.js';
import type { AppCallConfig } from './mesh-config.js';
import type { ServiceRuntime } from './service-runtime.js';

/** What a call's application does on its own: the resolved config (one shape, so the two cannot drift). */
export type AppCallPolicy = AppCallConfig;

/** One logical call of the application, across its own tries (each a separate `Call` through Envoy). */
export class AppCall {
  /** Tries made so far, the current one included. */
  tries = 1;
  timer: EventId | undefined = undefined;
  constructor(
    readonly policy: AppCallPolicy,
    /** The service the application calls (before routing sends a try elsewhere). */
    readonly callee: ServiceRuntime,
  ) {}

  /** Whether a try that ended with `failed` is made again. */
  retriesAfter(failed: boolean): boolean {
    return failed && this.tries <= this.policy.retries;
  }
}
