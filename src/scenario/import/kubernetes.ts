/**
 * `meshsim import kubernetes`: per-cluster Kubernetes manifests (or `kubectl get -o yaml` dumps) to a
 * scenario. What the manifests say is taken as it is: clusters, Services and the Deployments and
 * StatefulSets their selectors pick (namespace, replicas, pod labels, versions). What they cannot say is
 * guessed and marked as an assumption in a comment (service times, rates, regions); call edges come from
 * container environment values that name another Service as `host:port` or a URL, marked as inferred.
 * Workloads no Service selects (load generators) are reported, not dropped in silence.
 *
 * Contents: `importKubernetes`, `KubernetesImport`, `ClusterManifests`.
 */
import type { ScenarioIssue } from '../issue.js';
import { readYamlStream } from '../yaml-source.js';

export interface ClusterManifests {
  readonly cluster: string;
  /** Each file's name (for messages) and text. */
  readonly files: readonly { readonly name: string; readonly text: string }[];
}

export interface KubernetesImport {
  /** The scenario as YAML text, with comments; undefined when the manifests hold errors or no Service. */
  readonly yaml: string | undefined;
  /** What was skipped or guessed, for the user (also in the file's comments). */
  readonly notes: string[];
  readonly issues: ScenarioIssue[];
}

interface Workload {
  kind: string;
  name: string;
  namespace: string;
  cluster: string;
  replicas: number;
  labels: Record<string, string>;
  env: string[];
}
interface Svc {
  name: string;
  namespace: string;
  selector: Record<string, string>;
}

type Obj = Record<string, unknown>;
const obj = (x: unknown): Obj => (x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Obj) : {});
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const strings = (x: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(obj(x)).filter((e): e is [string, string] => typeof e[1] === 'string'));

/** Assumed when a manifest cannot say: a typical small HTTP handler [assumption]. */
const ASSUMED_SERVICE_TIME = '5ms';
/** Assumed client rate into each entry service [assumption]. */
const ASSUMED_RATE = '100/s';

