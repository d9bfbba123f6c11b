/**
 * `--emit-job`: the Kubernetes objects that run an experiment sharded, as one YAML stream for
 * `kubectl apply -f`:
 *
 * 1. a ConfigMap holding the scenario file, mounted read-only at /scenario;
 * 2. a PersistentVolumeClaim `ReadWriteMany` for the parts (every pod writes its own file into it);
 * 3. the Indexed Job (`completionMode: Indexed`, completions = parallelism = the shard count): each pod
 *    runs the same command, which reads its slice from JOB_COMPLETION_INDEX (set by Kubernetes) and
 *    JOB_COMPLETIONS (set here); `backoffLimitPerIndex` retries a failed index alone, and a
 *    `podFailurePolicy` fails an index at once on exit 2 (bad input: a retry gives the same answer) and
 *    ignores disruptions (a pod evicted or preempted is not the scenario's fault);
 * 4. the merge Job, created suspended: unsuspend it once the Indexed Job is complete.
 *
 * Field names and semantics follow batch/v1 (kubernetes/kubernetes staging/src/k8s.io/api/batch/v1/types.go):
 * `FailIndex` needs `backoffLimitPerIndex`, and a pod failure policy needs `restartPolicy: Never`.
 *
 * Contents: `jobObjects`, `emitJobText`, `EmitJobOptions`.
 */
import { basename } from 'node:path';
import { stringify } from 'yaml';

export interface EmitJobOptions {
  /** `compare`, `sweep` or `capacity`. */
  readonly command: string;
  /** The scenario file as given, and its text (put in the ConfigMap). */
  readonly file: string;
  readonly fileText: string;
  readonly scenario: string;
  /** The command's own flags (models, replications, seed, --set ...), without file, shard or output flags. */
  readonly flags: readonly string[];
  readonly shards: number;
  readonly image: string;
  /** Worker threads per pod (and its CPU request). */
  readonly workers: number;
  /** Jobs in the experiment, for the comment. */
  readonly jobs: number;
}

/** A DNS-1123 name from the scenario's: lower case, digits and '-', at most 52 characters (Job names get suffixes). */
function dnsName(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return `meshsim-${s === '' ? 'run' : s}`;
}

/** The four objects, in apply order. */
export function jobObjects(o: EmitJobOptions): Record<string, unknown>[] {
  const name = dnsName(`${o.scenario}-${o.command}`);
  const scenarioFile = `/scenario/${basename(o.file)}`;
  const labels = { 'app.kubernetes.io/name': 'meshsim', 'app.kubernetes.io/instance': name };
  const volumes = [
    { name: 'scenario', configMap: { name: `${name}-scenario` } },
    { name: 'results', persistentVolumeClaim: { claimName: `${name}-results` } },
  ];
  const mounts = [
    { name: 'scenario', mountPath: '/scenario', readOnly: true },
    { name: 'results', mountPath: '/results' },
  ];
  const container = (args: string[], env: { name: string; value: string }[]) => ({
    name: 'meshsim',
    image: o.image,
    args,
    env,
    resources: { requests: { cpu: String(o.workers), memory: '1Gi' }, limits: { memory: '2Gi' } },
    volumeMounts: mounts,
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-scenario`, labels },
      data: { [basename(o.file)]: o.fileText },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: `${name}-results`, labels },
      spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Gi' } } },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, labels },
      spec: {
        completionMode: 'Indexed',
        completions: o.shards,
        parallelism: o.shards,
        backoffLimitPerIndex: 2,
        podFailurePolicy: {
          rules: [
            // Exit 2 is bad input (scenario or flags): the same on every retry, so fail the index now.
            { action: 'FailIndex', onExitCodes: { containerName: 'meshsim', operator: 'In', values: [2] } },
            // Evicted or preempted: not the run's fault, and not counted against backoffLimitPerIndex.
            { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
          ],
        },
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            containers: [
              container(
                [
                  o.command,
                  scenarioFile,
                  ...o.flags,
                  '--parts',
                  '/results/parts',
                  '--workers',
                  String(o.workers),
                ],
                [{ name: 'JOB_COMPLETIONS', value: String(o.shards) }],
              ),
            ],
            volumes,
          },
        },
      },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: `${name}-merge`, labels },
      spec: {
        // Started by hand once the Indexed Job is complete (kubectl has no dependency between Jobs).
        suspend: true,
        completions: 1,
        backoffLimit: 0,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            containers: [container(['merge', '/results/parts', '--out', '/results/report'], [])],
            volumes,
          },
        },
      },
    },
  ];
}

/** The YAML stream, with the three commands that run it in a comment at the top. */
export function emitJobText(o: EmitJobOptions): string {
  const objects = jobObjects(o);
  const job = (objects[2] as { metadata: { name: string } }).metadata.name;
  const header = [
    `# meshsim ${o.command} of ${o.scenario}: ${o.jobs} jobs in ${o.shards} shards (a Kubernetes Indexed Job), then merged.`,
    `# Image: ${o.image} (docker build -t ${o.image} . in the meshsim repository, pushed where the cluster pulls from).`,
    '#',
    `#   kubectl apply -f this.yaml && kubectl wait --for=condition=complete job/${job} --timeout=6h`,
    `#   kubectl patch job ${job}-merge --type=merge -p '{"spec":{"suspend":false}}' && kubectl wait --for=condition=complete job/${job}-merge --timeout=1h`,
    `#   kubectl logs job/${job}-merge     # the result; the report folder is /results/report on ${job}-results`,
    '#',
    '# A failed index is retried alone (backoffLimitPerIndex); bad input (exit 2) fails it at once.',
  ].join('\n');
  return `${header}\n${objects.map((x) => stringify(x, { lineWidth: 0 })).join('---\n')}`;
}

/** The flags that rebuild an experiment's job list in a pod, from its request (see experiment.ts). */
export function requestFlags(request: unknown, allowLarge: boolean): string[] {
  const r = request as {
    sets?: { path: string; values: string[] }[];
    models?: string[] | null;
    replications?: number;
    seed?: number;
    flags?: string[];
  };
  return [
    ...(r.sets ?? []).flatMap((s) => ['--set', `${s.path}=${s.values.join(',')}`]),
    ...(r.models === null || r.models === undefined ? [] : ['--models', r.models.join(',')]),
    ...(r.replications === undefined ? [] : ['--replications', String(r.replications)]),
    ...(r.seed === undefined ? [] : ['--seed', String(r.seed)]),
    ...(r.flags ?? []),
    ...(allowLarge ? ['--allow-large'] : []),
  ];
}
