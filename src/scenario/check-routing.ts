/**
 * Cross-references of a `routing:` section (or of a `config-push`), the rules a schema cannot state:
 * hosts name known services, subsets are unique, weights add up, failover and distribute name known
 * regions, cluster labels name known clusters, regexes compile, retry conditions exist. Subset references
 * depend on which DestinationRules are in place when, and are checked in check-subsets.ts.
 *
 * Contents: `checkRouting`.
 */
import { HEADER_PRESENT_REGEX, isRetriableStatusCode, isRetryOn, RetryOn } from '../mesh/traffic/index.js';
import { CLUSTER_DOMAIN, type HostResolver } from './istio/host-resolver.js';
import type { Problem } from './check.js';
import type { IssueCode, IssuePath } from './issue.js';
import { message } from './messages.js';
import { splitRetryOn } from './normalize-routing.js';
import type { DestinationRuleInput, RoutingInput } from './schema-routing.js';
import { suggest } from './suggest.js';

type TrafficPolicyInput = NonNullable<DestinationRuleInput['trafficPolicy']>;

/**
 * Cross-references of the `routing:` section: hosts name known services, subsets are unique, weights add up,
 * failover and distribute name known regions, cluster labels name known clusters, regexes compile, retry
 * conditions exist. Paths start at `base` (the section's place in the scenario file).
 */
