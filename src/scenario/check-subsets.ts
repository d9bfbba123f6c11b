/**
 * VirtualService destinations that name a subset no DestinationRule defines. Envoy answers such routes
 * with 503 NC (no cluster), so:
 * - in `routing:` (the config every cluster starts with) it is an error: nobody means that;
 * - in a `config-push` it is a warning and allowed: pushing a route to a subset that does not exist yet
 *   is the classic bad rollout, and simulating it is a use case. The check is made against what the
 *   cluster holds once the push lands (routing-timeline.ts), so a push that brings its own
 *   DestinationRule is fine, and a pushed DestinationRule that drops a subset an existing route still
 *   uses is flagged at that rule.
 *
 * Contents: `checkSubsets`.
 */
import type { Problem } from './check.js';
import type { IssuePath } from './issue.js';
import { message } from './messages.js';
import { HostResolver } from './istio/host-resolver.js';
import { canonicalHost, routingTimelineByCluster } from './routing-timeline.js';
import type { RoutingInput } from './schema-routing.js';
import type { ScenarioInput } from './schema.js';
import { suggest } from './suggest.js';

/**
 * `base`: the routing before any push as istiod resolves it (istio/effective-routing.ts checks its own
 * subsets, with the place of every resource). Without it, `input.routing` is checked here.
 */
export function checkSubsets(
  input: ScenarioInput,
  base?: RoutingInput,
  clusterBase?: Readonly<Record<string, RoutingInput>>,
): Problem[] {
  const services = HostResolver.of(input);
  const problems: Problem[] = [];
  if (input.routing !== undefined && base === undefined) {
    for (const m of missingSubsets(input.routing, services)) {
      problems.push({
        path: ['routing', ...m.path],
        code: 'unknown-reference',
        message: message.unknownSubset(m.subset, m.host, m.known),
        suggestion: suggest(m.subset, m.known),
      });
    }
  }
  // Each target cluster from its own state (earlier pushes, `--istio-config CLUSTER=PATH`), as the run
  // applies the push (routing-timeline.ts): a subset missing in one target only is said, naming it.
  for (const [index, byCluster] of routingTimelineByCluster(input, base, clusterBase)) {
    const push = input.faults?.[index];
    if (push?.type !== 'config-push') continue;
    const pushedVs = push.virtualServices ?? [];
    const pushedDr = push.destinationRules ?? [];
    const found = new Map<string, { problem: Problem; clusters: string[] }>();
    for (const [cluster, merged] of byCluster)
      for (const m of missingSubsets(merged, services)) {
        // Where the user can see the cause: the pushed route, else the pushed rule that lost the subset.
        const vs = merged.virtualServices?.[m.vsIndex];
        const pushedAt = pushedVs.findIndex((v) => v === vs);
        const drAt = pushedDr.findIndex((d) => canonicalHost(d.host, services) === m.host);
        const path: IssuePath | undefined =
          pushedAt >= 0
            ? ['faults', index, 'virtualServices', pushedAt, ...m.path.slice(2)]
            : drAt >= 0
              ? ['faults', index, 'destinationRules', drAt]
              : undefined;
        if (path === undefined) continue; // Not caused by this push: reported where it was.
        const text = message.unknownSubsetPushed(m.subset, m.host, m.known);
        const key = `${path.join('.')}\u0000${text}`;
        const seen = found.get(key);
        if (seen !== undefined) seen.clusters.push(cluster);
        else
          found.set(key, {
            problem: {
              path,
              code: 'unknown-reference',
              message: text,
              suggestion: suggest(m.subset, m.known),
              severity: 'warning',
            },
            clusters: [cluster],
          });
      }
    for (const { problem, clusters } of found.values())
      problems.push(
        clusters.length === byCluster.size
          ? problem
          : { ...problem, message: `${problem.message} (in cluster ${clusters.join(', ')})` },
      );
  }
  return problems;
}

interface MissingSubset {
  /** From the routing section: ['virtualServices', v, 'http', r, 'route', d, 'destination', 'subset']. */
  path: IssuePath;
  vsIndex: number;
  host: string;
  subset: string;
  known: string[];
}

function missingSubsets(routing: RoutingInput, services: HostResolver): MissingSubset[] {
  const subsetsOf = new Map<string, string[]>();
  for (const dr of routing.destinationRules ?? []) {
    const host = canonicalHost(dr.host, services);
    subsetsOf.set(host, [...(subsetsOf.get(host) ?? []), ...(dr.subsets ?? []).map((s) => s.name)]);
  }
  const out: MissingSubset[] = [];
  (routing.virtualServices ?? []).forEach((vs, v) =>
    (vs.http ?? []).forEach((r, ri) =>
      r.route.forEach((d, di) => {
        const subset = d.destination.subset;
        if (subset === undefined) return;
        const host = canonicalHost(d.destination.host, services);
        const known = subsetsOf.get(host) ?? [];
        if (!known.includes(subset))
          out.push({
            path: ['virtualServices', v, 'http', ri, 'route', di, 'destination', 'subset'],
            vsIndex: v,
            host,
            subset,
            known,
          });
      }),
    ),
  );
  return out;
}
