/**
 * Traffic that enters through the ingress gateway, against the Gateway routes it will meet: a source that
 * names a `host` goes where the Gateway's VirtualServices send it (its `entry`, if written, must be one of
 * those services; left out, it is the route's first destination); one whose request no route takes gets a
 * warning (every request 404 NR) or, without an `entry` to name, an error. A source without `host` while
 * Gateways exist is told it bypasses them.
 *
 * Contents: `checkIngressTraffic`, `ingressEntry`.
 */
import { ingressDestinations } from '../mesh/traffic/ingress-routes.js';
import type { IngressVirtualHost } from '../mesh/routing-config.js';
import type { Problem } from './check.js';
import type { TrafficInput } from './schema-traffic.js';
import type { ScenarioInput } from './schema.js';

/** The services a source's requests are routed to by the ingress gateway, or undefined (404 NR). */
export function ingressEntry(
  t: Pick<TrafficInput, 'host' | 'headers' | 'uri'>,
  ingress: readonly IngressVirtualHost[] | undefined,
): string[] | undefined {
  if (t.host === undefined) return undefined;
  return ingressDestinations(ingress ?? [], t.host, lowerKeys(t.headers ?? {}), t.uri ?? '/');
}

function lowerKeys(h: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

export function checkIngressTraffic(
  input: ScenarioInput,
  ingress: readonly IngressVirtualHost[] | undefined,
): Problem[] {
  const problems: Problem[] = [];
  input.traffic.forEach((t, ti) => {
    if (t.via !== 'ingress') return;
    if (t.host === undefined) {
      if ((ingress ?? []).length > 0)
        problems.push({
          path: ['traffic', ti, 'via'],
          code: 'invalid-value',
          severity: 'warning',
          message: `traffic "${t.name}" enters via the ingress gateway without \`host\`: it goes straight to ${t.entry ?? 'its entry'} by the sidecar routes, past the Gateways applied (give \`host\` to be routed by them)`,
        });
      return;
    }
    const to = ingressEntry(t, ingress);
    if (to === undefined) {
      const text = `no Gateway route takes host "${t.host}" and uri "${t.uri ?? '/'}"${(ingress ?? []).length === 0 ? ' (no Gateway with a bound VirtualService is applied)' : ''}: the ingress gateway answers every request 404 NR`;
      if (t.entry === undefined)
        problems.push({
          path: ['traffic', ti, 'host'],
          code: 'unknown-reference',
          message: `${text}; give \`entry\` to run it anyway`,
        });
      else
        problems.push({
          path: ['traffic', ti, 'host'],
          code: 'unknown-reference',
          severity: 'warning',
          message: text,
        });
      return;
    }
    if (t.entry !== undefined && !to.includes(t.entry))
      problems.push({
        path: ['traffic', ti, 'entry'],
        code: 'invalid-value',
        message: `the Gateway routes host "${t.host}" uri "${t.uri ?? '/'}" to ${to.join(', ')}, not to ${t.entry}: leave \`entry\` out or name where the routes go`,
      });
  });
  return problems;
}
