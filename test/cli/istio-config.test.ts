/** `--istio-config` on validate and run, and what a user who passes Istio's own files as the scenario is told. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectsNoTrace, meshsim } from './spawn-meshsim.js';

const NET = 'test/fixtures/istio-samples/bookinfo/networking';
const SCENARIO = 'test/fixtures/istio-samples/scenarios/bookinfo-one-cluster.yaml';

describe('meshsim --istio-config', () => {
  it('validate applies the files in order: the later reviews VirtualService replaces the earlier, with a warning', async () => {
    const r = await meshsim([
      'validate',
      SCENARIO,
      '--istio-config',
      `${NET}/destination-rule-all.yaml`,
      '--istio-config',
      `${NET}/virtual-service-all-v1.yaml`,
      '--istio-config',
      `${NET}/virtual-service-reviews-80-20.yaml`,
    ]);
    expect([r.status, r.stdout]).toEqual([0, `${SCENARIO}: ok\n`]);
    expect(r.stderr).toContain(`${NET}/virtual-service-reviews-80-20.yaml:5:1: warning [duplicate-name]`);
  });

  it('run repeats the paths in its rerun command', async () => {
    const r = await meshsim([
      'run',
      SCENARIO,
      '--istio-config',
      NET,
      '--json',
      '--out',
      join(mkdtempSync(join(tmpdir(), 'meshsim-istio-')), 'out'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { rerun: string }).rerun).toBe(
      `meshsim run ${SCENARIO} --istio-config ${NET} --seed 1`,
    );
  });

  it('takes CLUSTER=PATH: applied to that cluster only, said per model where no istiod reads it; an unknown cluster is refused', async () => {
    const r = await meshsim(['validate', SCENARIO, '--istio-config', `cluster1=${NET}`]);
    expect(r.status, r.stderr).toBe(0);
    const bad = await meshsim(['validate', SCENARIO, '--istio-config', `nowhere=${NET}`]);
    expect(bad.status).toBe(2);
    expect(expectsNoTrace(bad)).toBeUndefined();
    expect(bad.stderr).toContain('no cluster "nowhere" in the scenario');
  });

  it('a multi-document Istio file given as the scenario gets told where it belongs, not the YAML library text', async () => {
    const r = await meshsim(['validate', `${NET}/virtual-service-all-v1.yaml`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'this file holds 4 documents, Kubernetes resources such as (networking.istio.io/v1 VirtualService)',
    );
    expect(r.stderr).not.toContain('parseAllDocuments');
  });
});
