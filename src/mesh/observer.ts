/**
 * The only way data leaves the mesh: metrics/ implements this. Records are the live objects, read-only
 * to the observer, so that observing allocates nothing.
 */
import type { Call, MeshRequest } from './request.js';

export interface MeshObserver {
  /** A client sent a request. */
  requestStarted(request: Readonly<MeshRequest>): void;
  /** A hop finished: its response reached the calling proxy. */
  callCompleted(call: Readonly<Call>): void;
  /** A client request got its final response. */
  requestCompleted(request: Readonly<MeshRequest>): void;
}
