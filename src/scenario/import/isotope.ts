/**
 * `meshsim import isotope FILE`: an istio/tools isotope service graph (isotope/convert/pkg/graph: services
 * with numReplicas, errorRate, isEntrypoint, namespace, cluster and a script of calls and sleeps; a list
 * inside the script runs concurrently) to a scenario. What has no meaning in meshsim is stated, not
 * dropped: request and response sizes, service types other than HTTP, RBAC policy counts, call hostnames.
 *
 * Contents: `importIsotope`.
 */
import type { ScenarioIssue } from '../issue.js';
import { readYamlStream } from '../yaml-source.js';

type Obj = Record<string, unknown>;
const obj = (x: unknown): Obj => (x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Obj) : {});

/** Isotope percentages: "0.1%" or a number between 0 and 1 (pct.Percentage). */
function fraction(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && x.trim().endsWith('%')) return Number(x.trim().slice(0, -1)) / 100;
  return typeof x === 'string' ? Number(x) : 0;
}

/** A sleep as milliseconds ("10ms", "1s", "100us"); NaN when unreadable. */
function sleepMs(x: unknown): number {
  const m = /^\s*([\d.]+)\s*(us|µs|ms|s|m)?\s*$/.exec(String(x));
  if (m === null) return NaN;
  const v = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return unit === 'us' || unit === 'µs' ? v / 1000 : unit === 's' ? v * 1000 : unit === 'm' ? v * 60_000 : v;
}

export function importIsotope(
  text: string,
  file: string,
): { yaml: string | undefined; notes: string[]; issues: ScenarioIssue[] } {
  const notes: string[] = [];
  const read = readYamlStream(text);
  if (!read.ok)
    return {
      yaml: undefined,
      notes,
      issues: read.problems.map((p) => ({ file, ...p.at, path: [], code: p.code, message: p.message })),
    };
  const graph = obj(read.documents[0]?.data);
  const defaults = obj(graph['defaults']);
  const services = Array.isArray(graph['services']) ? graph['services'].map(obj) : [];
  if (services.length === 0)
    return {
      yaml: undefined,
      notes,
      issues: [
        {
          file,
          line: 1,
          column: 1,
          path: ['services'],
          code: 'missing-key',
          message: 'an isotope service graph lists its services under services:',
        },
      ],
    };
  const field = (s: Obj, k: string) => s[k] ?? defaults[k];
  for (const k of ['requestSize', 'responseSize'])
    if (services.some((s) => field(s, k) !== undefined))
      notes.push(
        `${k} is not per service in meshsim: bytes per call are a cost-model constant (cost.requestBytes, cost.responseBytes)`,
      );
  if (services.some((s) => field(s, 'numRbacPolicies') !== undefined))
    notes.push('numRbacPolicies is not modelled: authorization policies do not change traffic in meshsim');
  if (services.some((s) => (field(s, 'type') ?? 'http') !== 'http'))
    notes.push('service type grpc is simulated as HTTP (meshsim models HTTP requests)');
  const clusters = [...new Set(services.map((s) => String(field(s, 'cluster') ?? 'cluster1')))];
  const lines: string[] = [
    `# Imported by \`meshsim import isotope\` from ${file}. Taken from the graph: services, replicas, error`,
    '# rates, namespaces, clusters, calls (a list in the script runs in parallel). Every number the graph',
    '# cannot give is marked "assumption".',
    'name: isotope-graph',
    'duration: 5m # assumption',
    'clusters:',
    ...clusters.map(
      (c, i) => `  - { name: ${c}, region: region-${i + 1} } # assumption: isotope graphs carry no region`,
    ),
    'services:',
  ];
  for (const s of services) {
    const name = String(s['name']);
    const script = Array.isArray(field(s, 'script')) ? (field(s, 'script') as unknown[]) : [];
    let sleep = 0;
    const steps: string[] = [];
    const call = (c: Obj): string | undefined => {
      if (c['sleep'] !== undefined) {
        const ms = sleepMs(c['sleep']);
        if (Number.isNaN(ms)) notes.push(`${name}: sleep ${String(c['sleep'])} is not a duration: ignored`);
        else sleep += ms;
        return undefined;
      }
      const target = c['call'];
      if (target === undefined) {
        notes.push(`${name}: script command ${JSON.stringify(c)} is neither call nor sleep: ignored`);
        return undefined;
      }
      const t = obj(target);
      if (t['hostname'] !== undefined)
        notes.push(
          `${name}: the call hostname ${String(t['hostname'])} is not needed: meshsim resolves the service by name`,
        );
      return `{ service: ${typeof target === 'string' ? target : String(t['service'])} }`;
    };
    for (const step of script) {
      if (Array.isArray(step)) {
        const group = step
          .map(obj)
          .map(call)
          .filter((x): x is string => x !== undefined);
        if (group.length > 0) steps.push(`[ ${group.join(', ')} ]`);
      } else {
        const one = call(obj(step));
        if (one !== undefined) steps.push(one);
      }
    }
    if (sleep > 0)
      notes.push(`${name}: its sleeps (${sleep} ms in all) become its service time, spent before its calls`);
    lines.push(`  - name: ${name}`);
    if (s['namespace'] !== undefined) lines.push(`    namespace: ${String(s['namespace'])}`);
    lines.push(
      `    deployments: [ { cluster: ${String(field(s, 'cluster') ?? 'cluster1')}, replicas: ${Number(field(s, 'numReplicas') ?? 1)} } ]`,
    );
    lines.push(
      sleep > 0
        ? `    serviceTime: ${sleep}ms # the script's sleeps`
        : '    serviceTime: 0.1ms # assumption: an isotope service without sleeps does almost no work',
    );
    const errorRate = fraction(field(s, 'errorRate') ?? 0);
    if (errorRate > 0) lines.push(`    errorRate: ${errorRate}`);
    if (steps.length > 0) lines.push('    calls:', ...steps.map((c) => `      - ${c}`));
  }
  const entries = services.filter((s) => s['isEntrypoint'] === true);
  if (entries.length === 0) notes.push('no service isEntrypoint: the first one receives the traffic');
  lines.push('traffic:');
  for (const s of entries.length > 0 ? entries : services.slice(0, 1))
    lines.push(
      `  - { name: to-${String(s['name'])}, entry: ${String(s['name'])}, from: ${String(field(s, 'cluster') ?? 'cluster1')}, rate: 100/s } # assumption: isotope graphs carry no load`,
    );
  return { yaml: `${lines.join('\n')}\n`, notes, issues: [] };
}
