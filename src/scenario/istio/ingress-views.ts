/**
 * Which Gateway routes the ingress gateway of each cluster starts with, under each deployment model: the
 * routing its istiod reads. The mesh's control plane gives cluster `c`'s proxies, the ingress gateway
 * among them, the config of `configSourceOf(model, servedBy[c])`'s API server (mesh/control-plane.ts),
 * and that API server holds the shared resources or, with `--istio-config CLUSTER=PATH`, its own. The
 * checks of `traffic[].host` (check-ingress.ts) and the entry the run fills in (normalize-traffic.ts) both
 * read these views, so `validate` sees the routes the run will use: a Gateway applied to one cluster only
 * is there for traffic entering that cluster, and only there.
 *
 * Contents: `ingressViews`, `IngressView`, `routedEntry`.
 */
import { configSourceOf, type DeploymentModel } from '../../mesh/index.js';
import type { IngressVirtualHost } from '../../mesh/routing-config.js';
import { ingressDestinations } from '../../mesh/traffic/ingress-routes.js';
import { defaultModels, resolveModel } from '../normalize-models.js';
import { normalizeRouting } from '../normalize-routing.js';
import { Defaults } from '../scenario.js';
import type { TrafficInput } from '../schema-traffic.js';
import type { ScenarioInput } from '../schema.js';
import { parseFraction } from '../units.js';
import type { ResolvedRoutingInput } from './effective-routing.js';

/** The Gateway routes a traffic source meets where it enters: one per (model, entering cluster). */
export interface IngressView {
  readonly model: string;
  readonly cluster: string;
  /** The cluster whose API server the gateway's istiod reads. */
  readonly configCluster: string;
  readonly ingress: readonly IngressVirtualHost[];
  /** Whether some cluster's API server holds resources of its own (`--istio-config CLUSTER=PATH`). */
  readonly perCluster: boolean;
  /** Where the source's requests go there: the route's services, or undefined (404 NR). */
  readonly to: readonly string[] | undefined;
}

/**
 * For a traffic source, the views of every model and every cluster it enters from (in the scenario's
 * model order, then the order of `from`). Models are resolved as the run resolves them (normalize-models.ts).
 */
export function ingressViews(
  input: Pick<ScenarioInput, 'clusters' | 'models'>,
  routing: ResolvedRoutingInput | undefined,
  clusterRouting: Readonly<Record<string, ResolvedRoutingInput>> | undefined,
): (t: TrafficInput) => IngressView[] {
  const shared = normalizeRouting(routing).ingress ?? [];
  const own = new Map(
    Object.entries(clusterRouting ?? {}).map(([c, r]) => [c, normalizeRouting(r).ingress ?? []]),
  );
  const clusters = input.clusters.map((c) => ({
    name: c.name,
    region: c.region,
    zones: [],
    network: c.network ?? Defaults.network,
  }));
  const models: DeploymentModel[] =
    clusters.length === 0
      ? []
      : (input.models ?? defaultModels(clusters)).map((m) => resolveModel(m, clusters));
  return (t) => {
    const from =
      typeof t.from === 'string'
        ? [t.from]
        : Object.entries(t.from).flatMap(([c, s]) => ((parseFraction(s) ?? 0) > 0 ? [c] : []));
    const views: IngressView[] = [];
    for (const model of models)
      for (const cluster of from) {
        const server = model.servedBy[cluster];
        // An unknown cluster is check-traffic's error; its gateway would hold the shared routes.
        const configCluster = server === undefined ? cluster : configSourceOf(model, server);
        const ingress = own.get(configCluster) ?? shared;
        views.push({
          model: model.name,
          cluster,
          configCluster,
          ingress,
          perCluster: own.size > 0,
          to: destinations(t, ingress),
        });
      }
    return views;
  };
}

/** The services the ingress gateway holding `ingress` routes the source's requests to; undefined: 404 NR. */
function destinations(
  t: Pick<TrafficInput, 'host' | 'headers' | 'uri'>,
  ingress: readonly IngressVirtualHost[],
): string[] | undefined {
  if (t.host === undefined) return undefined;
  const headers = Object.fromEntries(Object.entries(t.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return ingressDestinations(ingress, t.host, headers, t.uri ?? '/');
}

/**
 * The entry of a source naming a `host` and no `entry`: the first service the first view routes it to.
 * The run routes each request at its gateway anyway; the entry names where requests start for estimates.
 */
export function routedEntry(views: readonly IngressView[]): string | undefined {
  for (const v of views) if (v.to !== undefined && v.to.length > 0) return v.to[0];
  return undefined;
}
