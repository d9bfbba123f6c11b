/**
 * Istio resources as users hold them: multi-document YAML, `List` objects (`kubectl get -o yaml`), the
 * `apiVersion/kind/metadata/spec` wrapper. VirtualServices, DestinationRules, Gateways and ServiceEntries
 * of `networking.istio.io` v1, v1beta1 and v1alpha3 become `RoutingObject`s; every other kind is listed as
 * skipped with the reason (a warning), never dropped in silence. Problems keep the file, line and column of the resource file.
 *
 * Contents: `readIstioResources`, `RoutingObject`, `ResourceRead`, `ISTIO_NETWORKING_VERSIONS`.
 */
import { z } from 'zod';
import type { IssuePath, ScenarioIssue } from '../issue.js';
import { schemaIssues } from '../schema-issues.js';
import { DestinationRuleInput, VirtualServiceInput } from '../schema-routing.js';
import { readYamlStream, type YamlSource } from '../yaml-source.js';
import { edgeKindNotes, GatewayInput, ServiceEntryInput } from './edge-kinds.js';
import { checkIstioFields } from './fields.js';
import { DEFAULT_NAMESPACE } from './host-resolver.js';

/** The API versions istiod serves these kinds at (the same messages in each). */
export const ISTIO_NETWORKING_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'] as const;
const GROUP = 'networking.istio.io';

interface RoutingObjectBase {
  readonly name: string;
  readonly namespace: string;
  /** metadata.creationTimestamp when the file carries one (`kubectl get` output), else undefined. */
  readonly creationTimestamp: string | undefined;
  /** Order of application: later files and documents come later. */
  readonly seq: number;
  /** Where the spec is: `source.locate([...specPath, ...field])` places a field of it. */
  readonly file: string;
  readonly source: YamlSource;
  readonly specPath: IssuePath;
  /** Applied to this cluster's API server only (`--istio-config CLUSTER=PATH`); undefined = every cluster. */
  readonly cluster?: string | undefined;
  /** Written inline in the scenario's `routing:` (no metadata: namespace default, named by position). */
  readonly inline: boolean;
}
export type RoutingObject =
  | (RoutingObjectBase & { readonly kind: 'VirtualService'; readonly spec: VirtualServiceInput })
  | (RoutingObjectBase & { readonly kind: 'DestinationRule'; readonly spec: DestinationRuleInput })
  | (RoutingObjectBase & { readonly kind: 'Gateway'; readonly spec: GatewayInput })
  | (RoutingObjectBase & { readonly kind: 'ServiceEntry'; readonly spec: ServiceEntryInput });

const KINDS = {
  VirtualService: VirtualServiceInput,
  DestinationRule: DestinationRuleInput,
  Gateway: GatewayInput,
  ServiceEntry: ServiceEntryInput,
} as const;
type ModelledKind = keyof typeof KINDS;
const isModelledKind = (k: string): k is ModelledKind => Object.hasOwn(KINDS, k);

export interface ResourceRead {
  readonly objects: RoutingObject[];
  /** Errors and warnings (skipped kinds, ignored fields), located in the resource file. */
  readonly issues: ScenarioIssue[];
}

const Metadata = z.looseObject({
  name: z.string().min(1).max(253),
  namespace: z.string().min(1).max(63).optional(),
  creationTimestamp: z.union([z.string(), z.date()]).optional(),
});

const SKIP_REASONS: Readonly<Record<string, string>> = {
  Sidecar: 'Sidecar scoping is not modelled: every proxy sees every service',
  PeerAuthentication: 'mTLS policy is not modelled (its cost is inside the sidecar latency)',
  RequestAuthentication: 'authentication is not modelled',
  AuthorizationPolicy: 'authorization is not modelled: every request is allowed',
  EnvoyFilter: 'EnvoyFilters are not modelled',
  WorkloadEntry: 'VM workloads are not modelled',
  WorkloadGroup: 'VM workloads are not modelled',
  Telemetry: 'telemetry settings do not change traffic',
  ProxyConfig: 'proxy settings are not modelled',
  WasmPlugin: 'Wasm plugins are not modelled',
};
const KUBERNETES_KINDS = new Set([
  'Deployment',
  'Service',
  'StatefulSet',
  'DaemonSet',
  'ServiceAccount',
  'ConfigMap',
  'Secret',
  'Namespace',
  'Pod',
  'ReplicaSet',
  'Ingress',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
]);

/**
 * Reads one resource file's text. `firstSeq` numbers the objects in order from there; `cluster` marks
 * them as one cluster's (`CLUSTER=PATH`).
 */
