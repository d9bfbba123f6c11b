/**
 * The scenario `meshsim init` writes: small enough to compare every model in under a minute, complete
 * enough to show each part of the format (clusters in two regions, a call graph, traffic, a control-plane
 * outage, an SLO), every line commented. The CLI tests validate it, run it and compare it.
 *
 * Contents: `STARTER_SCENARIO`, `DEFAULT_INIT_FILE`.
 */

/** Where `meshsim init` writes when no file is named. */
export const DEFAULT_INIT_FILE = 'my-mesh.yaml';

export const STARTER_SCENARIO = `# A starter meshsim scenario: edit it to describe your mesh, then
#   meshsim validate my-mesh.yaml      check it (every problem, with line and column)
#   meshsim run my-mesh.yaml           one run of the first model: a table and reports/<name>/
#   meshsim compare my-mesh.yaml       every model, replicated, with 95% intervals and a verdict
#   meshsim models my-mesh.yaml        what each model is, and who serves whom here
# Durations are Istio's (250ms, 1.5s, 10m), rates are 500/s, fractions 0.25 or 25%.
name: my-mesh
description: Three clusters in two regions; what does losing the us-east-1 control plane cost under each model?
seed: 1
duration: 90s          # simulated time per run
warmup: 15s            # excluded from every statistic

clusters:
  - { name: us-east-1, region: us-east, zones: [us-east-1a, us-east-1b], network: net-us }
  - { name: us-east-2, region: us-east, zones: [us-east-2a], network: net-us }
  - { name: eu-west-1, region: eu-west, zones: [eu-west-1a], network: net-eu }

network:               # one-way latency by relation
  sameZone: 0.1ms
  crossZone: 0.6ms
  crossRegion: 35ms
  jitter: 10%

services:
  - name: frontend
    deployments: [{ cluster: us-east-1, replicas: 2 }, { cluster: us-east-2, replicas: 2 }, { cluster: eu-west-1, replicas: 2 }]
    concurrency: 32    # requests one replica works on at once; more wait in its queue
    serviceTime: { dist: lognormal, median: 4ms, p99: 30ms }
    calls:             # in order; a nested list is called in parallel
      - service: catalog
      - [{ service: orders }, { service: recommendations, probability: 0.3 }]
  - name: catalog
    deployments: [{ cluster: us-east-1, replicas: 2 }, { cluster: us-east-2, replicas: 2 }, { cluster: eu-west-1, replicas: 2 }]
    serviceTime: { dist: exponential, mean: 2ms }
  - name: orders
    deployments: [{ cluster: us-east-1, replicas: 2 }, { cluster: eu-west-1, replicas: 2 }]
    serviceTime: { dist: empirical, percentiles: { p50: 6ms, p90: 15ms, p99: 60ms } }
    errorRate: 0.1%
  - name: recommendations
    deployments: [{ cluster: us-east-1, replicas: 2 }]
    serviceTime: 3ms

traffic:
  - name: web
    entry: frontend
    from: { us-east-1: 40%, us-east-2: 30%, eu-west-1: 30% }
    rate: 150/s
    arrival: poisson

# models: left out, so every model that fits the clusters is compared: multi-primary, primary-remote,
# hybrid (a primary per region) and external. Name them to pick, e.g.
#   - { name: primary-remote, controlPlane: primary-remote, primary: us-east-1 }

faults:                # a timeline; 'for' left out means until the end
  - { at: 40s, for: 30s, type: control-plane-outage, cluster: us-east-1 }

slo: { availability: 99%, latency: { p99: 500ms } }   # checked by --check-slo (exit 3 on a miss)
report: { window: 5s, replications: 5 }
`;
