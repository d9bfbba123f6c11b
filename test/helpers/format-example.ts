/**
 * The complete example of shared/design/scenario-format.md, verbatim: the sketch the format follows. Used
 * whole (test/scenario/format-example.test.ts) and by section (its routing: in routing.test.ts).
 */
export const FORMAT_EXAMPLE = `
name: eu-data-us-app
description: App in us-east, data pinned to eu-west for residency; which control-plane model survives what?
seed: 7
duration: 15m            # simulated time
warmup: 1m               # excluded from statistics

clusters:
  - { name: us-east-1, region: us-east, zones: [us-east-1a, us-east-1b], network: net-us }
  - { name: us-east-2, region: us-east, zones: [us-east-2a], network: net-us }
  - { name: eu-west-1, region: eu-west, zones: [eu-west-1a, eu-west-1b], network: net-eu }

network:                 # one-way latency by relation; pairs override
  sameZone: 0.1ms
  crossZone: 0.8ms
  crossRegion: 35ms
  pairs: { "us-east<->eu-west": 38ms }
  jitter: 10%

mesh:                    # defaults from Istio's published figures; override per scenario
  sidecar: { latency: { dist: lognormal, median: 0.5ms, p99: 2ms } }
  eastWestGateway: { replicas: 2, latency: 0.5ms }
  ingressGateway: { replicas: 2, latency: 0.5ms }
  controlPlane: { debounceAfter: 100ms, debounceMax: 10s, pushTime: { dist: lognormal, median: 50ms, p99: 1s }, certTtl: 24h }

services:
  - name: frontend
    deployments: [ { cluster: us-east-1, replicas: 4 }, { cluster: us-east-2, replicas: 2 } ]
    concurrency: 16                     # requests one replica serves at once; more wait in its queue
    serviceTime: { dist: lognormal, median: 4ms, p99: 30ms }
    calls:                              # in order; a nested list runs in parallel (isotope's convention)
      - service: catalog
      - [ { service: orders }, { service: recommendations, probability: 0.3 } ]
  - name: catalog
    deployments: [ { cluster: us-east-1, replicas: 3 }, { cluster: us-east-2, replicas: 3 } ]
    serviceTime: { dist: exponential, mean: 2ms }
  - name: orders
    deployments: [ { cluster: eu-west-1, replicas: 3, zone: eu-west-1a } ]
    serviceTime: { dist: empirical, percentiles: { p50: 6ms, p90: 15ms, p99: 60ms } }
    errorRate: 0.001
  - name: recommendations
    deployments: [ { cluster: us-east-1, replicas: 2, labels: { version: v1 } }, { cluster: us-east-1, replicas: 1, labels: { version: v2 } } ]
    serviceTime: 3ms

traffic:
  - name: web
    entry: frontend
    via: ingress                        # ingress gateway of the client's cluster | direct (in-mesh client)
    from: { us-east-1: 70%, us-east-2: 30% }
    rate: 800/s
    arrival: poisson                    # poisson | constant | bursty
    steps: [ { at: 5m, rate: 2000/s } ]

routing:                                # Istio's shapes; applied per the model's config scope (see below)
  virtualServices:
    - hosts: [recommendations]
      http:
        - route:
            - { destination: { host: recommendations, subset: v1 }, weight: 90 }
            - { destination: { host: recommendations, subset: v2 }, weight: 10 }
          timeout: 2s
          retries: { attempts: 3, perTryTimeout: 500ms, retryOn: "5xx,connect-failure" }
  destinationRules:
    - host: orders
      trafficPolicy:
        loadBalancer: { simple: LEAST_REQUEST, localityLbSetting: { enabled: true, failover: [ { from: eu-west, to: us-east } ] } }
        outlierDetection: { consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 100 }
        connectionPool: { http: { http2MaxRequests: 1000, http1MaxPendingRequests: 100 } }
    - host: recommendations
      subsets: [ { name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } } ]

models:                                 # what to compare; default: every model that fits the clusters
  - { name: multi-primary,  controlPlane: multi-primary, network: multi }
  - { name: primary-remote, controlPlane: primary-remote, primary: us-east-1, network: multi }
  - { name: hybrid,         controlPlane: hybrid, primaries: [us-east-1, eu-west-1], remotes: { us-east-2: us-east-1 }, network: multi }
  - { name: external,       controlPlane: external, network: multi }

faults:                                 # a timeline; \`for\` omitted = until the end
  - { at: 3m, for: 4m, type: control-plane-outage, cluster: us-east-1 }      # that cluster's istiod, or the one serving it
  - { at: 4m, type: pod-failure, service: catalog, cluster: us-east-2, count: 2 }
  - { at: 8m, for: 2m, type: network-partition, between: [us-east, eu-west] } # regions or clusters
  - { at: 11m, for: 1m, type: cluster-outage, cluster: eu-west-1 }           # workloads, API server, istiod, gateways
  # also: zone-outage {zone}, api-server-outage {cluster}, gateway-outage {cluster, gateway: east-west|ingress},
  # latency-injection {service, cluster?, delay, percent}, error-injection {service, cluster?, httpStatus, percent},
  # scale {service, cluster, replicas} (new pods need injection, a cert and config from their istiod),
  # config-push {cluster, virtualServices|destinationRules} (a rollout, good or bad, applied where the model reads it)

slo: { availability: 99.9%, latency: { p99: 250ms } }
report: { window: 10s, replications: 10 }
`;