export function importKubernetes(
  clusters: readonly ClusterManifests[],
  istioConfig: readonly string[],
): KubernetesImport {
  const issues: ScenarioIssue[] = [];
  const notes: string[] = [];
  const workloads: Workload[] = [];
  const services = new Map<string, Svc>();
  for (const c of clusters)
    for (const f of c.files) {
      const read = readYamlStream(f.text);
      if (!read.ok) {
        issues.push(
          ...read.problems.map((p) => ({
            file: f.name,
            ...p.at,
            path: [],
            code: p.code,
            message: p.message,
          })),
        );
        continue;
      }
      const visit = (data: unknown): void => {
        const o = obj(data);
        const kind = o['kind'];
        if (typeof kind !== 'string') return;
        if (kind === 'List' || (kind.endsWith('List') && Array.isArray(o['items']))) {
          list(o['items']).forEach(visit);
          return;
        }
        const meta = obj(o['metadata']);
        const name = typeof meta['name'] === 'string' ? meta['name'] : undefined;
        if (name === undefined) return;
        const namespace = typeof meta['namespace'] === 'string' ? meta['namespace'] : 'default';
        const spec = obj(o['spec']);
        if (kind === 'Service') {
          const key = `${namespace}/${name}`;
          const selector = strings(spec['selector']);
          if (Object.keys(selector).length === 0) {
            notes.push(
              `Service ${key} (${c.cluster}) has no selector (an ExternalName or manual endpoints): not imported`,
            );
            return;
          }
          services.set(key, { name, namespace, selector });
        } else if (kind === 'Deployment' || kind === 'StatefulSet') {
          const template = obj(spec['template']);
          const pod = obj(template['spec']);
          const env = list(pod['containers']).flatMap((ct) =>
            list(obj(ct)['env']).flatMap((e) =>
              typeof obj(e)['value'] === 'string' ? [obj(e)['value'] as string] : [],
            ),
          );
          workloads.push({
            kind,
            name,
            namespace,
            cluster: c.cluster,
            replicas: typeof spec['replicas'] === 'number' ? spec['replicas'] : 1,
            labels: strings(obj(template['metadata'])['labels']),
            env,
          });
        } else if (!['ServiceAccount', 'ConfigMap', 'Secret', 'Namespace'].includes(kind))
          notes.push(`${kind} ${namespace}/${name} (${c.cluster}) skipped: not a workload or Service`);
      };
      for (const d of read.documents) visit(d.data);
    }
  if (issues.length > 0) return { yaml: undefined, notes, issues };

  const selected = (s: Svc, w: Workload) =>
    s.namespace === w.namespace && Object.entries(s.selector).every(([k, v]) => w.labels[k] === v);
  // By namespace, then name ('en', not the host's locale: the written scenario must not depend on LANG).
  const svcList = [...services.values()].sort(
    (a, b) => a.namespace.localeCompare(b.namespace, 'en') || a.name.localeCompare(b.name, 'en'),
  );
  // One scenario name per Service: its name, or name-namespace when two namespaces share a name.
  const nameCount = new Map<string, number>();
  for (const s of svcList) nameCount.set(s.name, (nameCount.get(s.name) ?? 0) + 1);
  const scenarioName = (s: Svc) => ((nameCount.get(s.name) ?? 0) > 1 ? `${s.name}-${s.namespace}` : s.name);
  for (const w of workloads)
    if (!svcList.some((s) => selected(s, w)))
      notes.push(
        `${w.kind} ${w.namespace}/${w.name} (${w.cluster}) is selected by no Service (a load generator?): not imported as a service`,
      );

  const lines: string[] = [];
  const push = (l: string) => lines.push(l);
  push(
    '# Imported by `meshsim import kubernetes`. Taken from the manifests: clusters, services, namespaces,',
  );
  push('# deployments (replicas, labels, versions). Every number the manifests cannot give is marked');
  push('# "assumption"; call edges marked "inferred" come from environment values naming a Service.');
  push(`name: imported-mesh`);
  push('duration: 5m # assumption: long enough for stable percentiles at the assumed rates');
  push('clusters:');
  for (const c of clusters)
    push(
      `  - { name: ${c.cluster}, region: ${c.cluster}-region } # assumption: manifests carry no region; set it (topology.kubernetes.io/region)`,
    );
  push('services:');
  const callers = new Set<string>();
  const edges = new Map<string, string[]>();
  for (const s of svcList) {
    const pods = workloads.filter((w) => selected(s, w));
    const targets = new Set<string>();
    for (const w of pods)
      for (const value of w.env)
        for (const t of svcList) {
          if (t === s) continue;
          const hosts = [
            t.name,
            `${t.name}.${t.namespace}`,
            `${t.name}.${t.namespace}.svc`,
            `${t.name}.${t.namespace}.svc.cluster.local`,
          ];
          const named = hosts.some(
            (h) =>
              new RegExp(`(^|//)${h.replace(/\./g, '\\.')}(:\\d+)?(/|$)`).test(value) &&
              (t.namespace === w.namespace || h !== t.name),
          );
          if (named) targets.add(scenarioName(t));
        }
    edges.set(scenarioName(s), [...targets].sort());
    for (const t of targets) callers.add(t);
  }
  for (const s of svcList) {
    const pods = workloads.filter((w) => selected(s, w));
    const name = scenarioName(s);
    push(`  - name: ${name}`);
    if (s.namespace !== 'default') push(`    namespace: ${s.namespace}`);
    if (pods.length === 0) {
      notes.push(
        `Service ${s.namespace}/${s.name} selects no Deployment or StatefulSet in the manifests: given one replica in ${clusters[0]?.cluster} (assumption)`,
      );
      push(
        `    deployments: [ { cluster: ${clusters[0]?.cluster}, replicas: 1 } ] # assumption: no workload found for it`,
      );
    } else {
      push('    deployments:');
      for (const w of pods) {
        const labels = Object.entries(w.labels)
          .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
          .join(', ');
        push(
          `      - { cluster: ${w.cluster}, replicas: ${w.replicas}, labels: { ${labels} } } # ${w.kind} ${w.name}`,
        );
      }
    }
    push(
      `    serviceTime: ${ASSUMED_SERVICE_TIME} # assumption: measure it (a Prometheus histogram's percentiles: {dist: empirical})`,
    );
    const calls = edges.get(name) ?? [];
    if (calls.length > 0) {
      push('    calls: # inferred from environment values naming these services');
      for (const t of calls) push(`      - { service: ${t} }`);
    }
  }
  if (callers.size === 0)
    notes.push(
      "no call edges found (no environment value names another Service as host:port or URL): add each service's calls by hand",
    );
  const entries = svcList.filter((s) => !callers.has(scenarioName(s)));
  push('traffic:');
  for (const s of entries.length > 0 ? entries : svcList.slice(0, 1)) {
    const where = workloads.find((w) => selected(s, w))?.cluster ?? clusters[0]?.cluster;
    push(
      `  - { name: to-${scenarioName(s)}, entry: ${scenarioName(s)}, from: ${where}, rate: ${ASSUMED_RATE} } # assumption: no caller found in the manifests`,
    );
  }
  if (istioConfig.length > 0) {
    push('routing:');
    push(`  include: [${istioConfig.map((p) => JSON.stringify(p)).join(', ')}]`);
  }
  if (svcList.length === 0) {
    issues.push({
      file: clusters[0]?.files[0]?.name ?? '',
      line: 0,
      column: 0,
      path: [],
      code: 'missing-key',
      message: 'the manifests hold no Service with a selector: nothing to import',
    });
    return { yaml: undefined, notes, issues };
  }
  return { yaml: `${lines.join('\n')}\n`, notes, issues };
}