export function checkRouting(
  input: RoutingInput,
  resolver: HostResolver,
  knownClusters: readonly string[],
  regions: readonly string[],
  base: IssuePath = ['routing'],
  /** The namespace of the resource (short hosts resolve in it); inline routing is in "default". */
  namespace = 'default',
): Problem[] {
  const problems: Problem[] = [];
  const add = (path: IssuePath, code: IssueCode, text: string, hint?: string) =>
    problems.push({
      path: [...base, ...path],
      code,
      message: text,
      ...(hint === undefined ? {} : { suggestion: hint }),
    });
  // One resolver for validate and the run (istio/host-resolver.ts): a host that names no service here
  // would name none at run time either.
  const host = (path: IssuePath, name: string, destination = false) => {
    const found = destination
      ? resolver.destination(name, namespace) !== undefined
      : resolver.match(name, namespace).length > 0;
    if (found) return;
    const known = resolver.spellings(namespace);
    // `reviews.default` has a dot, so Istio takes it as fully qualified and it names nothing.
    const fqdn = `${name}.svc.${CLUSTER_DOMAIN}`;
    const dotted =
      name.includes('.') && !name.includes('*') && resolver.destination(fqdn, namespace) !== undefined;
    add(
      path,
      'unknown-reference',
      dotted
        ? `host "${name}" names no service: Istio takes a host with a dot as fully qualified (ResolveShortnameToFQDN); write the short name or the FQDN`
        : destination && name.includes('*')
          ? `a route destination names one service; "${name}" is a wildcard`
          : message.unknownReference('service', name, known),
      dotted ? fqdn : suggestHost(name, resolver, known),
    );
  };
  const region = (path: IssuePath, name: string) => {
    if (name !== '*' && !regions.includes(name))
      add(
        path,
        'unknown-reference',
        message.unknownReference('region', name, regions),
        suggest(name, regions),
      );
  };

  (input.virtualServices ?? []).forEach((vs, v) => {
    const at: IssuePath = ['virtualServices', v];
    vs.hosts.forEach((h, k) => host([...at, 'hosts', k], h));
    (vs.http ?? []).forEach((r, ri) => {
      const rat: IssuePath = [...at, 'http', ri];
      r.route.forEach((d, di) =>
        host([...rat, 'route', di, 'destination', 'host'], d.destination.host, true),
      );
      if (r.route.length > 1) {
        const sum = r.route.reduce((s, d) => s + (d.weight ?? 0), 0);
        if (sum !== 100) add([...rat, 'route'], 'invalid-value', message.routeWeights(sum));
      }
      (r.match ?? []).forEach((m, mi) => {
        if (m.uri?.regex !== undefined) checkRegex([...rat, 'match', mi, 'uri', 'regex'], m.uri.regex, add);
        for (const [name, hm] of Object.entries(m.headers ?? {}))
          if (hm.regex !== undefined && hm.regex !== HEADER_PRESENT_REGEX)
            checkRegex([...rat, 'match', mi, 'headers', name, 'regex'], hm.regex, add);
      });
      splitRetryOn(r.retries?.retryOn ?? '').forEach((token) => {
        if (!isRetriableStatusCode(token) && !isRetryOn(token))
          add(
            [...rat, 'retries', 'retryOn'],
            'invalid-value',
            message.badRetryOn(token),
            suggest(token, Object.keys(RetryOn)),
          );
      });
    });
  });

  (input.destinationRules ?? []).forEach((dr, di) => {
    const at: IssuePath = ['destinationRules', di];
    host([...at, 'host'], dr.host);
    checkPolicy([...at, 'trafficPolicy'], dr.trafficPolicy);
    const seen = new Set<string>();
    (dr.subsets ?? []).forEach((s, si) => {
      if (seen.has(s.name))
        add([...at, 'subsets', si, 'name'], 'duplicate-name', message.duplicateSubset(s.name));
      seen.add(s.name);
      const cluster = s.labels?.['topology.istio.io/cluster'];
      if (cluster !== undefined && !knownClusters.includes(cluster))
        add(
          [...at, 'subsets', si, 'labels', 'topology.istio.io/cluster'],
          'unknown-reference',
          message.unknownReference('cluster', cluster, knownClusters),
          suggest(cluster, knownClusters),
        );
      checkPolicy([...at, 'subsets', si, 'trafficPolicy'], s.trafficPolicy);
    });
  });
  return problems;

  function checkPolicy(at: IssuePath, tp: TrafficPolicyInput | undefined): void {
    const l = tp?.loadBalancer?.localityLbSetting;
    if (l === undefined) return;
    const lat: IssuePath = [...at, 'loadBalancer', 'localityLbSetting'];
    if (
      (l.distribute?.length ?? 0) > 0 &&
      ((l.failover?.length ?? 0) > 0 || (l.failoverPriority?.length ?? 0) > 0)
    )
      add(lat, 'invalid-value', message.distributeWithFailover());
    (l.distribute ?? []).forEach((d, k) => {
      region([...lat, 'distribute', k, 'from'], d.from.split('/')[0] ?? '');
      let sum = 0;
      for (const [locality, w] of Object.entries(d.to)) {
        region([...lat, 'distribute', k, 'to', locality], locality.split('/')[0] ?? '');
        sum += w;
      }
      if (sum !== 100) add([...lat, 'distribute', k, 'to'], 'invalid-value', message.distributeWeights(sum));
    });
    (l.failover ?? []).forEach((f, k) => {
      region([...lat, 'failover', k, 'from'], f.from);
      region([...lat, 'failover', k, 'to'], f.to);
      if (f.from === f.to) add([...lat, 'failover', k], 'invalid-value', message.failoverSameRegion(f.from));
    });
    (l.failoverPriority ?? []).forEach((entry, k) => {
      const [label, value] = entry.split('=');
      if (value === undefined) return;
      if (label === 'topology.istio.io/cluster' && !knownClusters.includes(value))
        add(
          [...lat, 'failoverPriority', k],
          'unknown-reference',
          message.unknownReference('cluster', value, knownClusters),
          suggest(value, knownClusters),
        );
      if (label === 'topology.kubernetes.io/region') region([...lat, 'failoverPriority', k], value);
    });
  }
}

function checkRegex(
  path: IssuePath,
  pattern: string,
  add: (path: IssuePath, code: IssueCode, text: string) => void,
): void {
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    add(path, 'invalid-value', message.badRegex(pattern, e instanceof Error ? e.message : String(e)));
  }
}

/** For a dotted host, the FQDN of the service whose name is closest to its first label; else by name. */
function suggestHost(name: string, resolver: HostResolver, known: readonly string[]): string | undefined {
  if (!name.includes('.')) return suggest(name, known);
  const label = name.split('.')[0] ?? '';
  const hit = suggest(
    label,
    resolver.services.map((s) => s.name),
  );
  return resolver.services.find((s) => s.name === hit)?.fqdn;
}
