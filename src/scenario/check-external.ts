/**
 * `externalServices:` rules a schema cannot state: one entry per host, no host that is also a service's
 * name, `latencyFrom` regions that exist. That each host is declared by a ServiceEntry is checked where the
 * resources are read (istio/routing-sources.ts).
 *
 * Contents: `checkExternalServices`.
 */
import type { ProblemCollector } from './problem-collector.js';
import type { ScenarioInput } from './schema.js';

export function checkExternalServices(input: ScenarioInput, { add, reference }: ProblemCollector): void {
  const regions = [...new Set(input.clusters.map((c) => c.region))];
  const services = new Set(input.services.map((s) => s.name));
  const seen = new Set<string>();
  (input.externalServices ?? []).forEach((e, i) => {
    if (seen.has(e.host))
      add(['externalServices', i, 'host'], 'duplicate-name', `external host "${e.host}" is described twice`);
    seen.add(e.host);
    if (services.has(e.host))
      add(
        ['externalServices', i, 'host'],
        'duplicate-name',
        `"${e.host}" is already a service of the scenario; an external host is a ServiceEntry host outside the clusters`,
      );
    for (const region of Object.keys(e.latencyFrom ?? {}))
      reference(['externalServices', i, 'latencyFrom', region], 'region', region, regions);
  });
}
