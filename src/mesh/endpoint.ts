/**
 * A service replica (Istio's `IstioEndpoint` backed by a pod): its locality, labels, worker slots and queue,
 * and its sidecar. Whether it is ready or gone is reality, kept by the EndpointRegistry.
 */
import type { Resource } from '../des/index.js';
import type { Proxy } from './proxy.js';

export class Endpoint {
  constructor(
    readonly id: number,
    readonly service: number,
    readonly cluster: number,
    readonly zone: number,
    readonly labels: Readonly<Record<string, string>>,
    readonly slots: Resource,
    readonly sidecar: Proxy,
  ) {}
}
