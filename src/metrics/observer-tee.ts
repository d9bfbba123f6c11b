/**
 * Two observers as one: the run's recorder and an optional second record (Istio telemetry), so the mesh
 * keeps its single observer and a run without the second pays nothing.
 */
import type { Call, MeshObserver, MeshRequest } from '../mesh/index.js';

export class ObserverTee implements MeshObserver {
  constructor(
    private readonly a: MeshObserver,
    private readonly b: MeshObserver,
  ) {}

  requestStarted(r: Readonly<MeshRequest>): void {
    this.a.requestStarted(r);
    this.b.requestStarted(r);
  }

  callCompleted(call: Readonly<Call>): void {
    this.a.callCompleted(call);
    this.b.callCompleted(call);
  }

  requestCompleted(r: Readonly<MeshRequest>): void {
    this.a.requestCompleted(r);
    this.b.requestCompleted(r);
  }

  converged(ms: number): void {
    this.a.converged(ms);
    this.b.converged(ms);
  }

  staleProxies(count: number, nowMs: number): void {
    this.a.staleProxies(count, nowMs);
    this.b.staleProxies(count, nowMs);
  }

  pushed(): void {
    this.a.pushed();
    this.b.pushed();
  }

  podCreationRejected(): void {
    this.a.podCreationRejected();
    this.b.podCreationRejected();
  }

  certExpired(): void {
    this.a.certExpired();
    this.b.certExpired();
  }
}
