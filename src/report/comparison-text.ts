/**
 * The summary a person reads in the terminal after `meshsim compare`: models with their 95% intervals,
 * the verdict per criterion, what was not measured and why, which model fits, the report folder and the
 * rerun line (the terminal text of a run is run-text.ts).
 */
import type { ComparisonResult, Estimate, VerdictEntry } from '../experiment/index.js';
import { comparisonServicesText } from './comparison-services-table.js';
import { formatEstimate } from './format.js';
import { textTable } from './text-table.js';

const pct = (x: number) => `${(x * 100).toFixed(3)}%`;
const ms = (x: number) => x.toFixed(2);

/** `99.882% [99.870%, 99.894%]`, or `[same in all 6 replications]` when every replication agreed. */
function withInterval(e: Estimate | null | undefined, f: (x: number) => string): string {
  return formatEstimate(e, f);
}

/** Wraps `text` at `width` columns, indenting continuation lines by `indent`. */
function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

/** The terminal summary of a comparison. */
export function comparisonText(r: ComparisonResult, reportDir: string | undefined, width = 110): string {
  const seeds = r.models[0]?.seeds ?? [];
  const slo = r.models.some((m) => m.withinSlo !== undefined);
  const out = [
    `meshsim: ${r.scenario}, ${r.models.length} model${r.models.length === 1 ? '' : 's'} x ${r.replications} replications (seeds ${seeds.join(', ')}), ` +
      `${r.durationMs / 1000}s simulated each (warm-up ${r.warmupMs / 1000}s excluded)`,
    '',
    textTable(
      ['model', 'availability', ...(slo ? ['within SLO'] : []), 'p50 ms', 'p99 ms', 'requests'],
      r.models.map((m) => [
        m.model,
        withInterval(m.availability, pct),
        ...(slo ? [withInterval(m.withinSlo, pct)] : []),
        withInterval(m.latencyMs.p50, ms),
        withInterval(m.latencyMs.p99, ms),
        m.requests === null || m.requests === undefined
          ? '-'
          : Math.round(m.requests.mean).toLocaleString('en-US'),
      ]),
    ),
    'mean over replications [95% confidence interval, Student t]; availability: answered without error;' +
      (slo ? ' within SLO: answered without error and within slo.latency.p99;' : '') +
      ' latency end to end, successful requests',
    '',
    ...services(r),
    'verdict (best per criterion; "no material difference" unless the paired 95% interval excludes 0 and the difference reaches report.material):',
    ...r.verdict.criteria.map((c) =>
      wrap(`  ${c.criterion}: ${headline(c, r.models.length)}. ${c.note}`, width, '      '),
    ),
    ...(r.verdict.notMeasured ?? []).map((n) =>
      wrap(`  ${n.criterion}: not measured: ${n.reason}`, width, '      '),
    ),
    '',
    'which model fits:',
    ...r.verdict.fits.map((f) => wrap(`  - ${f}`, width, '    ')),
    '',
  ];
  if (reportDir !== undefined) out.push(`report: ${reportDir}`);
  out.push(`rerun: ${r.rerun}`);
  return `${out.join('\n')}\n`;
}

/** The services table and a blank line, when the models carry per-service figures. */
function services(r: ComparisonResult): string[] {
  const text = comparisonServicesText(r);
  return text === undefined ? [] : [text, ''];
}

/**
 * A criterion's headline: its best model; tied leaders when some model is materially worse than them
 * (never "no material difference" above a line that calls a model materially worse); else the tie.
 */
function headline(c: VerdictEntry, models: number): string {
  if (c.best !== null && c.best !== undefined) return c.best;
  const leaders = c.leaders ?? [];
  // The verdict's one wording of a tie (experiment's TIE; report/ imports experiment's types only).
  return leaders.length > 1 && leaders.length < models
    ? `${leaders.join(' and ')} (tied)`
    : 'no material difference';
}
