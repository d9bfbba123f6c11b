/**
 * Traffic that enters through the ingress gateway, against the Gateway routes it will meet there: those
 * of every model and every cluster it enters from (istio/ingress-views.ts, the routes the run's gateways
 * start with, `--istio-config CLUSTER=PATH` included). A source that names a `host` goes where the
 * Gateway's VirtualServices send it (its `entry`, if written, must be one of those services; left out, it
 * is the route's first destination); one whose request no route takes anywhere gets a warning (every
 * request 404 NR) or, without an `entry` to name, an error; one that some gateways route and others do not
 * gets a warning naming where it fails. A source without `host` while Gateways exist is told it bypasses them.
 *
 * Contents: `checkIngressTraffic`.
 */
import type { Problem } from './check.js';
import type { IngressView } from './istio/ingress-views.js';
import type { TrafficInput } from './schema-traffic.js';
import type { ScenarioInput } from './schema.js';

export function checkIngressTraffic(
  input: ScenarioInput,
  viewsOf: (t: TrafficInput) => readonly IngressView[],
): Problem[] {
  const problems: Problem[] = [];
  input.traffic.forEach((t, ti) => {
    if (t.via !== 'ingress') return;
    const views = viewsOf(t);
    if (t.host === undefined) {
      if (views.some((v) => v.ingress.length > 0))
        problems.push({
          path: ['traffic', ti, 'via'],
          code: 'invalid-value',
          severity: 'warning',
          message: `traffic "${t.name}" enters via the ingress gateway without \`host\`: it goes straight to ${t.entry ?? 'its entry'} by the sidecar routes, past the Gateways applied (give \`host\` to be routed by them)`,
        });
      return;
    }
    const request = `host "${t.host}" and uri "${t.uri ?? '/'}"`;
    const routed = views.filter((v) => v.to !== undefined);
    if (routed.length === 0) {
      const none = views.every((v) => v.ingress.length === 0);
      // Gateways given to some clusters only (CLUSTER=PATH): say which API servers the gateways read.
      const read = [...new Set(views.map((v) => v.configCluster))];
      const applied = views.some((v) => v.perCluster)
        ? ` to the API server${read.length === 1 ? '' : 's'} its ingress gateways read (${read.join(', ')})`
        : '';
      const text = `no Gateway route takes ${request}${none ? ` (no Gateway with a bound VirtualService is applied${applied})` : ''}: the ingress gateway answers every request 404 NR`;
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
    if (routed.length < views.length)
      problems.push({
        path: ['traffic', ti, 'host'],
        code: 'unknown-reference',
        severity: 'warning',
        message: `no Gateway route takes ${request} at ${where(views.filter((v) => v.to === undefined))}: the ingress gateway there answers every request 404 NR (routed at ${where(routed)})`,
      });
    const entry = t.entry;
    if (entry === undefined) return;
    const wrong = routed.filter((v) => !(v.to as readonly string[]).includes(entry));
    if (wrong.length === 0) return;
    const to = [...new Set(wrong.flatMap((v) => v.to as readonly string[]))].join(', ');
    problems.push({
      path: ['traffic', ti, 'entry'],
      code: 'invalid-value',
      message: `the Gateway routes host "${t.host}" uri "${t.uri ?? '/'}" to ${to}, not to ${entry}${wrong.length < views.length ? ` (at ${where(wrong)})` : ''}: leave \`entry\` out or name where the routes go`,
    });
  });
  return problems;
}

/** "cluster east under mp (config from east), pr (config from west); cluster west under ...". */
function where(views: readonly IngressView[]): string {
  const byCluster = new Map<string, IngressView[]>();
  for (const v of views) byCluster.set(v.cluster, [...(byCluster.get(v.cluster) ?? []), v]);
  return [...byCluster]
    .map(
      ([cluster, vs]) =>
        `cluster ${cluster} under ${vs.map((v) => `${v.model} (config from ${v.configCluster})`).join(', ')}`,
    )
    .join('; ');
}
