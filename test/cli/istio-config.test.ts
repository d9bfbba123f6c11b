/** `--istio-config` on validate and run, and what a user who passes Istio's own files as the scenario is told. */
import { mkdtempSync, writeFileSync } from 'node:fs';
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

  it('validate and run read the same Gateway routes: a Gateway given by CLUSTER=PATH only routes traffic entering that cluster in both, and both refuse it elsewhere with the same located message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshsim-istio-'));
    const file = join(dir, 'gw.yaml');
    writeFileSync(
      file,
      `name: gw
duration: 2s
clusters: [ { name: east, region: r1 }, { name: west, region: r1 } ]
services:
  - { name: productpage, deployments: [ { cluster: east }, { cluster: west } ], serviceTime: 1ms }
traffic:
  - { name: web, via: ingress, host: bookinfo.example.com, uri: /productpage, from: east, rate: 50/s }
models: [ { name: mp, controlPlane: multi-primary } ]
`,
    );
    const gateway = `${NET}/bookinfo-gateway.yaml`;
    const ok = await meshsim(['validate', file, '--istio-config', `east=${gateway}`]);
    expect([ok.status, ok.stdout], ok.stderr).toEqual([0, `${file}: ok\n`]);
    const ran = await meshsim([
      'run',
      file,
      '--istio-config',
      `east=${gateway}`,
      '--json',
      '--out',
      join(dir, 'out'),
    ]);
    expect(ran.status, ran.stderr).toBe(0);
    const summary = JSON.parse(ran.stdout) as {
      availability: number;
      requests: { total: number; succeeded: number };
    };
    expect(summary.requests.total).toBeGreaterThan(50);
    expect(summary.requests.succeeded).toBe(summary.requests.total);
    const expected = `${file}:7:38: error [unknown-reference] traffic[0].host: no Gateway route takes host "bookinfo.example.com" and uri "/productpage" (no Gateway with a bound VirtualService is applied to the API server its ingress gateways read (east)): the ingress gateway answers every request 404 NR; give \`entry\` to run it anyway`;
    const refused = await meshsim(['validate', file, '--istio-config', `west=${gateway}`]);
    expect(refused.status).toBe(2);
    expect(refused.stderr.split('\n')).toContain(expected);
    const notRun = await meshsim([
      'run',
      file,
      '--istio-config',
      `west=${gateway}`,
      '--out',
      join(dir, 'no'),
    ]);
    expect(notRun.status).toBe(2);
    expect(notRun.stderr.split('\n')).toContain(expected);
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
