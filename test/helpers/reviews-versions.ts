/**
 * The canary scenario the per-version tests share (run: test/metrics/version-breakdown.test.ts; compare:
 * test/experiment/service-comparison.test.ts): front calls reviews, whose pods are labelled v1 (2 ms) and
 * v2 (20 ms, 10% errors), split 50/50 by a VirtualService over the DestinationRule's subsets. Unversioned:
 * the same mesh with unlabelled pods, no per-version service time and no routing, so no breakdown.
 *
 * Contents: `reviewsVersions`, `reviewsUnversioned`.
 */

/** The 50/50 split between reviews v1 and v2, simulated for `duration` (e.g. `20s`). */
export function reviewsVersions(duration: string): string {
  return `
name: versions
duration: ${duration}
clusters: [ { name: c1, region: r1 } ]
services:
  - { name: front, deployments: [ { cluster: c1, replicas: 2 } ], serviceTime: 1ms, calls: [ { service: reviews } ] }
  - name: reviews
    deployments:
      - { cluster: c1, replicas: 2, labels: { version: v1 } }
      - { cluster: c1, replicas: 2, labels: { version: v2 } }
    serviceTime: 2ms
    versions: { v2: { serviceTime: 20ms, errorRate: 10% } }
traffic: [ { name: web, entry: front, from: c1, rate: 200/s } ]
routing:
  destinationRules:
    - { host: reviews, subsets: [ { name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } } ] }
  virtualServices:
    - hosts: [reviews]
      http: [ { route: [ { destination: { host: reviews, subset: v1 }, weight: 50 }, { destination: { host: reviews, subset: v2 }, weight: 50 } ] } ]
`;
}

/** The same mesh without version labels, per-version service times or routing. */
export function reviewsUnversioned(duration: string): string {
  const text = reviewsVersions(duration)
    .replace(/labels: \{ version: v\d \}/g, 'labels: {}')
    .replace(/ {4}versions:.*\n/, '')
    .replace(/routing:[\s\S]*$/, '');
  // A replacement that matched nothing would leave the versions in: the test would check the wrong mesh.
  if (/version: v|versions:|routing:/.test(text))
    throw new Error('reviewsUnversioned: a version or routing line is left');
  return text;
}
