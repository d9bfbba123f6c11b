/**
 * The two Istio kinds that describe the mesh's edges, as resource files carry them: Gateway (where traffic
 * enters: the ingress gateway's listeners and hosts) and ServiceEntry (hosts outside the cluster registry).
 * Schemas of the `spec` (networking.istio.io v1, v1beta1, v1alpha3 share them), and the per-resource notes
 * on fields meshsim accepts but does not model, each said once.
 *
 * Contents: `GatewayInput`, `ServiceEntryInput`, `edgeKindNotes`, `EDGE_IGNORED`.
 */
import { z } from 'zod';
import type { IssuePath } from '../issue.js';

const Port = z
  .looseObject({
    number: z.int().min(1).max(65535).optional(),
    name: z.string().max(253).optional(),
    protocol: z.string().max(32).optional(),
    targetPort: z.int().min(1).max(65535).optional(),
  })
  .describe('A listener or service port (one HTTP listener in meshsim: the number is not modelled).');

const GatewayServer = z.strictObject({
  hosts: z
    .array(z.string().min(1).max(253))
    .min(1)
    .max(1000)
    .describe(
      'Hosts this server exposes: "*", "*.example.com", "example.com", optionally "ns/" or "./" prefixed.',
    ),
  port: Port.optional(),
  name: z.string().max(253).optional(),
  bind: z.string().max(253).optional(),
  defaultEndpoint: z.string().max(253).optional(),
  tls: z
    .looseObject({})
    .optional()
    .describe('Accepted and ignored: TLS termination is inside the gateway latency.'),
});

export const GatewayInput = z
  .strictObject({
    selector: z.record(z.string().max(253), z.string().max(253)).optional(),
    servers: z.array(GatewayServer).min(1).max(1000),
  })
  .meta({ id: 'Gateway', description: 'Istio Gateway spec (HTTP servers of the ingress gateway).' });
export type GatewayInput = z.infer<typeof GatewayInput>;

export const ServiceEntryInput = z
  .strictObject({
    hosts: z.array(z.string().min(1).max(253)).min(1).max(1000),
    addresses: z.array(z.string().max(253)).max(1000).optional(),
    ports: z.array(Port).max(100).optional(),
    location: z.enum(['MESH_EXTERNAL', 'MESH_INTERNAL']).optional(),
    resolution: z.enum(['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS']).optional(),
    endpoints: z.array(z.looseObject({})).max(10_000).optional(),
    workloadSelector: z.looseObject({}).optional(),
    exportTo: z.array(z.string().max(253)).max(100).optional(),
    subjectAltNames: z.array(z.string().max(253)).max(100).optional(),
  })
  .meta({ id: 'ServiceEntry', description: 'Istio ServiceEntry spec.' });
export type ServiceEntryInput = z.infer<typeof ServiceEntryInput>;

/** A field accepted and not modelled: where, and why. */
export interface EdgeKindNote {
  readonly path: IssuePath;
  readonly message: string;
}

/** The ingress gateway's pods carry `istio: ingressgateway` in a default install (the sample's selector). */
const INGRESS_SELECTOR = { istio: 'ingressgateway' } as const;

/**
 * Gateway and ServiceEntry fields meshsim accepts without modelling, and what it does instead: one warning
 * per field set (`selector` only when it is not the default install's `istio: ingressgateway`, `port`
 * only when servers use several, `port.protocol` only when not HTTP). scenarios/README.md lists this
 * table (test/scenario/istio-fields-doc.test.ts keeps the two equal).
 */
export const EDGE_IGNORED = {
  Gateway: {
    selector:
      "meshsim has one ingress gateway per cluster and every Gateway configures it (the default install's pods carry istio: ingressgateway)",
  },
  Server: {
    port: "meshsim's ingress gateway has one HTTP listener, so every server's hosts are served on it",
    'port.protocol': 'served as HTTP: meshsim routes HTTP only (TCP/TLS routes are not modelled)',
    tls: 'TLS termination is inside the gateway latency (mesh.ingressGateway.latency)',
    bind: 'the listener address is not modelled: the server listens wherever the gateway does',
    defaultEndpoint: 'sidecar ingress listeners are not modelled: the server forwards by its routes',
  },
  ServiceEntry: {
    addresses:
      "an external host is one destination whose latency, errors and region come from the scenario's `externalServices`",
    ports:
      "an external host is one destination whose latency, errors and region come from the scenario's `externalServices`",
    endpoints:
      "an external host is one destination whose latency, errors and region come from the scenario's `externalServices`",
    resolution:
      "an external host is one destination whose latency, errors and region come from the scenario's `externalServices`",
    subjectAltNames:
      "an external host is one destination whose latency, errors and region come from the scenario's `externalServices`",
    workloadSelector: 'ServiceEntry hosts are modelled as outside the clusters',
    exportTo: 'every namespace sees the host (its visibility is not modelled)',
  },
} as const;

const ignored = (path: IssuePath, field: string, why: string): EdgeKindNote => ({
  path,
  message: `${field} is accepted and ignored: ${why}`,
});

/** What a Gateway or ServiceEntry sets that meshsim accepts without modelling, one note per field. */
export function edgeKindNotes(
  kind: 'Gateway' | 'ServiceEntry',
  spec: GatewayInput | ServiceEntryInput,
): EdgeKindNote[] {
  const notes: EdgeKindNote[] = [];
  if (kind === 'Gateway') {
    const gw = spec as GatewayInput;
    const sel = gw.selector ?? {};
    if (
      Object.keys(sel).length > 0 &&
      (Object.keys(sel).length !== 1 || sel['istio'] !== INGRESS_SELECTOR.istio)
    )
      notes.push(ignored(['selector'], 'selector', EDGE_IGNORED.Gateway.selector));
    const ports = new Set(gw.servers.map((s) => s.port?.number).filter((n) => n !== undefined));
    if (ports.size > 1)
      notes.push({
        path: ['servers'],
        message: `servers on ports ${[...ports].join(', ')}: ${EDGE_IGNORED.Server.port} (port is not modelled)`,
      });
    gw.servers.forEach((s, i) => {
      for (const key of ['tls', 'bind', 'defaultEndpoint'] as const)
        if (s[key] !== undefined) notes.push(ignored(['servers', i, key], key, EDGE_IGNORED.Server[key]));
      const proto = s.port?.protocol?.toUpperCase();
      if (proto !== undefined && !['HTTP', 'HTTPS', 'HTTP2', 'GRPC'].includes(proto))
        notes.push({
          path: ['servers', i, 'port', 'protocol'],
          message: `a ${proto} server is ${EDGE_IGNORED.Server['port.protocol']}`,
        });
    });
    return notes;
  }
  const se = spec as ServiceEntryInput;
  for (const key of Object.keys(EDGE_IGNORED.ServiceEntry) as (keyof typeof EDGE_IGNORED.ServiceEntry)[])
    if (se[key] !== undefined) notes.push(ignored([key], key, EDGE_IGNORED.ServiceEntry[key]));
  return notes;
}
