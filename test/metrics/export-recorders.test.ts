/**
 * ExportRecorders hands each event to every recorder it was given, in order (the run's first), whichever
 * of the optional ones are there: its call and request dispatch are chosen once in the constructor, so each
 * of the eight combinations of telemetry, Fortio and thresholds is checked, not only the one the export
 * uses.
 */
import { describe, expect, it } from 'vitest';
import { ExportRecorders } from '../../src/metrics/export-recorders.js';
import type { FortioRecorder } from '../../src/metrics/fortio-recorder.js';
import type { IstioTelemetryRecorder } from '../../src/metrics/istio-telemetry-recorder.js';
import type { CallRecord, RequestRecord } from '../../src/metrics/record-buffer.js';
import type { RunRecorder } from '../../src/metrics/run-recorder.js';
import type { ThresholdRecorder } from '../../src/metrics/threshold-recorder.js';

/** A recorder that logs `name:event` for the hooks ExportRecorders forwards. */
function logger(name: string, log: string[]) {
  return {
    requestStarted: () => log.push(`${name}:started`),
    callCompleted: () => log.push(`${name}:call`),
    requestCompleted: () => log.push(`${name}:request`),
    converged: () => log.push(`${name}:converged`),
    staleProxies: () => log.push(`${name}:stale`),
    pushed: () => log.push(`${name}:pushed`),
    xdsClients: () => log.push(`${name}:xds`),
    podCreationRejected: () => log.push(`${name}:rejected`),
    certExpired: () => log.push(`${name}:cert`),
  };
}

const call = {} as Readonly<CallRecord>;
const request = {} as Readonly<RequestRecord>;

describe('ExportRecorders', () => {
  for (const withTelemetry of [false, true])
    for (const withFortio of [false, true])
      for (const withThresholds of [false, true])
        it(`forwards calls and requests (telemetry ${withTelemetry}, Fortio ${withFortio}, thresholds ${withThresholds})`, () => {
          const log: string[] = [];
          const recorders = new ExportRecorders(
            logger('run', log) as unknown as RunRecorder,
            withTelemetry ? (logger('telemetry', log) as unknown as IstioTelemetryRecorder) : undefined,
            withFortio ? (logger('fortio', log) as unknown as FortioRecorder) : undefined,
            withThresholds ? (logger('thresholds', log) as unknown as ThresholdRecorder) : undefined,
          );
          recorders.requestStarted(request);
          recorders.callCompleted(call);
          recorders.callCompleted(call);
          recorders.requestCompleted(request);
          const some = (name: string, on: boolean, ...events: string[]) =>
            on ? events.map((e) => `${name}:${e}`) : [];
          expect(log).toEqual([
            'run:started',
            ...[
              'run:call',
              ...some('telemetry', withTelemetry, 'call'),
              ...some('thresholds', withThresholds, 'call'),
            ],
            ...[
              'run:call',
              ...some('telemetry', withTelemetry, 'call'),
              ...some('thresholds', withThresholds, 'call'),
            ],
            'run:request',
            ...some('fortio', withFortio, 'request'),
            ...some('thresholds', withThresholds, 'request'),
          ]);
        });
});