export function readIstioResources(
  text: string,
  file: string,
  firstSeq: number,
  cluster?: string,
): ResourceRead {
  const read = readYamlStream(text);
  if (!read.ok)
    return {
      objects: [],
      issues: read.problems.map((p) => ({ file, ...p.at, path: [], code: p.code, message: p.message })),
    };
  const objects: RoutingObject[] = [];
  const issues: ScenarioIssue[] = [];
  let seq = firstSeq;
  const at = (source: YamlSource, path: IssuePath) => ({ file, ...source.locate(path), path });
  const one = (data: unknown, source: YamlSource): void => {
    if (data === null || data === undefined) return; // an empty document (a trailing ---)
    if (typeof data !== 'object' || Array.isArray(data)) {
      issues.push({
        ...at(source, []),
        code: 'wrong-type',
        message: 'expected a Kubernetes resource: a mapping with apiVersion, kind, metadata and spec',
      });
      return;
    }
    const o = data as Record<string, unknown>;
    const kind = o['kind'];
    const apiVersion = o['apiVersion'];
    if (typeof kind !== 'string' || typeof apiVersion !== 'string') {
      issues.push({
        ...at(source, []),
        code: 'missing-key',
        message:
          'expected a Kubernetes resource with apiVersion and kind (such as networking.istio.io/v1 VirtualService)',
      });
      return;
    }
    if (kind === 'List' || (kind.endsWith('List') && Array.isArray(o['items']))) {
      const items = Array.isArray(o['items']) ? o['items'] : [];
      items.forEach((item, i) => one(item, source.child(['items', i])));
      return;
    }
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const name =
      typeof (o['metadata'] as Record<string, unknown> | undefined)?.['name'] === 'string'
        ? String((o['metadata'] as Record<string, unknown>)['name'])
        : '(unnamed)';
    if (group !== GROUP || !isModelledKind(kind)) {
      const reason =
        group === GROUP || group?.endsWith('.istio.io') === true
          ? (SKIP_REASONS[kind] ?? `${apiVersion} ${kind} is not modelled`)
          : KUBERNETES_KINDS.has(kind)
            ? 'a Kubernetes workload object: services come from the scenario (`meshsim import kubernetes` turns manifests into one)'
            : `${apiVersion} ${kind} is not an Istio routing resource`;
      issues.push({
        ...at(source, ['kind']),
        code: 'not-modelled',
        severity: 'warning',
        message: `skipped ${kind} ${name}: ${reason}`,
      });
      return;
    }
    if (!(ISTIO_NETWORKING_VERSIONS as readonly string[]).includes(version ?? '')) {
      issues.push({
        ...at(source, ['apiVersion']),
        code: 'invalid-value',
        message: `${apiVersion} is not a version istiod serves ${kind} at; expected ${ISTIO_NETWORKING_VERSIONS.map((v) => `${GROUP}/${v}`).join(', ')}`,
      });
      return;
    }
    const meta = Metadata.safeParse(o['metadata']);
    if (!meta.success) {
      issues.push(
        ...schemaIssues(meta.error.issues, o['metadata'], source.child(['metadata']), file, 20, Metadata).map(
          (i) => ({ ...i, path: ['metadata', ...i.path] }),
        ),
      );
      return;
    }
    const schema = KINDS[kind];
    const spec = schema.safeParse(o['spec']);
    if (!spec.success) {
      issues.push(
        ...schemaIssues(spec.error.issues, o['spec'], source.child(['spec']), file, 100, schema).map((i) => ({
          ...i,
          path: ['spec', ...i.path],
        })),
      );
      return;
    }
    if (kind === 'Gateway' || kind === 'ServiceEntry')
      for (const n of edgeKindNotes(kind, spec.data as GatewayInput))
        issues.push({
          ...at(source, ['spec', ...n.path]),
          code: 'not-modelled',
          severity: 'warning',
          message: n.message,
        });
    else
      for (const f of checkIstioFields(kind, o['spec'], ['spec']))
        issues.push({
          ...at(source, f.path),
          code: 'not-modelled',
          ...(f.rejected ? {} : { severity: 'warning' as const }),
          message: f.rejected
            ? `${f.field} is refused: ${f.reason}`
            : `${f.field} is accepted and ignored: ${f.reason}`,
        });
    const created = meta.data.creationTimestamp;
    const base = {
      name: meta.data.name,
      namespace: meta.data.namespace ?? DEFAULT_NAMESPACE,
      creationTimestamp:
        created === undefined ? undefined : created instanceof Date ? created.toISOString() : created,
      seq: seq++,
      file,
      source,
      specPath: ['spec'],
      cluster,
      inline: false,
    };
    objects.push({ ...base, kind, spec: spec.data } as RoutingObject);
  };
  for (const doc of read.documents) one(doc.data, doc.source);
  return { objects, issues };
}
