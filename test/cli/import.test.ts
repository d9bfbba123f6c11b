/** `meshsim import kubernetes` on a two-cluster manifest set: the scenario validates and runs. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectsNoTrace, meshsim } from './spawn-meshsim.js';

const F = 'test/fixtures/import';

describe('meshsim import kubernetes', () => {
  it('two clusters: services with their namespaces, deployments, replicas and versions; an inferred call; the load generator reported; the file validates and runs', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'meshsim-import-')), 'shop.yaml');
    const r = await meshsim([
      'import',
      'kubernetes',
      '--cluster',
      `east=${F}/shop-east.yaml`,
      '--cluster',
      `west=${F}/shop-west.yaml`,
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'Deployment shop/loadgen (east) is selected by no Service (a load generator?)',
    );
    const yaml = readFileSync(out, 'utf8');
    expect(yaml).toContain('  - name: frontend\n    namespace: shop\n');
    expect(yaml).toContain(
      '{ cluster: east, replicas: 3, labels: { "app": "frontend", "version": "v1" } } # Deployment frontend',
    );
    expect(yaml).toContain(
      '{ cluster: west, replicas: 2, labels: { "app": "backend", "version": "v1" } } # StatefulSet backend-v1',
    );
    expect(yaml).toContain(
      '    calls: # inferred from environment values naming these services\n      - { service: backend }',
    );
    expect(yaml).toContain('serviceTime: 5ms # assumption');
    const short = out.replace('.yaml', '-short.yaml');
    writeFileSync(short, yaml.replace(/^duration: 5m.*$/m, 'duration: 5s'));
    const run = await meshsim(['run', short, '--json', '--out', join(out, '..', 'report')]);
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      requests: { total: number };
      byService: { service: string }[];
    };
    expect(summary.requests.total).toBeGreaterThan(300);
    expect(summary.byService.map((s) => s.service).sort()).toEqual(['backend', 'frontend']);
  });

  it('--istio-config: the resources become routing.include (relative to the output) and route the imported services', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshsim-import-'));
    const istio = join(dir, 'istio');
    mkdirSync(istio);
    writeFileSync(
      join(istio, 'backend.yaml'),
      `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: backend, namespace: shop }
spec: { host: backend, subsets: [ { name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } } ] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: backend, namespace: shop }
spec: { hosts: [backend.shop.svc.cluster.local], http: [ { route: [ { destination: { host: backend, subset: v2 } } ] } ] }
`,
    );
    const out = join(dir, 'out', 'shop.yaml');
    mkdirSync(join(dir, 'out'));
    const r = await meshsim([
      'import',
      'kubernetes',
      '--cluster',
      `east=${F}/shop-east.yaml`,
      '--cluster',
      `west=${F}/shop-west.yaml`,
      '--istio-config',
      istio,
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const yaml = readFileSync(out, 'utf8');
    expect(yaml).toContain('routing:\n  include: ["../istio"]');
    const short = out.replace('.yaml', '-short.yaml');
    writeFileSync(short, yaml.replace(/^duration: 5m.*$/m, 'duration: 5s'));
    const run = await meshsim(['run', short, '--json', '--out', join(dir, 'report')]);
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      byServiceVersion?: { service: string; version: string; requests: number }[];
    };
    const backend = (summary.byServiceVersion ?? []).filter((v) => v.service === 'backend');
    // Every backend call is served by v2, as the VirtualService says.
    expect(backend.map((v) => v.version)).toEqual(['v2']);
    expect(backend[0]?.requests ?? 0).toBeGreaterThan(100);
  });

  it('never overwrites a file, and refuses a bad --cluster with exit 2 and no trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshsim-import-'));
    const out = join(dir, 'mine.yaml');
    writeFileSync(out, 'my own file\n');
    const r = await meshsim(['import', 'kubernetes', '--cluster', `east=${F}/shop-east.yaml`, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('exists; nothing was written');
    expect(readFileSync(out, 'utf8')).toBe('my own file\n');
    const bad = await meshsim(['import', 'kubernetes', '--cluster', 'east', '--out', join(dir, 'x.yaml')]);
    expect([bad.status, expectsNoTrace(bad)]).toEqual([2, undefined]);
    expect(existsSync(join(dir, 'x.yaml'))).toBe(false);
  });
});

describe('meshsim import isotope', () => {
  // istio/tools isotope example topologies, copied unchanged (test/fixtures/isotope/README.md).
  it.each([
    ['canonical', 4, 'numRbacPolicies is not modelled'],
    ['chain-2-services-different-cluster', 2, 'the call hostname b.global:8080 is not needed'],
    ['tree-13-services', 13, undefined],
  ])(
    '%s: %i services; what cannot be mapped is stated; the scenario validates and runs',
    async (name, services, note) => {
      const out = join(mkdtempSync(join(tmpdir(), 'meshsim-isotope-')), `${name}.yaml`);
      const r = await meshsim(['import', 'isotope', `test/fixtures/isotope/${name}.yaml`, '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`${services} services`);
      if (note !== undefined) expect(r.stderr).toContain(note);
      const short = out.replace('.yaml', '-short.yaml');
      writeFileSync(short, readFileSync(out, 'utf8').replace(/^duration: 5m.*$/m, 'duration: 3s'));
      const run = await meshsim(['run', short, '--json', '--out', join(out, '..', 'report')]);
      expect(run.status, run.stderr).toBe(0);
      const summary = JSON.parse(run.stdout) as { availability: number; byService: unknown[] };
      expect(summary.availability).toBe(1);
      expect(summary.byService.length).toBe(services);
    },
  );
});
