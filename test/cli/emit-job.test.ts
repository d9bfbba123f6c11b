/**
 * `--emit-job`: the Kubernetes objects are valid against Kubernetes' own batch/v1 and core/v1 schemas,
 * offline (the `kubernetes-models` package's validators, generated from Kubernetes' OpenAPI spec); the
 * Indexed Job has what the issue asks (completionMode Indexed, completions = parallelism = shards,
 * backoffLimitPerIndex, a podFailurePolicy failing an index on exit 2, a results volume, JOB_COMPLETIONS);
 * and the pod's own command, run here once per index with the variables Kubernetes sets, merges to the
 * bytes of one run.
 *
 * Note: Kubernetes' OpenAPI schema leaves objects open to unknown fields (the API server's strict field
 * validation refuses them, not the schema), so a misspelt field name would pass `validate()`; the test
 * therefore also reads every field it relies on back by name.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, PersistentVolumeClaim } from 'kubernetes-models/v1';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { meshsim, reportTree, scratch } from './spawn-meshsim.js';

const FIXTURE = 'test/fixtures/experiment/two-regions.yaml';
const tmp = scratch('cli-emit-job');
afterAll(tmp.cleanup);

interface Container {
  name: string;
  image: string;
  args: string[];
  env: { name: string; value: string }[];
  volumeMounts: { name: string; mountPath: string }[];
}
interface JobObject {
  kind: string;
  metadata: { name: string };
  spec: {
    completionMode?: string;
    completions: number;
    parallelism?: number;
    backoffLimitPerIndex?: number;
    suspend?: boolean;
    podFailurePolicy?: { rules: { action: string; onExitCodes?: { operator: string; values: number[] } }[] };
    template: {
      spec: {
        restartPolicy: string;
        containers: Container[];
        volumes: {
          name: string;
          persistentVolumeClaim?: { claimName: string };
          configMap?: { name: string };
        }[];
      };
    };
  };
}

async function emit(args: string[]): Promise<{ kind: string }[]> {
  const r = await meshsim(args);
  expect(r.status, r.stderr).toBe(0);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string });
}

describe('--emit-job', { timeout: 120_000 }, () => {
  it('sweep --emit-job: ConfigMap, claim and both Jobs validate against batch/v1 and core/v1, with the Indexed Job the issue asks for', async () => {
    const objects = await emit([
      'sweep',
      FIXTURE,
      '--set',
      'traffic[0].rate=100/s,200/s',
      '--models',
      'multi-primary,primary-remote',
      '--replications',
      '2',
      '--emit-job',
      '--shards',
      '3',
      '--image',
      'registry.example/meshsim:test',
    ]);
    expect(objects.map((o) => o.kind)).toEqual(['ConfigMap', 'PersistentVolumeClaim', 'Job', 'Job']);
    const [configMap, claim, indexed, merge] = objects as [unknown, unknown, JobObject, JobObject];
    new ConfigMap(configMap as ConstructorParameters<typeof ConfigMap>[0]).validate();
    new PersistentVolumeClaim(claim as ConstructorParameters<typeof PersistentVolumeClaim>[0]).validate();
    new Job(indexed as unknown as ConstructorParameters<typeof Job>[0]).validate();
    new Job(merge as unknown as ConstructorParameters<typeof Job>[0]).validate();

    expect(indexed.spec.completionMode).toBe('Indexed');
    expect(indexed.spec.completions).toBe(3);
    expect(indexed.spec.parallelism).toBe(3);
    expect(indexed.spec.backoffLimitPerIndex).toBeGreaterThanOrEqual(1);
    expect(indexed.spec.podFailurePolicy?.rules[0]).toMatchObject({
      action: 'FailIndex',
      onExitCodes: { operator: 'In', values: [2] },
    });
    const pod = indexed.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    const c = pod.containers[0] as Container;
    expect(c.image).toBe('registry.example/meshsim:test');
    expect(c.env).toContainEqual({ name: 'JOB_COMPLETIONS', value: '3' });
    expect(c.args.slice(0, 2)).toEqual(['sweep', '/scenario/two-regions.yaml']);
    expect(c.args).toContain('/results/parts');
    expect(
      pod.volumes.some(
        (v) => v.persistentVolumeClaim?.claimName === (claim as { metadata: { name: string } }).metadata.name,
      ),
    ).toBe(true);
    expect(merge.spec.suspend).toBe(true);
    expect((merge.spec.template.spec.containers[0] as Container).args.slice(0, 2)).toEqual([
      'merge',
      '/results/parts',
    ]);
  });

  it('the validator can fail: a Job with completions as text or an unknown pod failure action is refused', () => {
    const bad = (spec: Record<string, unknown>) => () =>
      new Job({
        metadata: { name: 'x' },
        spec: { template: { spec: { containers: [{ name: 'a', image: 'b' }] } }, ...spec },
      } as ConstructorParameters<typeof Job>[0]).validate();
    expect(bad({ completions: '3' })).toThrow(/completions must be integer/);
    expect(
      bad({
        podFailurePolicy: { rules: [{ action: 'Retry', onExitCodes: { operator: 'In', values: [2] } }] },
      }),
    ).toThrow(/action must be equal to one of the allowed values/);
  });

  it("the Job's pod command, run here once per index with Kubernetes' variables, merges to the bytes of one compare", async () => {
    const common = ['--replications', '2', '--models', 'multi-primary,primary-remote'];
    const objects = await emit(['compare', FIXTURE, ...common, '--emit-job', '--shards', '2']);
    const indexed = objects[2] as JobObject;
    const c = indexed.spec.template.spec.containers[0] as Container;
    const results = join(tmp.dir, 'results');
    mkdirSync(results);
    // The pod's paths, mapped onto this machine: the ConfigMap's file and the results volume.
    const args = c.args.map((a) =>
      a.replace('/scenario/two-regions.yaml', FIXTURE).replace('/results', results),
    );
    const env = Object.fromEntries(c.env.map((e) => [e.name, e.value]));
    const pods = await Promise.all(
      [0, 1].map((i) => meshsim(args, { env: { ...env, JOB_COMPLETION_INDEX: String(i) } })),
    );
    for (const p of pods) expect(p.status, p.stderr).toBe(0);
    const merged = await meshsim([
      'merge',
      join(results, 'parts'),
      '--json',
      '--out',
      join(tmp.dir, 'merged'),
    ]);
    const one = await meshsim(['compare', FIXTURE, ...common, '--json', '--out', join(tmp.dir, 'one')]);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(one.stdout);
    expect(reportTree(join(tmp.dir, 'merged'))).toEqual(reportTree(join(tmp.dir, 'one')));
  });
});
