/**
 * The complete example of shared/design/scenario-format.md, verbatim: the sketch the format follows loads
 * as written (every key of it is accepted, every reference resolves), and resolves to what it says.
 */
import { describe, expect, it } from 'vitest';
import { formatIssue, loadScenarioText } from '../../src/scenario/index.js';
import { FORMAT_EXAMPLE } from '../helpers/format-example.js';

describe('scenario/format-example (scenario-format.md, "A complete example")', () => {
  const result = loadScenarioText(FORMAT_EXAMPLE, 'eu-data-us-app.yaml', { allowLarge: true });

  it('loadScenarioText(the complete example) loads without errors or warnings', () => {
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([]);
    expect(result.warnings.map(formatIssue)).toEqual([]);
  });

  it('resolves its models, faults, rate steps, SLO and report settings', () => {
    if (!result.ok) throw new Error('the example must load');
    const s = result.scenario;
    expect(s.models.map((m) => [m.name, m.controlPlane, m.network])).toEqual([
      ['multi-primary', 'multi-primary', 'multi'],
      ['primary-remote', 'primary-remote', 'multi'],
      ['hybrid', 'hybrid', 'multi'],
      ['external', 'external', 'multi'],
    ]);
    expect(s.models[2]?.servedBy).toEqual({
      'us-east-1': 'us-east-1',
      'us-east-2': 'us-east-1',
      'eu-west-1': 'eu-west-1',
    });
    expect(s.mesh.faults.map((f) => [f.type, f.atMs, f.forMs])).toEqual([
      ['control-plane-outage', 180_000, 240_000],
      ['pod-failure', 240_000, Infinity],
      ['network-partition', 480_000, 120_000],
      ['cluster-outage', 660_000, 60_000],
    ]);
    expect(s.mesh.traffic[0]?.steps).toEqual([{ atMs: 300_000, ratePerMs: 2 }]);
    expect(s.slo.availability).toBeCloseTo(0.999, 12);
    expect(s.slo.latencyMs).toEqual({ p50: undefined, p90: undefined, p99: 250, p999: undefined });
    expect([s.windowMs, s.replications, s.durationMs, s.warmupMs]).toEqual([10_000, 10, 900_000, 60_000]);
  });
});
