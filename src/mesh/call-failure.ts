/**
 * The application's answer to a failed downstream call (after Envoy's retries), the hook replica-side.ts
 * calls: per call, fail with 500 (the default), continue without it, or answer a status of its own
 * (service-runtime.ts `statusAfterFailedCall`). Kept apart so the request path stays about Envoy.
 */
import type { Endpoint } from './endpoint.js';
import type { Attempt, Call } from './request.js';
import { statusAfterFailedCall } from './service-runtime.js';

export function failedCallStatus(parent: Attempt, child: Call): number {
  const behaviour = parent.call.service.behaviourOf(parent.endpoint as Endpoint);
  return statusAfterFailedCall(behaviour, parent.step, child.service.index, parent.downstreamStatus);
}
