/**
 * A call as the recorders read it, copied from a mesh `Call` (or a test's call-shaped fake) field by field:
 * the unbuffered path, written apart from the record buffer's copy (record-buffer.ts) so that a test
 * comparing the two catches a wrong copy in either.
 */
import type { Call } from '../../src/mesh/index.js';
import type { CallRecord } from '../../src/metrics/index.js';

export function callRecord(call: Readonly<Call>): CallRecord {
  return {
    traffic: call.request.traffic,
    service: call.service,
    source: call.source,
    endpoint: call.endpoint,
    sentMs: call.sentMs,
    arrivedMs: call.arrivedMs,
    startedMs: call.startedMs,
    endMs: call.endMs,
    responseCode: call.responseCode,
    responseFlags: call.responseFlags,
  };
}
