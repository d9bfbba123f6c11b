/**
 * `faults:` as written to the mesh's `FaultConfig`: durations in ms, percentages as fractions, routing in
 * its resolved shape, defaults applied (count 1, percent 100%, httpStatus 503). A config-push carries its
 * cluster's whole config once applied (routing-timeline.ts merges it), since the mesh swaps whole configs.
 *
 * Contents: `normalizeFault` (the words for a fault's target are mesh/fault.ts `faultTarget`).
 */
import type { FaultConfig } from '../mesh/index.js';
import { distribution } from './normalize.js';
import { normalizeRouting } from './normalize-routing.js';
import type { FaultInput } from './schema-faults.js';
import type { RoutingInput } from './schema-routing.js';
import { parseDuration, parseFraction } from './units.js';

const ms = (x: number | string): number => parseDuration(x) ?? 0;

/**
 * `merged`: for a config-push, per target cluster (in order), its routing once the push is applied (else
 * the push alone, to `cluster`).
 */
export function normalizeFault(f: FaultInput, merged?: ReadonlyMap<string, RoutingInput>): FaultConfig {
  const timing = { atMs: ms(f.at), forMs: f.for === undefined ? Infinity : ms(f.for) };
  switch (f.type) {
    case 'control-plane-outage':
    case 'ca-outage':
    case 'cluster-outage':
    case 'api-server-outage':
      return { ...timing, type: f.type, cluster: f.cluster };
    case 'zone-outage':
      return { ...timing, type: f.type, cluster: f.cluster, zone: f.zone };
    case 'gateway-outage':
      return { ...timing, type: f.type, cluster: f.cluster, gateway: f.gateway };
    case 'network-partition':
      return { ...timing, type: f.type, between: [f.between[0], f.between[1]] };
    case 'pod-failure':
      return { ...timing, type: f.type, service: f.service, cluster: f.cluster, count: f.count ?? 1 };
    case 'pod-churn':
      return { ...timing, type: f.type, service: f.service, cluster: f.cluster, everyMs: ms(f.every) };
    case 'rollout':
      // Kubernetes Deployment defaults: maxSurge and maxUnavailable 25% (pkg/apis/apps/v1/defaults.go
      // `SetDefaults_Deployment`); Istio's terminationDrainDuration 5 s (pkg/config/mesh/mesh.go); the pod's
      // terminationGracePeriodSeconds 30 s.
      return {
        ...timing,
        type: f.type,
        service: f.service,
        cluster: f.cluster,
        strategy: {
          maxSurge: intOrPercent(f.maxSurge ?? '25%'),
          maxUnavailable: intOrPercent(f.maxUnavailable ?? '25%'),
          drainMs: f.terminationDrainDuration === undefined ? 5_000 : ms(f.terminationDrainDuration),
          gracePeriodMs: f.terminationGracePeriod === undefined ? 30_000 : ms(f.terminationGracePeriod),
        },
      };
    case 'scale':
      return { ...timing, type: f.type, service: f.service, cluster: f.cluster, replicas: f.replicas };
    case 'latency-injection':
      return {
        ...timing,
        type: f.type,
        service: f.service,
        cluster: f.cluster,
        delay: distribution(f.delay),
        fraction: parseFraction(f.percent ?? 1) ?? 1,
      };
    case 'error-injection':
      return {
        ...timing,
        type: f.type,
        service: f.service,
        cluster: f.cluster,
        httpStatus: f.httpStatus ?? 503,
        fraction: parseFraction(f.percent ?? 1) ?? 1,
      };
    case 'config-push': {
      const alone = {
        ...(f.virtualServices === undefined ? {} : { virtualServices: f.virtualServices }),
        ...(f.destinationRules === undefined ? {} : { destinationRules: f.destinationRules }),
      };
      const targets = [...(merged ?? new Map([[f.cluster ?? '', alone]]))].map(([cluster, r]) => ({
        cluster,
        routing: normalizeRouting(r),
      }));
      const [first, ...rest] = targets;
      if (first === undefined) throw new Error('config-push with no target cluster');
      return {
        ...timing,
        type: f.type,
        cluster: first.cluster,
        routing: first.routing,
        alsoTo: rest,
      };
    }
  }
}

function intOrPercent(v: number | string): { value: number; percent: boolean } {
  return typeof v === 'number'
    ? { value: v, percent: false }
    : { value: Number(v.slice(0, -1)), percent: true };
}
